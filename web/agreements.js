// The negotiation and its agreements: a drawing over valid time (the negotiation's phase,
// each agreement's lifecycle and phases) with a table that says the same in words, then
// one card per agreement (dates, phases, approvals, extensions, the ending, the terms).
import { capitalise, label, when, withReadableTimes } from './format.js';
import { drawing, s, scale, timeTicks, tip } from './svg.js';

/** h is render.js's element helper, passed in so this module stays free of the page's layout. */
let h;

const stepWords = {
  agreed: 'Agreed',
  approved: 'Approved',
  rejected: 'Rejected',
  conditional: 'Approved with conditions',
  start_announced: 'Start announced',
  in_force: 'In force',
  extended: 'Extended',
  breach_alleged: 'Breach alleged',
  breached: 'Breached',
  suspended: 'Suspended',
  ended: 'Ended',
  collapsed: 'Collapsed',
  superseded: 'Superseded',
};
const stepLabel = (step) => stepWords[step] ?? capitalise(label(step));
/** The tone of a step in the drawing: colour repeats what the number and the table say. */
const stepTone = (step) =>
  ['rejected', 'breach_alleged', 'breached', 'suspended', 'collapsed'].includes(step)
    ? 'bad'
    : ['ended', 'superseded'].includes(step)
      ? 'end'
      : 'good';

const agreementName = (a) => a.name ?? `Agreement ${a.id}`;
const t = (iso) => (iso ? Date.parse(iso) : undefined);

/** Every step of every agreement, in time order, numbered as the drawing numbers them. */
function numberedSteps(agreements) {
  return agreements
    .flatMap((a) => a.steps.map((step) => ({ agreement: a, step })))
    .sort((x, y) => (x.step.at === y.step.at ? x.step.version - y.step.version : x.step.at < y.step.at ? -1 : 1))
    .map((entry, i) => ({ ...entry, n: i + 1 }));
}

/** The scheduled ends an extension moved: drawn as dashed ticks before the final end. */
const movedEnds = (status, a) =>
  status.deadlines.filter((d) => d.kind === 'scheduled_end' && d.agreementId === a.id && d.outcome?.value === 'extended');

function timeDomain(status) {
  const times = [];
  for (const a of status.agreements) {
    for (const x of [a.agreedAt, a.startsAt, a.inForceSince, a.endedAt, a.scheduledEnd]) if (x) times.push(t(x));
    for (const step of a.steps) times.push(t(step.at));
    for (const p of a.phases) for (const x of [p.startsAt, p.scheduledEnd]) if (x) times.push(t(x));
  }
  if (times.length === 0) times.push(t(status.negotiation.since || status.openedAt), t(status.judgedAt));
  const from = Math.min(...times);
  const to = Math.max(...times);
  const pad = Math.max((to - from) * 0.04, 3_600_000 * 6);
  return [from - pad, to + pad, from, to];
}

const width = 1000;
const left = 230;
const right = 20;
const laneGap = 26;

/** Markers closer than a marker's width go to the next lane down. */
function lanes(xs) {
  const lastX = [];
  return xs.map((x) => {
    let lane = lastX.findIndex((last) => x - last >= 24);
    if (lane === -1) lane = lastX.length;
    lastX[lane] = x;
    return lane;
  });
}

