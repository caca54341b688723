import type { AssessmentEntry, Momentum, SignalEntry } from './talks-status.js';

/**
 * Momentum is a heuristic, so its rule is published with its components:
 * - each assessment scores breakthrough +2, significant progress +1.5, some progress +1,
 *   no change 0, difficulties -1, setback -2; other developments weigh in as signals
 *   (`signals` below: an agreement reached +2, a breach -1.5, a collapse -2, ...);
 * - weight = source weight (on the record 1, anonymous 0.6) x recency (half-life 7 days,
 *   measured back from the moment viewed: now for the current status, the requested moment
 *   for a view of the past), so momentum fades as time passes without news;
 * - only developments within 30 days before the moment viewed count;
 * - score = weighted sum / max(sum of weights, 1): with a single fresh report on the record
 *   or more, the weighted mean; with less, it shrinks towards 0 as the news ages;
 * - below a total weight of 0.25 (one report on the record two half-lives old) there is too
 *   little recent news to judge: `unknown`; else positive above 0.5, negative below -0.5,
 *   mixed between.
 */
export const momentumRule = {
  scores: { breakthrough: 2, significant_progress: 1.5, some_progress: 1, no_change: 0, difficulties: -1, setback: -2 } as Record<
    string,
    number
  >,
  signals: {
    agreement_reached: 2,
    approval_approved: 1,
    approval_conditional: 0.5,
    approval_rejected: -1.5,
    agreement_in_force: 1.5,
    agreement_extended: 1,
    breach_alleged_agreement_held: -0.5,
    agreement_breached: -1.5,
    agreement_suspended: -1.5,
    agreement_expired: -1,
    agreement_completed: 1,
    agreement_terminated: -2,
    agreement_collapsed: -2,
    agreement_superseded: 1,
    talks_stalled: -1,
    talks_suspended: -1.5,
    talks_collapsed: -2,
    talks_resumed: 1,
    talks_concluded: 1,
  } as Record<string, number>,
  onRecordWeight: 1,
  anonymousWeight: 0.6,
  halfLifeDays: 7,
  windowDays: 30,
  minimumWeight: 0.25,
  meanFrom: 1,
  threshold: 0.5,
} as const;

const dayMs = 86_400_000;
const round = (n: number) => Math.round(n * 1000) / 1000 || 0;

/** Momentum at a moment; `withComponents` lists what counted (the presented view does). */
export function computeMomentum(
  assessments: readonly AssessmentEntry[],
  signals: readonly SignalEntry[],
  at: Date,
  withComponents = false,
): Momentum {
  const to = at.getTime();
  const from = to - momentumRule.windowDays * dayMs;
  const halfLife = momentumRule.halfLifeDays * dayMs;
  const inputs: { version: number; at: string; ms: number; what: string; score: number; onRecord: boolean }[] = [];
  const take = (version: number, iso: string, what: string, score: number, onRecord: boolean) => {
    const ms = Date.parse(iso);
    if (ms >= from && ms <= to) inputs.push({ version, at: iso, ms, what, score, onRecord });
  };
  for (const a of assessments) take(a.version, a.at, a.assessment, momentumRule.scores[a.assessment] ?? 0, a.onRecord);
  for (const s of signals) take(s.version, s.at, s.signal, s.score, s.onRecord);
  if (inputs.length === 0 || Number.isNaN(to)) {
    return { label: 'unknown', score: null, basis: 0, onRecord: 0, anonymous: 0, window: null };
  }
  let weighted = 0;
  let weights = 0;
  if (withComponents) inputs.sort((a, b) => (a.ms === b.ms ? a.version - b.version : a.ms - b.ms));
  const components: NonNullable<Momentum['components']> = [];
  for (const i of inputs) {
    const weight = (i.onRecord ? momentumRule.onRecordWeight : momentumRule.anonymousWeight) * 0.5 ** ((to - i.ms) / halfLife);
    weighted += weight * i.score;
    weights += weight;
    if (withComponents) components.push({ version: i.version, at: i.at, what: i.what, score: i.score, weight: round(weight) });
  }
  const onRecord = inputs.filter((i) => i.onRecord).length;
  // `|| 0`: a tiny negative score rounds to -0, which JSON stores as 0; the stored status
  // must equal its replay.
  const score = round(weighted / Math.max(weights, momentumRule.meanFrom));
  const label =
    weights < momentumRule.minimumWeight
      ? 'unknown'
      : score > momentumRule.threshold
        ? 'positive'
        : score < -momentumRule.threshold
          ? 'negative'
          : 'mixed';
  return {
    label,
    score,
    basis: inputs.length,
    onRecord,
    anonymous: inputs.length - onRecord,
    window: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    at: new Date(to).toISOString(),
    weight: round(weights),
    ...(withComponents ? { components } : {}),
  };
}
