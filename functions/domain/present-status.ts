import type { DeadlineEntry, FigureEntry, TalksStatus } from './talks-status.js';

/**
 * What a reader sees: the stored status plus what depends on the time of reading
 * (whether a deadline has passed is judged now, never stored) and figures grouped by
 * metric with every competing report kept beside the headline.
 */
export type PresentedStatus = Omit<TalksStatus, 'deadlines' | 'figures'> & {
  deadlines: (DeadlineEntry & { passed: boolean; windowEnd: string })[];
  figures: { metric: string; headline: FigureEntry; reports: FigureEntry[] }[];
  readAt: string;
};

const windowMs = {
  instant: (d: Date) => d,
  hour: (d: Date) => new Date(d.getTime() + 3_600_000),
  day: (d: Date) => new Date(d.getTime() + 86_400_000),
  week: (d: Date) => new Date(d.getTime() + 7 * 86_400_000),
  month: (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes())),
  year: (d: Date) => new Date(Date.UTC(d.getUTCFullYear() + 1, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes())),
};

/** A deadline of day precision on the 20th has passed only once the 20th is over. */
export const deadlineWindowEnd = (d: Pick<DeadlineEntry, 'due' | 'duePrecision'>): Date =>
  (windowMs[d.duePrecision as keyof typeof windowMs] ?? windowMs.instant)(new Date(d.due));

/**
 * The headline of competing figures for one metric: the one that applies to the latest
 * date (its asOf, else when it was reported), then the latest reported, then the latest
 * recorded. The others stay listed: a reader sees who says what.
 */
export function headlineFigure(reports: readonly FigureEntry[]): FigureEntry {
  const key = (f: FigureEntry) => [f.asOf ?? f.reportedAt, f.reportedAt, String(f.version).padStart(16, '0')].join('|');
  return reports.reduce((best, f) => (key(f) > key(best) ? f : best));
}

export function presentStatus(status: TalksStatus, now: Date): PresentedStatus {
  const byMetric = new Map<string, FigureEntry[]>();
  for (const f of status.figures) byMetric.set(f.metric, [...(byMetric.get(f.metric) ?? []), f]);
  const s = status;
  return {
    talksId: s.talksId,
    version: s.version,
    phase: s.phase,
    phaseSince: s.phaseSince,
    phaseVersion: s.phaseVersion,
    title: s.title,
    ...(s.subject === undefined ? {} : { subject: s.subject }),
    ...(s.format === undefined ? {} : { format: s.format }),
    openedAt: s.openedAt,
    momentum: s.momentum,
    participants: s.participants,
    positions: s.positions,
    agreement: s.agreement,
    proposals: s.proposals,
    assessments: s.assessments,
    exchanges: s.exchanges,
    meetings: s.meetings,
    lastDevelopment: s.lastDevelopment,
    counts: s.counts,
    headHash: s.headHash,
    updatedAt: s.updatedAt,
    deadlines: [...status.deadlines]
      .sort((a, b) => (a.due === b.due ? a.version - b.version : a.due < b.due ? -1 : 1))
      .map((d) => {
        const end = deadlineWindowEnd(d);
        return { ...d, windowEnd: end.toISOString(), passed: now.getTime() >= end.getTime() };
      }),
    figures: [...byMetric].map(([metric, reports]) => ({ metric, headline: headlineFigure(reports), reports })),
    readAt: now.toISOString(),
  };
}
