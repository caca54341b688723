import type { AgreementEntry, ExtensionEntry } from './talks-status.js';

/**
 * When each phase of an agreement starts and is scheduled to end, from what the log says:
 * - the first phase starts at its stated start, else when the agreement took effect, else
 *   at the announced start; a later phase at its stated start (or when a took_effect naming
 *   it says it began), else when the previous phase is scheduled to end;
 * - a phase's scheduled end is its start plus its duration; each extension (in valid-time
 *   order) moves it by its days, or to its stated end.
 * Derived on reading, never stored: a late report of the start moves every date after it.
 */
export interface ScheduledEnd {
  due: string;
  /** The development that set this end: the agreement's report, or the extension. */
  version: number;
  extension?: ExtensionEntry;
}

export interface ScheduledPhase {
  name: string;
  durationDays?: number;
  summary?: string;
  startsAt?: string;
  scheduledEnd?: string;
  /** Every scheduled end the phase has had, oldest first: the last is the current one. */
  ends: ScheduledEnd[];
}

const dayMs = 86_400_000;
const plusDays = (at: string, days: number) => new Date(Date.parse(at) + days * dayMs).toISOString();
const byValidTime = (a: { at: string; version: number }, b: { at: string; version: number }) =>
  a.at === b.at ? a.version - b.version : a.at < b.at ? -1 : 1;

/** The phase an agreement without phases is treated as having, for its extensions. */
export const wholeAgreement = 'agreement';

export function scheduleOf(a: AgreementEntry): ScheduledPhase[] {
  const phases = a.phases.length > 0 ? a.phases : [{ name: wholeAgreement }];
  const extensions = [...a.extensions].sort(byValidTime);
  let previousEnd: string | undefined;
  return phases.map((p, i) => {
    const startsAt = p.startsAt ?? (i === 0 ? (a.inForceSince ?? a.startsAt) : previousEnd);
    const ends: ScheduledEnd[] = [];
    let end = startsAt !== undefined && p.durationDays !== undefined ? plusDays(startsAt, p.durationDays) : undefined;
    if (end !== undefined) ends.push({ due: end, version: a.version ?? a.stateVersion ?? 1 });
    for (const e of extensions) {
      if (e.phase !== p.name) continue;
      const next = e.until ?? (end !== undefined && e.days !== undefined ? plusDays(end, e.days) : undefined);
      if (next === undefined) continue;
      end = next;
      ends.push({ due: next, version: e.version, extension: e });
    }
    previousEnd = end;
    return {
      name: p.name,
      ...(p.durationDays === undefined ? {} : { durationDays: p.durationDays }),
      ...('summary' in p && p.summary !== undefined ? { summary: p.summary } : {}),
      ...(startsAt === undefined ? {} : { startsAt }),
      ...(end === undefined ? {} : { scheduledEnd: end }),
      ends,
    };
  });
}

/**
 * The phase under way at a moment: the last one started by then, once the agreement is in
 * force and while it has not ended. A phase past its scheduled end stays current until a
 * development says otherwise (truces often run on past their end).
 */
export function currentPhaseAt(a: AgreementEntry, schedule: readonly ScheduledPhase[], at: string): ScheduledPhase | undefined {
  if (a.inForceSince === undefined || a.inForceSince > at) return undefined;
  if (a.endedAt !== undefined && a.endedAt <= at) return undefined;
  return schedule.filter((p) => p.startsAt !== undefined && p.startsAt <= at).at(-1) ?? schedule[0];
}
