import type { AssessmentEntry, Momentum } from './talks-status.js';

/**
 * Momentum is a heuristic, so its rule is published with its components:
 * - each assessment scores breakthrough +2, significant progress +1.5, some progress +1,
 *   no change 0, difficulties -1, setback -2;
 * - weight = source weight (on the record 1, anonymous 0.6) x recency (half-life 7 days,
 *   measured back from the latest assessment, so the figure does not drift with the clock);
 * - only assessments within 30 days of the latest count;
 * - score = weighted mean; positive above 0.5, negative below -0.5, mixed between.
 */
export const momentumRule = {
  scores: { breakthrough: 2, significant_progress: 1.5, some_progress: 1, no_change: 0, difficulties: -1, setback: -2 } as Record<
    string,
    number
  >,
  onRecordWeight: 1,
  anonymousWeight: 0.6,
  halfLifeDays: 7,
  windowDays: 30,
  threshold: 0.5,
} as const;

const dayMs = 86_400_000;

export function computeMomentum(assessments: readonly AssessmentEntry[]): Momentum {
  if (assessments.length === 0) {
    return { label: 'unknown', score: null, basis: 0, onRecord: 0, anonymous: 0, window: null };
  }
  const latest = Math.max(...assessments.map((a) => Date.parse(a.at)));
  const from = latest - momentumRule.windowDays * dayMs;
  let weighted = 0;
  let weights = 0;
  let onRecord = 0;
  let anonymous = 0;
  for (const a of assessments) {
    const at = Date.parse(a.at);
    if (at < from) continue;
    const recency = 0.5 ** ((latest - at) / (momentumRule.halfLifeDays * dayMs));
    const weight = (a.onRecord ? momentumRule.onRecordWeight : momentumRule.anonymousWeight) * recency;
    weighted += weight * (momentumRule.scores[a.assessment] ?? 0);
    weights += weight;
    if (a.onRecord) onRecord += 1;
    else anonymous += 1;
  }
  // `|| 0`: a tiny negative score rounds to -0, which JSON stores as 0; the stored status
  // must equal its replay.
  const score = Math.round((weighted / weights) * 1000) / 1000 || 0;
  const label = score > momentumRule.threshold ? 'positive' : score < -momentumRule.threshold ? 'negative' : 'mixed';
  return {
    label,
    score,
    basis: onRecord + anonymous,
    onRecord,
    anonymous,
    window: { from: new Date(from).toISOString(), to: new Date(latest).toISOString() },
  };
}