function drawTimeline(status, steps, tableId) {
  const [from, to, first, last] = timeDomain(status);
  const x = scale([from, to], [left, width - right]);
  const clamp = (v) => Math.min(width - right, Math.max(left, x(v)));
  const judged = t(status.judgedAt);
  const parts = [];
  let y = 34;

  const row = (name, full) =>
    s('text', { x: 8, y: y + 15, class: 'row-label' }, tip(full ?? name), name.length > 30 ? `${name.slice(0, 29)}…` : name);
  const bar = (start, end, cls, text, title) => {
    const x0 = clamp(start);
    const x1 = clamp(end);
    return s(
      'g',
      { class: 'bar-group' },
      tip(title),
      s('rect', { x: x0, y, width: Math.max(2, x1 - x0), height: 20, rx: 3, class: `bar ${cls}` }),
      x1 - x0 > 60 ? s('text', { x: x0 + 6, y: y + 14, class: 'bar-label' }, text) : null,
    );
  };

  // The negotiation: its current phase, since when (the status keeps no history of phases).
  const n = status.negotiation;
  const since = t(n.since || status.openedAt);
  const end = Math.max(to, Math.min(judged, to));
  parts.push(row('Negotiation'));
  parts.push(
    bar(
      since,
      end,
      `neg-${n.phase}`,
      `${label(n.phase)}${since < from ? ` since ${when(n.since)}` : ''}`,
      `Negotiation ${label(n.phase)} since ${when(n.since)}${n.reason ? `: ${n.reason}` : ''}`,
    ),
  );
  y += 40;

  for (const a of status.agreements) {
    const name = agreementName(a);
    parts.push(row(name));
    const agreed = t(a.agreedAt ?? a.steps[0]?.at);
    const inForce = t(a.inForceSince);
    const ended = t(a.endedAt);
    const stop = ended ?? Math.min(judged, to);
    if (agreed !== undefined) {
      const until = inForce ?? stop;
      parts.push(
        bar(
          agreed,
          until,
          'life-agreed',
          'agreed',
          `${name}: agreed ${when(a.agreedAt)}${a.startsAt ? `, start announced for ${when(a.startsAt)}` : ''}`,
        ),
      );
    }
    if (inForce !== undefined)
      parts.push(
        bar(
          inForce,
          stop,
          'life-in-force',
          ended ? `in force, then ${label(a.state)}` : 'in force',
          `${name}: in force from ${when(a.inForceSince)}${a.endedAt ? ` until ${when(a.endedAt)} (${label(a.ending?.how ?? a.state)})` : ''}`,
        ),
      );
    y += 26;
    // The steps, numbered as in the table, staggered where they would overlap.
    const own = steps.filter((e) => e.agreement === a);
    const xs = own.map((e) => x(t(e.step.at)));
    const laneOf = lanes(xs);
    own.forEach((e, i) => {
      const cy = y + 12 + laneOf[i] * laneGap;
      parts.push(
        s(
          'g',
          { class: `step step-${stepTone(e.step.step)}` },
          tip(`${e.n}. ${stepLabel(e.step.step)} — ${when(e.step.at)}${e.step.by ? ` — by ${e.step.by}` : ''} — source: ${e.step.source}`),
          s('line', { x1: xs[i], x2: xs[i], y1: y - 4, y2: cy - 10, class: 'step-stem' }),
          s('circle', { cx: xs[i], cy, r: 10 }),
          s('text', { x: xs[i], y: cy + 4, 'text-anchor': 'middle', class: 'step-number' }, String(e.n)),
        ),
      );
    });
    y += 24 + Math.max(0, ...laneOf) * laneGap + 8;
    // Phases: from their start to their scheduled end, the current one outlined.
    for (const p of a.phases) {
      if (!p.startsAt) continue;
      const pEnd = t(p.scheduledEnd) ?? stop;
      parts.push(s('text', { x: 20, y: y + 15, class: 'row-label row-sub' }, `Phase: ${p.name}`));
      parts.push(
        bar(
          t(p.startsAt),
          pEnd,
          `phase-bar${p.current ? ' current' : ''}`,
          `${p.name}${p.current ? ' (current)' : ''}`,
          `Phase ${p.name}: starts ${when(p.startsAt)}, scheduled end ${when(p.scheduledEnd)}${p.current ? ' — current at the moment viewed' : ''}`,
        ),
      );
      for (const d of movedEnds(status, a))
        parts.push(
          s(
            'g',
            { class: 'moved-end' },
            tip(`Scheduled end ${when(d.due)}, extended ${when(d.outcome.at)}`),
            s('line', { x1: x(t(d.due)), x2: x(t(d.due)), y1: y - 3, y2: y + 23 }),
          ),
        );
      y += 30;
    }
    y += 10;
  }

  const ticks = timeTicks(from, to, 11);
  const axis = s(
    'g',
    { class: 'axis' },
    ticks.map((tick) =>
      s(
        'g',
        {},
        s('line', { x1: x(tick.at), x2: x(tick.at), y1: 22, y2: y, class: 'grid' }),
        s('text', { x: x(tick.at), y: 16, 'text-anchor': 'middle', class: 'tick' }, tick.label),
      ),
    ),
  );
  const viewed =
    judged >= from && judged <= to
      ? s(
          'g',
          { class: 'viewed-at' },
          tip(`The moment viewed: ${when(status.judgedAt)}`),
          s('line', { x1: x(judged), x2: x(judged), y1: 22, y2: y }),
          s('text', { x: x(judged) + 4, y: y - 4, class: 'tick' }, 'viewed'),
        )
      : null;
  const names = status.agreements.map(agreementName).join(', ');
  const svg = drawing(
    width,
    y + 4,
    `Timeline of the negotiation${status.agreements.length > 0 ? ` and of ${names}` : ''}, ${when(new Date(first).toISOString())} to ${when(new Date(last).toISOString())}`,
    tableId,
  );
  svg.append(axis, ...parts, viewed ?? '');
  return svg;
}

