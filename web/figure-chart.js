// One small drawing per figure: each competing report as a point at the date it applies to
// (its asOf, else when it was reported) and its value, its range as a whisker, its source in
// the point's tooltip, the headline ringed. The report cards beside it say the same in words.
import { amount, when } from './format.js';
import { drawing, s, scale, timeTicks, tip } from './svg.js';

const width = 460;
const height = 150;
const pad = { left: 64, right: 18, top: 14, bottom: 28 };
const number = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const dayMs = 86_400_000;

/** 1, 2, 2.5 or 5 times a power of ten: axis labels a reader can take in at a glance. */
function niceCeiling(v) {
  if (!(v > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 2.5, 5, 10].find((m) => m * power >= v) ?? 10) * power;
}

const figureValue = (r) => r.value ?? r.best ?? r.high ?? r.low;
const dateOf = (r) => Date.parse(r.asOf ?? r.reportedAt);

export function drawFigure(figure, name, describedBy) {
  const reports = figure.reports.filter((r) => figureValue(r) !== undefined);
  const svg = drawing(
    width,
    height,
    `${name}: ${reports.length} report${reports.length === 1 ? '' : 's'} over time, the headline ringed`,
    describedBy,
  );
  if (reports.length === 0) return svg;
  const times = reports.map(dateOf);
  let [from, to] = [Math.min(...times), Math.max(...times)];
  if (to - from < 2 * dayMs) [from, to] = [from - dayMs, to + dayMs];
  const top = niceCeiling(Math.max(...reports.map((r) => r.high ?? figureValue(r))) * 1.08);
  const x = scale([from, to], [pad.left + 10, width - pad.right - 10]);
  const y = scale([0, top || 1], [height - pad.bottom, pad.top]);
  const base = height - pad.bottom;
  svg.append(
    s(
      'g',
      { class: 'axis' },
      s('line', { x1: pad.left, x2: width - pad.right, y1: base, y2: base, class: 'grid' }),
      [0, top / 2, top].map((v) =>
        s(
          'g',
          {},
          s('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), class: 'grid' }),
          s('text', { x: pad.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, number.format(v)),
        ),
      ),
      timeTicks(from, to, 4).map((tick) => s('text', { x: x(tick.at), y: height - 8, 'text-anchor': 'middle', class: 'tick' }, tick.label)),
    ),
  );
  // A label goes right, left, above or below its point: the first place that hides no other label or point.
  const placed = [];
  const overlaps = (a, b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  const placeLabel = (cx, cy, text) => {
    const w = text.length * 6.2;
    const candidates = [
      { x: cx + 12, y: cy + 4, anchor: 'start', box: { x0: cx + 10, x1: cx + 12 + w, y0: cy - 7, y1: cy + 6 } },
      { x: cx - 12, y: cy + 4, anchor: 'end', box: { x0: cx - 12 - w, x1: cx - 10, y0: cy - 7, y1: cy + 6 } },
      { x: cx, y: cy - 13, anchor: 'middle', box: { x0: cx - w / 2, x1: cx + w / 2, y0: cy - 24, y1: cy - 10 } },
      { x: cx, y: cy + 22, anchor: 'middle', box: { x0: cx - w / 2, x1: cx + w / 2, y0: cy + 11, y1: cy + 25 } },
    ];
    const fits = (c) => c.box.x0 >= pad.left && c.box.x1 <= width && c.box.y0 >= 0 && !placed.some((b) => overlaps(b, c.box));
    const chosen = candidates.find(fits) ?? candidates[0];
    placed.push(chosen.box);
    return chosen;
  };
  const points = reports.map((r) => {
    // Reports of the same date stand a little apart, so none hides another.
    const sameDate = reports.filter((o) => dateOf(o) === dateOf(r));
    return { r, cx: x(dateOf(r)) + (sameDate.indexOf(r) - (sameDate.length - 1) / 2) * 16, cy: y(figureValue(r)) };
  });
  for (const p of points) placed.push({ x0: p.cx - 9, x1: p.cx + 9, y0: p.cy - 9, y1: p.cy + 9 });
  for (const { r, cx, cy } of points) {
    const headline = r.version === figure.headline.version;
    const text = `${number.format(figureValue(r))} ${r.originator}`;
    const where = placeLabel(cx, cy, text);
    svg.append(
      s(
        'g',
        { class: `report-point${headline ? ' headline' : ''}` },
        tip(
          `${headline ? 'Headline: ' : ''}${amount(r)} — counted by ${r.originator}, reported by ${r.publisher} on ${when(r.reportedAt)}${r.asOf ? `, as of ${when(r.asOf)}` : ''}`,
        ),
        r.low !== undefined && r.high !== undefined ? s('line', { x1: cx, x2: cx, y1: y(r.low), y2: y(r.high), class: 'whisker' }) : null,
        headline ? s('circle', { cx, cy, r: 9, class: 'ring' }) : null,
        s('circle', { cx, cy, r: 5, class: 'dot' }),
        s('text', { x: where.x, y: where.y, 'text-anchor': where.anchor, class: 'point-label' }, text),
      ),
    );
  }
  return svg;
}
