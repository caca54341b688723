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
  const top = Math.max(...reports.map((r) => r.high ?? figureValue(r))) * 1.12;
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
  const placed = [];
  const labelY = (cx, cy) => {
    let ly = cy + 4;
    while (placed.some((p) => Math.abs(p.x - cx) < 90 && Math.abs(p.y - ly) < 13)) ly += 13;
    placed.push({ x: cx, y: ly });
    return ly;
  };
  for (const r of [...reports].sort((a, b) => (a.version === figure.headline.version) - (b.version === figure.headline.version))) {
    const headline = r.version === figure.headline.version;
    const cx = x(dateOf(r));
    const cy = y(figureValue(r));
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
        s(
          'text',
          {
            x: cx > width * 0.6 ? cx - 12 : cx + 12,
            y: labelY(cx, cy),
            'text-anchor': cx > width * 0.6 ? 'end' : 'start',
            class: 'point-label',
          },
          `${number.format(figureValue(r))} ${r.originator}`,
        ),
      ),
    );
  }
  return svg;
}