function timelineTable(status, steps, tableId) {
  const several = status.agreements.length > 1;
  const of = (text) => (several ? h('td', {}, text) : null);
  const rows = [
    h(
      'tr',
      {},
      h('td', {}, when(status.negotiation.since || status.openedAt)),
      of('Negotiation'),
      h(
        'td',
        {},
        h('strong', {}, 'Negotiation'),
        ` ${label(status.negotiation.phase)} since then${status.negotiation.reason ? `: ${status.negotiation.reason}` : ''}`,
      ),
      h('td', {}, ''),
    ),
  ];
  const items = [
    ...steps.map((e) => ({
      at: e.step.at,
      row: h(
        'tr',
        { class: 'step-row' },
        h('td', {}, when(e.step.at)),
        of(agreementName(e.agreement)),
        h(
          'td',
          {},
          h('span', { class: 'step-no' }, `${e.n}.`),
          ' ',
          h('strong', {}, stepLabel(e.step.step)),
          e.step.by ? ` by ${e.step.by}` : '',
          e.step.note ? h('span', { class: 'step-note' }, ` — ${withReadableTimes(e.step.note)}`) : '',
        ),
        h('td', { class: 'source' }, e.step.source),
      ),
    })),
    ...status.agreements.flatMap((a) =>
      a.phases
        .filter((p) => p.startsAt)
        .map((p) => ({
          at: p.startsAt,
          row: h(
            'tr',
            { class: 'phase-row' },
            h('td', {}, when(p.startsAt)),
            of(agreementName(a)),
            h(
              'td',
              {},
              h('strong', {}, `Phase ${p.name}`),
              ` starts; scheduled end ${p.scheduledEnd ? when(p.scheduledEnd) : 'not stated'}`,
              p.current ? ' ' : '',
              p.current ? h('span', { class: 'badge current-mark' }, 'current') : '',
            ),
            h('td', {}, ''),
          ),
        })),
    ),
  ].sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
  rows.push(...items.map((i) => i.row));
  return h(
    'table',
    { id: tableId, class: 'data-table chart-table' },
    h('caption', {}, 'The timeline in words (numbers match the drawing)'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'When'),
        several ? h('th', { scope: 'col' }, 'Of') : null,
        h('th', { scope: 'col' }, 'What'),
        h('th', { scope: 'col' }, 'Source'),
      ),
    ),
    h('tbody', {}, rows),
  );
}

const fact = (term, ...value) => h('div', {}, h('dt', {}, term), h('dd', {}, ...value));

