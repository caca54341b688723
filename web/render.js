// Turns a status and a history into the page. Text goes in as text, never as HTML:
// everything shown was typed by someone who submitted a report.
import { renderAgreements } from './agreements.js';
import { correctionNotes, renderExchanges } from './exchanges.js';
import { drawFigure } from './figure-chart.js';
import { amount, capitalise, label, sourceText, timeLeft, typeLabel, when } from './format.js';
import { neutralise, pageSafe } from './printable.js';

/** h('p', { class: 'x' }, 'text', child) */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes))
    if (value !== undefined && value !== false) element.setAttribute(name, value === true ? '' : value);
  for (const child of children.flat())
    if (child !== undefined && child !== null && child !== false) element.append(child instanceof Node ? child : String(child));
  return element;
}

const byId = (id) => document.getElementById(id);
const fill = (id, ...children) => byId(id).replaceChildren(...children.flat());

function sourceNode(source) {
  const text = sourceText(source);
  const safeUrl = source?.url && /^https?:\/\//.test(source.url) ? source.url : undefined;
  return h(
    'span',
    { class: 'source' },
    'Source: ',
    safeUrl ? h('a', { href: safeUrl, rel: 'noopener noreferrer' }, text) : text,
    source?.anonymous ? ' (anonymous)' : '',
  );
}

function renderOverview(status) {
  byId('talks-title').textContent = status.title;
  byId('talks-subject').textContent = status.subject ?? '';
  const phase = byId('phase');
  phase.textContent = label(status.phase);
  phase.className = `badge phase-${status.phase}`;
  byId('phase-since').textContent = `since ${when(status.phaseSince)}`;
  const n = status.negotiation;
  const negotiation = byId('negotiation-phase');
  negotiation.textContent = label(n.phase);
  negotiation.className = `badge phase-${n.phase}`;
  byId('negotiation-since').textContent = `since ${when(n.since)}${n.reason ? `: ${n.reason}` : ''}`;
  const m = status.momentum;
  const momentum = byId('momentum');
  momentum.textContent = m.label;
  momentum.className = `badge momentum-${m.label}`;
  byId('momentum-basis').textContent =
    m.basis === 0
      ? 'too little recent news to judge by'
      : `from ${m.basis} recent development${m.basis === 1 ? '' : 's'} (${m.onRecord} on record, ${m.anonymous} anonymous)${m.score === null ? '' : `, score ${m.score}`}`;
  byId('momentum-basis').append(` · judged at ${when(status.judgedAt)}`);
  renderMomentumComponents(m);
  byId('version').textContent = `${status.version} · head ${status.headHash.slice(0, 12)}…`;
  const last = status.lastDevelopment;
  byId('last-development').textContent = last ? `${last.summary} (${when(last.at)})` : '—';
}

/** What momentum counted: each development with its score and its weight (recent news weighs more). */
function renderMomentumComponents(m) {
  const components = m.components ?? [];
  fill(
    'momentum-components',
    components.length === 0
      ? []
      : h(
          'table',
          { class: 'data-table components' },
          h('caption', {}, `Momentum's basis${m.window ? `: ${when(m.window.from)} to ${when(m.window.to)}` : ''}`),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'When'),
              h('th', { scope: 'col' }, 'Development'),
              h('th', { scope: 'col', class: 'num' }, 'Score'),
              h('th', { scope: 'col', class: 'num' }, 'Weight'),
            ),
          ),
          h(
            'tbody',
            {},
            components.map((c) =>
              h(
                'tr',
                {},
                h('td', {}, when(c.at)),
                h('td', {}, `${capitalise(label(c.what))} (v${c.version})`),
                h('td', { class: 'num' }, String(c.score)),
                h('td', { class: 'num' }, String(c.weight)),
              ),
            ),
          ),
        ),
  );
}

