export type {
  AgreementEntry,
  AgreementPhase,
  AgreementStep,
  ApprovalEntry,
  AssessmentEntry,
  ByKind,
  CorrectionNote,
  DeadlineEntry,
  DeadlineOutcome,
  DevelopmentRef,
  ExchangeEntry,
  ExtensionEntry,
  FigureEntry,
  Momentum,
  ParticipantEntry,
  PositionEntry,
  ProposalEntry,
  ReleaseEntry,
  SignalEntry,
  SourceRef,
  TalksStatus,
} from './talks-status-schema.js';

import type { TalksStatus } from './talks-status-schema.js';

/**
 * The status of one talks as the projection keeps it, defined once with zod: the fold's
 * TypeScript types are inferred from it and the API's response schemas are built from it.
 * This is also what the status item stores, so every list is bounded: the item must stay
 * small and its read cost flat however long the history grows.
 */
export const limits = {
  assessments: 20,
  signals: 20,
  participants: 50,
  deadlines: 20,
  positions: 30,
  figures: 60,
  proposals: 5,
  agreements: 5,
  agreementSteps: 16,
  approvals: 8,
  extensions: 8,
  exchanges: 20,
  competingCounts: 3,
} as const;

/** The negotiation's own phase (CAMEO's consult/reject/suspend family, not the deal's). */
export const negotiationPhases = ['active', 'stalled', 'suspended', 'collapsed', 'concluded'] as const;

/**
 * The headline `phase`, one word for lists and badges: `in_force` while an agreement is in
 * force (in force, extended or breached), else `agreed` while one awaits its start, else
 * the negotiation's phase. It never contradicts `negotiation` or `agreements` because it is
 * derived from them (see headlinePhase in evolve).
 */
export const phases = ['active', 'stalled', 'suspended', 'agreed', 'in_force', 'collapsed', 'concluded'] as const;
export type Phase = (typeof phases)[number];
export type NegotiationPhase = (typeof negotiationPhases)[number];

/**
 * An agreement's lifecycle, after PA-X (agreed, ratified) and ETH-PRIO (declared, in
 * effect, ended): `none` before any report of it (an approval of an outline can come first).
 */
export const agreementStates = [
  'none',
  'agreed',
  'approved',
  'rejected',
  'in_force',
  'extended',
  'breached',
  'suspended',
  'ended',
  'collapsed',
  'superseded',
] as const;
export type AgreementStateName = (typeof agreementStates)[number];
export const terminalStates: readonly AgreementStateName[] = ['ended', 'collapsed', 'superseded'];
export const inForceStates: readonly AgreementStateName[] = ['in_force', 'extended', 'breached'];

export const stepKinds = [
  'agreed',
  'approved',
  'rejected',
  'conditional',
  'start_announced',
  'in_force',
  'extended',
  'breach_alleged',
  'breached',
  'suspended',
  'ended',
  'collapsed',
  'superseded',
] as const;

const noTotals = () => ({ count: 0, released: {}, byAgreement: {}, byGroup: {} });

/** Before the opening event: never stored, only the seed of the fold. */
export const initialStatus = (talksId: string): TalksStatus => ({
  talksId,
  version: 0,
  headHash: '',
  updatedAt: '',
  title: '',
  openedAt: '',
  phase: 'active',
  phaseSince: '',
  phaseVersion: 0,
  negotiation: { phase: 'active', since: '', version: 0 },
  momentum: { label: 'unknown', score: null, basis: 0, onRecord: 0, anonymous: 0, window: null },
  assessments: [],
  signals: [],
  participants: [],
  deadlines: [],
  positions: [],
  figures: [],
  proposals: [],
  agreement: { state: 'none' },
  agreements: [],
  exchanges: { ...noTotals(), items: [], earlier: noTotals() },
  meetings: { count: 0 },
  lastDevelopment: null,
  counts: { events: 0, developments: 0, corrections: 0, retractions: 0 },
});

/**
 * A shallow copy, field by field. The fold copies the status once per event, and V8 copies
 * an object this wide by spread (`{ ...s }`) about twenty times slower than by a literal of
 * its fields (bench/replay.bench.ts). The unit test copy-status checks that no field of the
 * schema is left out.
 */
export function copyStatus(s: TalksStatus): TalksStatus {
  const copy: TalksStatus = {
    talksId: s.talksId,
    version: s.version,
    headHash: s.headHash,
    updatedAt: s.updatedAt,
    title: s.title,
    openedAt: s.openedAt,
    phase: s.phase,
    phaseSince: s.phaseSince,
    phaseVersion: s.phaseVersion,
    negotiation: s.negotiation,
    momentum: s.momentum,
    assessments: s.assessments,
    signals: s.signals,
    participants: s.participants,
    deadlines: s.deadlines,
    positions: s.positions,
    figures: s.figures,
    proposals: s.proposals,
    agreement: s.agreement,
    agreements: s.agreements,
    exchanges: s.exchanges,
    meetings: s.meetings,
    lastDevelopment: s.lastDevelopment,
    counts: s.counts,
  };
  if (s.subject !== undefined) copy.subject = s.subject;
  if (s.format !== undefined) copy.format = s.format;
  return copy;
}

/**
 * A status item written before the two axes (no negotiation, agreements or signals) reads
 * with those fields empty, so a read never fails; rebuilding it (bin/rebuild.ts) restores them.
 */
export function withCurrentShape(status: TalksStatus): TalksStatus {
  const old = status as Partial<TalksStatus>;
  if (old.negotiation !== undefined && old.signals !== undefined && old.agreements !== undefined && old.exchanges?.items !== undefined)
    return status;
  const seed = initialStatus(status.talksId);
  return {
    ...seed,
    ...status,
    negotiation: old.negotiation ?? { phase: 'active', since: status.phaseSince, version: status.phaseVersion },
    signals: old.signals ?? [],
    agreements: old.agreements ?? [],
    exchanges: { ...seed.exchanges, ...(old.exchanges ?? {}) },
  };
}
