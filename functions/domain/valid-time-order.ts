/**
 * Valid-time order: earlier first, and on a tie the lower version (recorded first). The
 * fold keeps its dated lists in this order; inserting one entry into a list already in order
 * is a scan, not a sort (the fold inserts once per event: bench/replay.bench.ts).
 */
export interface Dated {
  at: string;
  version: number;
}

export const byValidTime = (a: Dated, b: Dated): number => (a.at === b.at ? a.version - b.version : a.at < b.at ? -1 : 1);

/** Whether the list is in valid-time order (a stable sort would leave it as it is). */
export function inValidTimeOrder(list: readonly Dated[]): boolean {
  for (let i = 1; i < list.length; i += 1) if (byValidTime(list[i - 1] as Dated, list[i] as Dated) > 0) return false;
  return true;
}

/**
 * A new list: `[...list, entry]` sorted by valid time (stably), exactly. A list out of order
 * (only a status not built by this fold could hold one) is sorted in full.
 */
export function withInOrder<T extends Dated>(list: readonly T[], entry: T): T[] {
  if (!inValidTimeOrder(list)) return [...list, entry].sort(byValidTime);
  // After every entry that does not sort after it, as the stable sort places it.
  let at = list.length;
  while (at > 0 && byValidTime(list[at - 1] as T, entry) > 0) at -= 1;
  const result = list.slice(0, at);
  result.push(entry);
  for (let i = at; i < list.length; i += 1) result.push(list[i] as T);
  return result;
}
