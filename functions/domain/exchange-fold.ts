import { agreementInForceAt } from './agreement-fold.js';
import type { StoredEventOf } from './submitted-event.js';
import { type CorrectionNote, type ExchangeEntry, limits, type ReleaseEntry, type TalksStatus } from './talks-status.js';
import { withInOrder } from './valid-time-order.js';

/**
 * Exchanges as a list, each under the agreement it falls under (named, else the one in
 * force at its valid time) or under none. A second report with the same exchangeId is a
 * competing count of that exchange: kept beside the first report, which stays the headline
 * (a competing count never silently replaces the count on record; a correction does).
 * Totals are the earlier (no longer listed) exchanges' plus the listed headlines, so the
 * list can stay bounded while the totals stay exact.
 */
type Totals = TalksStatus['exchanges']['earlier'];
export const outside = 'outside';

const add = (to: Record<string, number>, key: string, n: number) => {
  to[key] = (to[key] ?? 0) + n;
};

/** A copy of the totals deep enough to add to: its maps are copied, not shared. */
const copyTotals = (totals: Totals): Totals => ({
  count: totals.count,
  released: { ...totals.released },
  byAgreement: Object.fromEntries(Object.entries(totals.byAgreement).map(([k, v]) => [k, { ...v }])),
  byGroup: Object.fromEntries(Object.entries(totals.byGroup).map(([k, v]) => [k, { ...v }])),
});

/** Adds an exchange's releases to totals of the caller's own (a copy: see totalsOf). */
function addExchange(next: Totals, e: ExchangeEntry): void {
  next.count += 1;
  for (const r of e.released) {
    add(next.released, r.kind, r.count);
    const agreement = r.outsideAgreement === true || e.agreementId === undefined ? outside : e.agreementId;
    next.byAgreement[agreement] ??= {};
    add(next.byAgreement[agreement], r.kind, r.count);
    next.byGroup[r.kind] ??= {};
    add(next.byGroup[r.kind] as Record<string, number>, r.group ?? 'unstated', r.count);
  }
}

/** The totals of `earlier` and `items`: one copy of `earlier` added to, not one copy per item. */
export function totalsOf(earlier: Totals, items: readonly ExchangeEntry[]): Totals {
  if (items.length === 0) return earlier;
  const totals = copyTotals(earlier);
  for (const e of items) addExchange(totals, e);
  return totals;
}

const releases = (event: StoredEventOf<'exchange.carried_out'>): ReleaseEntry[] =>
  event.data.released.map((r) => ({
    kind: r.kind,
    count: r.count,
    releasedBy: r.releasedBy,
    ...(r.releasedTo === undefined ? {} : { releasedTo: r.releasedTo }),
    ...(r.group === undefined ? {} : { group: r.group }),
    ...(r.outsideAgreement ? { outsideAgreement: true as const } : {}),
    ...(r.names === undefined || r.names.length === 0 ? {} : { names: r.names }),
  }));

/** Completes `s`, the fold's fresh copy of the status (see develop), in place. */
export function applyExchange(
  s: TalksStatus,
  event: StoredEventOf<'exchange.carried_out'>,
  at: string,
  corrections: CorrectionNote[] | undefined,
): TalksStatus {
  const id = event.data.exchangeId ?? `x${event.version}`;
  const { items, earlier } = s.exchanges;
  const known = items.find((e) => e.id === id);
  if (known !== undefined) {
    const report = {
      version: event.version,
      released: releases(event),
      source: event.source.name,
      ...(event.source.attribution === undefined ? {} : { originator: event.source.attribution }),
      ...(corrections === undefined ? {} : { corrections }),
    };
    const competing = [...known.competing, report].slice(-limits.competingCounts);
    const listed = items.map((e) => (e === known ? { ...e, competing } : e));
    s.exchanges = { ...s.exchanges, items: listed };
    return s;
  }
  const agreementId = event.data.agreementId ?? agreementInForceAt(s.agreements, at)?.id;
  const entry: ExchangeEntry = {
    version: event.version,
    id,
    at,
    released: releases(event),
    source: event.source.name,
    competing: [],
    ...(agreementId === undefined ? {} : { agreementId }),
    ...(event.data.phase === undefined ? {} : { phase: event.data.phase }),
    ...(corrections === undefined ? {} : { corrections }),
  };
  const sorted = withInOrder(items, entry);
  const dropped = sorted.slice(0, Math.max(0, sorted.length - limits.exchanges));
  const listed = sorted.slice(dropped.length);
  const olderTotals = totalsOf(earlier, dropped);
  s.exchanges = { ...totalsOf(olderTotals, listed), items: listed, earlier: olderTotals };
  return s;
}
