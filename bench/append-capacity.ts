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

export interface CapacityFigures {
  windows: CapacityWindow[];
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
  const steady = Math.min(100, Math.max(1, Math.floor(singles.length / 2)));
  return {
    windows: [
      windowOf('single events, versions 1-18 (the scenario)', singles.slice(0, 18)),
      windowOf(`single events, last ${steady} (steady state)`, singles.slice(-steady)),
      windowOf('batches of 25', batches),
    ],
  };
}
