// Exchanges: the totals (by kind, by agreement with releases outside any agreement apart,
// by group), then each exchange in time order with its headline count and, side by side,
// the competing counts with their sources. Competing counts never change the totals.
import { capitalise, label, when } from './format.js';

const number = new Intl.NumberFormat('en');
const plurals = { hostage: 'hostages', prisoner: 'prisoners', detainee: 'detainees', remains: 'remains' };
const kindWord = (kind, n) => (n === 1 ? kind : (plurals[kind] ?? `${kind}s`));
const counted = (kind, n) => `${number.format(n)} ${kindWord(kind, n)}`;
const kindsOf = (byKind) => Object.keys(byKind).sort();

/** "13 Israeli hostages released by Hamas to Red Cross" */
export const releaseText = (r) =>
  `${number.format(r.count)} ${r.group ? `${r.group} ` : ''}${kindWord(r.kind, r.count)} released by ${r.releasedBy}${r.releasedTo ? ` to ${r.releasedTo}` : ''}`;

function releaseList(h, released) {
  return h(
    'ul',
    { class: 'releases' },
    released.map((r) =>
      h(
        'li',
        {},
        releaseText(r),
        r.outsideAgreement ? h('span', { class: 'badge outside-mark' }, 'outside the agreement') : '',
        r.names?.length ? h('small', {}, ` · named: ${r.names.join(', ')}`) : '',
      ),
    ),
  );
}

function totalsTable(h, caption, rowsByName, kinds, rowHeader) {
  return h(
    'table',
    { class: 'data-table totals-table' },
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, rowHeader),
        kinds.map((k) => h('th', { scope: 'col', class: 'num' }, capitalise(plurals[k] ?? k))),
      ),
    ),
    h(
      'tbody',
      {},
      rowsByName.map(([name, byKind]) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, name),
          kinds.map((k) => h('td', { class: 'num' }, byKind[k] === undefined ? '—' : number.format(byKind[k]))),
        ),
      ),
    ),
  );
}

/** A correction shown where it applies: what it said before, and why it changed. */
export function correctionNotes(h, corrections, describe = (key, value) => `${label(key)} was ${JSON.stringify(value)}`) {
  if (!corrections?.length) return null;
  return corrections.map((c) =>
    h(
      'p',
      { class: 'correction' },
      h('strong', {}, `Corrected (v${c.version}, by the ${c.issuedBy}): `),
      Object.entries(c.original)
        .map(([key, value]) => describe(key, value))
        .join('; '),
      ` — reason: ${c.reason}`,
    ),
  );
}

const describeOriginal = (key, value) =>
  key === 'released' && Array.isArray(value)
    ? `the count was ${value.map(releaseText).join(', ')}`
    : `${label(key)} was ${typeof value === 'string' ? value : JSON.stringify(value)}`;

export function renderExchanges(status, h) {
  const x = status.exchanges;
  const names = new Map(status.agreements.map((a) => [a.id, a.name ?? `Agreement ${a.id}`]));
  const kinds = kindsOf(x.released);
  const totals = document.getElementById('exchange-totals');
  const list = document.getElementById('exchanges');
  if (x.count === 0) {
    totals.replaceChildren(h('p', { class: 'empty' }, 'No exchange or release has been reported.'));
    list.replaceChildren();
    return;
  }
  const byAgreement = Object.entries(x.byAgreement)
    .sort(([a], [b]) => (a === 'outside') - (b === 'outside'))
    .map(([id, byKind]) => [id === 'outside' ? 'Outside the agreement' : (names.get(id) ?? id), byKind]);
  totals.replaceChildren(
    h(
      'p',
      { class: 'total-line' },
      h('strong', { id: 'exchange-total' }, kinds.map((k) => counted(k, x.released[k])).join(' and ')),
      ` released in ${x.count} exchange${x.count === 1 ? '' : 's'}`,
      x.earlier.count > 0 ? h('small', {}, ` (${x.earlier.count} earlier, no longer listed one by one, included)`) : '',
      '.',
    ),
    h(
      'div',
      { class: 'totals-grid' },
      totalsTable(h, 'By agreement', byAgreement, kinds, 'Agreement'),
      ...kindsOf(x.byGroup).map((kind) =>
        totalsTable(
          h,
          `${capitalise(plurals[kind] ?? kind)} by group`,
          Object.entries(x.byGroup[kind]).map(([group, n]) => [group, { [kind]: n }]),
          [kind],
          'Group',
        ),
      ),
    ),
  );
  list.replaceChildren(
    ...[...x.items]
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.version - b.version))
      .map((e) =>
        h(
          'li',
          { class: 'card exchange', 'data-exchange': e.id },
          h(
            'p',
            { class: 'meta' },
            h('time', { datetime: e.at }, when(e.at)),
            ' · ',
            e.agreementId ? `${names.get(e.agreementId) ?? e.agreementId}${e.phase ? `, ${e.phase}` : ''}` : 'outside any agreement',
            h('span', { class: 'version' }, ` v${e.version}`),
          ),
          h(
            'div',
            { class: e.competing.length > 0 ? 'counts side-by-side' : 'counts' },
            h(
              'div',
              { class: 'count-report headline' },
              e.competing.length > 0 ? h('p', { class: 'headline-mark' }, 'Counted in the totals') : '',
              releaseList(h, e.released),
              h('p', {}, h('span', { class: 'source' }, `Source: ${e.source}`)),
              correctionNotes(h, e.corrections, describeOriginal),
            ),
            e.competing.map((c) =>
              h(
                'div',
                { class: 'count-report competing' },
                h('p', { class: 'competing-mark' }, 'Competing count'),
                releaseList(h, c.released),
                h('p', {}, h('span', { class: 'source' }, `Source: ${c.source}${c.originator ? `, per ${c.originator}` : ''}`)),
                correctionNotes(h, c.corrections, describeOriginal),
              ),
            ),
          ),
        ),
      ),
  );
}