function agreementCard(a, status) {
  const phases = a.phases.map((p) =>
    h(
      'tr',
      { class: p.current ? 'current' : '' },
      h('th', { scope: 'row' }, p.name, p.current ? ' ' : '', p.current ? h('span', { class: 'badge current-mark' }, 'current') : ''),
      h('td', {}, p.startsAt ? when(p.startsAt) : 'not stated'),
      h('td', {}, p.scheduledEnd ? when(p.scheduledEnd) : 'not stated'),
      h('td', {}, p.durationDays === undefined ? '' : `${p.durationDays} days`, p.summary ? ` · ${p.summary}` : ''),
    ),
  );
  const ending = a.ending
    ? [
        h('span', { class: 'badge state-ended' }, label(a.ending.how)),
        ' ',
        when(a.endedAt),
        a.ending.by ? `, by ${a.ending.by}` : '',
        a.ending.reason ? ` — ${a.ending.reason}` : '',
        a.ending.cause ? ` (cause: ${a.ending.cause})` : '',
        a.ending.supersededBy ? ` (superseded by ${a.ending.supersededBy})` : '',
      ]
    : null;
  return h(
    'article',
    { class: 'card agreement', 'aria-labelledby': `agreement-${a.id}` },
    h(
      'h3',
      { id: `agreement-${a.id}` },
      agreementName(a),
      ' ',
      h('span', { class: `badge agreement-state state-${a.state}` }, label(a.state)),
      a.stage ? h('small', {}, ` · ${label(a.stage)}`) : '',
    ),
    h(
      'dl',
      { class: 'facts agreement-facts' },
      fact('Agreed', a.agreedAt ? when(a.agreedAt) : 'not yet', a.announcedBy ? ` (announced by ${a.announcedBy})` : ''),
      fact(
        'Start',
        a.inForceSince ? `in force since ${when(a.inForceSince)}` : a.startsAt ? `announced for ${when(a.startsAt)}` : 'not announced',
      ),
      fact(
        'Current phase',
        a.currentPhase ?? 'none',
        a.scheduledEnd ? `, scheduled to end ${when(a.scheduledEnd)}` : '',
        h('small', {}, ` (at ${when(status.judgedAt)})`),
      ),
      fact('Ending', ending ?? 'not ended'),
      a.signatories.length > 0 ? fact('Signatories', a.signatories.join(', ')) : null,
    ),
    phases.length > 0
      ? h(
          'table',
          { class: 'data-table phases' },
          h('caption', {}, 'Phases'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Phase'),
              h('th', { scope: 'col' }, 'Starts'),
              h('th', { scope: 'col' }, 'Scheduled end'),
              h('th', { scope: 'col' }, 'Length'),
            ),
          ),
          h('tbody', {}, phases),
        )
      : null,
    h('h4', {}, 'Approvals'),
    a.approvals.length === 0
      ? h('p', { class: 'empty' }, 'No approval reported.')
      : h(
          'ul',
          { class: 'approvals' },
          a.approvals.map((p) =>
            h(
              'li',
              {},
              h('span', { class: `badge outcome-${p.outcome}` }, label(p.outcome)),
              ' ',
              h('strong', {}, `${p.party}'s ${label(p.body)}`),
              p.by && p.by !== `${p.party}'s ${label(p.body)}` ? ` (${p.by})` : '',
              `, ${when(p.at)}`,
              p.conditions ? ` — conditions: ${p.conditions}` : '',
              p.note ? ` — ${p.note}` : '',
              ' · ',
              h('span', { class: 'source' }, `Source: ${p.source}`),
            ),
          ),
        ),
    h('h4', {}, 'Extensions'),
    a.extensions.length === 0
      ? h('p', { class: 'empty' }, 'Not extended.')
      : h(
          'ul',
          { class: 'extensions' },
          a.extensions.map((e) =>
            h(
              'li',
              {},
              h('strong', {}, e.days !== undefined ? `+${e.days} day${e.days === 1 ? '' : 's'}` : `until ${when(e.until)}`),
              ` to ${e.phase}, ${when(e.at)}`,
              e.by ? ` by ${e.by}` : '',
              ' · ',
              h('span', { class: 'source' }, `Source: ${e.source}`),
            ),
          ),
        ),
    a.terms?.length
      ? [
          h('h4', {}, 'Terms'),
          h(
            'ul',
            { class: 'terms' },
            a.terms.map((term) => h('li', {}, h('strong', {}, `${capitalise(label(term.family))}: `), term.text ?? '')),
          ),
        ]
      : null,
  );
}

export function renderAgreements(status, helper) {
  h = helper;
  const steps = numberedSteps(status.agreements);
  const tableId = 'agreements-chart-table';
  document
    .getElementById('agreements-chart')
    .replaceChildren(
      h(
        'div',
        { class: 'chart-scroll', tabindex: '0', role: 'region', 'aria-label': 'Timeline drawing (scrolls sideways on narrow screens)' },
        drawTimeline(status, steps, tableId),
      ),
      timelineTable(status, steps, tableId),
    );
  document
    .getElementById('agreements')
    .replaceChildren(
      ...(status.agreements.length > 0
        ? status.agreements.map((a) => agreementCard(a, status))
        : [h('p', { class: 'empty' }, 'No agreement has been reported.')]),
    );
}
