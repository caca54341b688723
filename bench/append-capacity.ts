import { appendTransactionCost, budgetWriteUnits, type TransactionWriteCost } from './capacity-rules.js';
import type { TransactItems } from './capture.js';
import { sum } from './stats.js';

/** Write units per appended event over a window of submissions, three ways. */
export interface CapacityWindow {
  label: string;
  submissions: number;
  eventsPerSubmission: number;
  /** As DynamoDB Local's ConsumedCapacity reports it (mean per event). */
  reportedPerEvent: number;
  /** From the item sizes by DynamoDB's rules: the transaction's items (mean per event). */
  computedPerEvent: number;
  /** Also by the rules: the index entries (list index, snapshot index), not in the budget's terms. */
  indexPerEvent: number;
  /** The budget: 4 per event + twice the status item's KB once per submission. */
  budgetPerEvent: number;
  breakdownPerEvent: { events: number; idempotency: number; status: number; snapshot: number };
  statusBytes: { first: number; last: number };
}

/** What the verifiable log's attributes (issue 12) add to the same transactions, table + indexes. */
export interface TreeUnits {
  label: string;
  /** Mean write units added per appended event, and the most one submission paid. */
  meanPerEvent: number;
  maxPerSubmission: number;
  /** Submissions that paid anything (a tree attribute pushed an item over a 1 KB step). */
  submissionsPaying: number;
  submissions: number;
}

export interface CapacityFigures {
  windows: CapacityWindow[];
  /** The same windows' transactions costed with and without `tree`, `cp`, `frontier` and `treeBase`. */
  verifiableLog: TreeUnits[];
}

// The attributes the verifiable log adds to the items of an append (functions/store/tree-items.ts).
const treeAttributes: Record<string, readonly string[]> = { event: ['tree', 'cp'], status: ['frontier', 'treeBase'] };

/** The transactions as they would be without the verifiable log: same items, tree attributes removed. */
export function withoutTree(transactions: readonly TransactItems[]): TransactItems[] {
  return transactions.map((items) =>
    items.map((t) => {
      const item = t.Put?.Item;
      const strip = item === undefined ? undefined : treeAttributes[String(item.kind)];
      if (item === undefined || strip === undefined || t.Put === undefined) return t;
      return { ...t, Put: { ...t.Put, Item: Object.fromEntries(Object.entries(item).filter(([k]) => !strip.includes(k))) } };
    }),
  );
}

function treeUnitsOf(label: string, withTree: readonly Sized[], without: readonly Sized[]): TreeUnits {
  const added = withTree.map((s, i) => s.cost.table + s.cost.index - ((without[i] as Sized).cost.table + (without[i] as Sized).cost.index));
  return {
    label,
    meanPerEvent: sum(added) / sum(withTree.map((s) => s.events)),
    maxPerSubmission: Math.max(...added),
    submissionsPaying: added.filter((a) => a > 0).length,
    submissions: added.length,
  };
}

interface Sized {
  cost: TransactionWriteCost;
  events: number;
  reported: number;
}

/** Costs each captured transaction in order: a status put replaces the one before it. */
function sizeAll(transactions: readonly TransactItems[], reported: readonly number[]): Sized[] {
  let previous: Record<string, unknown> | undefined;
  return transactions.map((items, i) => {
    const cost = appendTransactionCost(items, previous);
    previous = items.find((t) => t.Put?.Item?.kind === 'status')?.Put?.Item ?? previous;
    return { cost, events: items.filter((t) => t.Put?.Item?.kind === 'event').length, reported: reported[i] ?? Number.NaN };
  });
}

function windowOf(label: string, sized: readonly Sized[]): CapacityWindow {
  const events = sum(sized.map((s) => s.events));
  const per = (f: (s: Sized) => number) => sum(sized.map(f)) / events;
  return {
    label,
    submissions: sized.length,
    eventsPerSubmission: events / sized.length,
    reportedPerEvent: per((s) => s.reported),
    computedPerEvent: per((s) => s.cost.table),
    indexPerEvent: per((s) => s.cost.index),
    budgetPerEvent: per((s) => budgetWriteUnits(s.events, s.cost.statusBytes)),
    breakdownPerEvent: {
      events: per((s) => s.cost.events),
      idempotency: per((s) => s.cost.idempotency),
      status: per((s) => s.cost.status),
      snapshot: per((s) => s.cost.snapshot),
    },
    statusBytes: { first: sized[0]?.cost.statusBytes ?? 0, last: sized.at(-1)?.cost.statusBytes ?? 0 },
  };
}

/**
 * Single-event submissions: while the talks is young (the scenario's 18 developments) and
 * in steady state (the status item's bounded lists full); and batches of 25 (after the
 * opening, which is the batch transactions' first entry).
 */
export function appendCapacity(
  single: readonly TransactItems[],
  singleReported: readonly number[],
  batch: readonly TransactItems[],
  batchReported: readonly number[],
): CapacityFigures {
  const singles = sizeAll(single, singleReported);
  const batches = sizeAll(batch, [Number.NaN, ...batchReported]).slice(1);
  const singlesBare = sizeAll(withoutTree(single), singleReported);
  const batchesBare = sizeAll(withoutTree(batch), [Number.NaN, ...batchReported]).slice(1);
  const steady = Math.min(100, Math.max(1, Math.floor(singles.length / 2)));
  return {
    verifiableLog: [
      treeUnitsOf(`single events, all ${singles.length} submissions`, singles, singlesBare),
      treeUnitsOf(`single events, last ${steady} (steady state)`, singles.slice(-steady), singlesBare.slice(-steady)),
      treeUnitsOf('batches of 25', batches, batchesBare),
    ],
    windows: [
      windowOf('single events, versions 1-18 (the scenario)', singles.slice(0, 18)),
      windowOf(`single events, last ${steady} (steady state)`, singles.slice(-steady)),
      windowOf('batches of 25', batches),
    ],
  };
}