function renderMediators(status) {
  const m = status.mediators;
  if (!m) return fill('mediator-count');
  const parts = [
    [m.byKind.state, 'state', 'states'],
    [m.byKind.organization, 'organization', 'organizations'],
    [m.byKind.unstated, 'of unstated kind', 'of unstated kind'],
  ]
    .filter(([n]) => n > 0)
    .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  fill(
    'mediator-count',
    m.entities.length === 0
      ? 'No mediator.'
      : [
          h('strong', {}, `${m.entities.length} mediating: `),
          `${m.entities.join(', ')} (${parts.join(', ')})`,
          m.people.length > 0
            ? `; in person: ${m.people.map((p) => `${p.name}${p.represents ? ` for ${p.represents}` : ''}`).join(', ')}`
            : '',
        ],
  );
}

function renderParticipants(status) {
  const order = ['party', 'mediator', 'envoy', 'guarantor', 'observer'];
  const people = [...status.participants].sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
  fill(
    'participants',
    people.map((p) =>
      h(
        'li',
        {},
        h('span', { class: `role role-${p.role}` }, capitalise(p.role)),
        ' ',
        h('strong', {}, p.name),
        p.represents ? ` for ${p.represents}` : '',
      ),
    ),
  );
}

function renderDeadlines(status, now) {
  const rows = status.deadlines.map((d) => {
    const passed = d.passed ?? Date.parse(d.windowEnd) <= now;
    const outcome = d.outcome;
    return h(
      'tr',
      { class: passed ? 'passed' : 'open' },
      h('td', {}, h('span', { class: `badge deadline-${d.kind}` }, label(d.kind))),
      h(
        'td',
        {},
        d.appliesTo,
        h('br'),
        h('small', {}, `set by ${d.setBy}`),
        d.consequence ? h('small', {}, ` · consequence: ${d.consequence}`) : '',
      ),
      h('td', {}, when(d.due)),
      h('td', { class: 'time-left' }, timeLeft(d.windowEnd, now)),
      h(
        'td',
        { class: 'outcome' },
        outcome
          ? h('span', { class: `badge outcome-${outcome.value}` }, outcome.value)
          : h('span', { class: 'badge outcome-open' }, passed ? 'unknown' : 'open'),
        outcome?.at ? h('small', {}, ` ${when(outcome.at)}`) : '',
        outcome?.derived ? h('small', {}, ' (inferred)') : '',
        outcome?.note ? h('small', {}, ` · ${outcome.note}`) : '',
      ),
    );
  });
  byId('deadlines').tBodies[0].replaceChildren(...rows);
  byId('deadlines').hidden = rows.length === 0;
  byId('no-deadlines').hidden = rows.length > 0;
}

function renderPositions(status) {
  const cards = status.positions.map((p) =>
    h(
      'article',
      { class: 'card position' },
      h('h3', {}, p.party),
      h(
        'p',
        {},
        h(
          'span',
          { class: `badge stance-${p.stance ?? 'none'}` },
          p.kind === 'no_statement' ? (p.declinedToComment ? 'declined to comment' : 'no statement') : p.stance,
        ),
        ' ',
        h('small', {}, `as of ${when(p.at)}`),
      ),
      p.speaker ? h('p', { class: 'speaker' }, `${p.speaker.name}${p.speaker.role ? `, ${p.speaker.role}` : ''}`) : '',
      p.summary ? h('p', {}, p.summary) : '',
      p.quote ? h('blockquote', {}, `“${p.quote}”`) : '',
      h('p', {}, sourceNode(p.source)),
    ),
  );
  fill('positions', cards.length > 0 ? cards : h('p', { class: 'empty' }, 'No party has a reported position yet.'));
}

