// Small helpers for drawing inline SVG with DOM APIs: text goes in as text nodes (never
// parsed as markup), and every drawing carries its own accessible name.
const ns = 'http://www.w3.org/2000/svg';

/** s('rect', { x: 1, class: 'bar' }, child, 'text') */
export function s(tag, attributes = {}, ...children) {
  const element = document.createElementNS(ns, tag);
  for (const [name, value] of Object.entries(attributes))
    if (value !== undefined && value !== null && value !== false) element.setAttribute(name, String(value));
  for (const child of children.flat())
    if (child !== undefined && child !== null && child !== false) element.append(child instanceof Node ? child : String(child));
  return element;
}

/** A hover tooltip (and a name for assistive technology walking the drawing). */
export const tip = (text) => s('title', {}, text);

let drawings = 0;

/**
 * An <svg> that reads as one image named by its own <title>, described by the text
 * equivalent beside it (describedBy: that element's id).
 */
export function drawing(width, height, name, describedBy) {
  drawings += 1;
  const titleId = `drawing-title-${drawings}`;
  return s(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: 'img',
      'aria-labelledby': titleId,
      'aria-describedby': describedBy,
      class: 'drawing',
      preserveAspectRatio: 'xMinYMin meet',
    },
    s('title', { id: titleId }, name),
  );
}

/** A linear scale from a domain [d0, d1] onto a range [r0, r1]. */
export function scale([d0, d1], [r0, r1]) {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

const dayMs = 86_400_000;
const tickFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const yearTickFormat = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** Midnight-UTC ticks every 1, 2, 7, 14 or 30 days: at most about `most` of them. */
export function timeTicks(from, to, most = 10) {
  const days = (to - from) / dayMs;
  const every = [1, 2, 7, 14, 30, 91, 365].find((n) => days / n <= most) ?? 365;
  const first = Math.ceil(from / dayMs) * dayMs;
  const ticks = [];
  for (let t = first; t <= to; t += every * dayMs)
    ticks.push({ at: t, label: (every >= 30 ? yearTickFormat : tickFormat).format(new Date(t)) });
  return ticks;
}