function renderFigures(status) {
  const groups = status.figures.map((f, i) => {
    const name = f.headline.label ?? label(f.metric);
    const reportsId = `figure-reports-${i}`;
    return h(
      'section',
      { class: 'figure-group', 'aria-label': name },
      h(
        'h3',
        {},
        f.headline.label ?? label(f.metric),
        f.reports.length > 1 ? h('small', {}, ` · ${f.reports.length} competing reports`) : '',
      ),
      h(
        'div',
        { class: 'figure-body' },
        h('div', { class: 'figure-chart' }, drawFigure(f, name, reportsId)),
        h(
          'div',
          { class: 'reports', id: reportsId },
          f.reports.map((r) =>
            h(
              'article',
              { class: `card report${r.version === f.headline.version ? ' headline' : ''}` },
              r.version === f.headline.version ? h('p', { class: 'headline-mark' }, 'Headline') : '',
              h('p', { class: 'amount' }, amount(r)),
              h('p', {}, `Counted by ${r.originator}`, r.asOf ? `, as of ${when(r.asOf)}` : ''),
              h('p', {}, h('span', { class: 'source' }, `Reported by ${r.publisher} on ${when(r.reportedAt)}`)),
              r.caveat ? h('p', { class: 'caveat' }, `Caveat: ${r.caveat}`) : '',
              correctionNotes(h, r.corrections, (key, value) =>
                key === 'value' || key === 'best' || key === 'low' || key === 'high'
                  ? `${key} was ${value}`
                  : `${label(key)} was ${typeof value === 'string' ? value : JSON.stringify(value)}`,
              ),
            ),
          ),
        ),
      ),
    );
  });
  fill('figures', groups.length > 0 ? groups : h('p', { class: 'empty' }, 'No figure has been reported.'));
}

/**
 * Newest first, each in the API's words (the history's summaries); a development that was
 * later retracted or corrected says so.
 */
function renderTimeline(history, summaries, uptoVersion) {
  const shown = history.filter((e) => e.version <= uptoVersion);
  const revisedBy = new Map();
  for (const e of shown)
    if (e.type === 'report.retracted' || e.type === 'report.corrected')
      revisedBy.set(e.data.targetVersion, e.type === 'report.retracted' ? 'retracted' : 'corrected');
  fill(
    'timeline',
    [...shown].reverse().map((e) => {
      const revised = revisedBy.get(e.version);
      return h(
        'li',
        { class: `development${revised ? ` ${revised}` : ''}`, value: String(e.version) },
        h(
          'p',
          { class: 'meta' },
          h('span', { class: 'version' }, `v${e.version}`),
          ' ',
          h('time', { datetime: e.occurredAt ?? e.reportedAt }, when(e.occurredAt ?? e.reportedAt)),
          ' ',
          h('span', { class: 'type' }, typeLabel(e.type)),
        ),
        h('p', { class: 'summary' }, summaries.get(e.version) ?? '', revised ? h('strong', {}, ` (${revised} later)`) : ''),
        h('p', {}, sourceNode(e.source), h('small', {}, ` · reported ${when(e.reportedAt)}`)),
      );
    }),
  );
}

export function renderStatus(status, history, summaries, now = Date.now()) {
  renderOverview(status);
  renderAgreements(status, h);
  renderExchanges(status, h);
  renderParticipants(status);
  renderMediators(status);
  renderDeadlines(status, now);
  renderPositions(status);
  renderFigures(status);
  renderTimeline(history, summaries, status.version);
  neutralise(document.body);
}

export function renderPicker(items, selected) {
  const picker = byId('talks-picker');
  picker.replaceChildren(
    ...items.map((t) => h('option', { value: t.talksId, selected: t.talksId === selected }, `${t.title} (${label(t.phase)})`)),
  );
  picker.disabled = items.length === 0;
  neutralise(picker);
}

/** Keeps the picker's "title (phase)" in step when a refresh changes the phase. */
export function updatePickerEntry(status) {
  const option = [...byId('talks-picker').options].find((o) => o.value === status.talksId);
  if (option) option.textContent = pageSafe(`${status.title} (${label(status.phase)})`);
}
