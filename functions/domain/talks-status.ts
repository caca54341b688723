import type { ParticipantRole, Terms } from './common-schemas.js';
import type { EventType } from './event-catalog.js';

/**
 * The status of one talks as the projection keeps it. This is also what the status item
 * stores, so every list is bounded: the item must stay small and its read cost flat
 * however long the history grows.
 */
export type Phase = 'active' | 'stalled' | 'suspended' | 'agreed' | 'in_force' | 'collapsed' | 'concluded';

export const limits = {
  assessments: 20,
  participants: 50,
  deadlines: 20,
  positions: 30,
  figures: 60,
  proposals: 5,
} as const;

export interface SourceRef {
  name: string;
  attribution?: string;
  anonymous: boolean;
  url?: string;
}

export interface AssessmentEntry {
  version: number;
  at: string;
  assessment: string;
  by: string;
  onRecord: boolean;
}

export interface ParticipantEntry {
  name: string;
  role: ParticipantRole;
  represents?: string;
  since: string;
  version: number;
}

export interface DeadlineEntry {
  version: number;
  due: string;
  duePrecision: string;
  kind: 'aspiration' | 'target' | 'ultimatum';
  setBy: string;
  appliesTo: string;
  consequence?: string;
}

export interface PositionEntry {
  party: string;
  version: number;
  at: string;
  kind: 'statement' | 'no_statement';
  speaker?: { name: string; role?: string; affiliation: string };
  stance?: string;
  summary?: string;
  quote?: string;
  declinedToComment?: boolean;
  source: SourceRef;
}

export interface FigureEntry {
  version: number;
  metric: string;
  label?: string;
  value?: number;
  low?: number;
  best?: number;
  high?: number;
  unit: string;
  qualifier: string;
  asOf?: string;
  caveat?: string;
  originator: string;
  publisher: string;
  reportedAt: string;
}

export interface ProposalEntry {
  version: number;
  at: string;
  by: string;
  families: string[];
  summary?: string;
}

export interface AgreementState {
  state: 'none' | 'agreed' | 'in_force';
  version?: number;
  agreedAt?: string;
  inForceSince?: string;
  currentPhase?: string;
  terms?: Terms;
  phases?: { name: string; durationDays?: number; summary?: string }[];
  signatories?: string[];
}

export interface Momentum {
  label: 'positive' | 'mixed' | 'negative' | 'unknown';
  score: number | null;
  basis: number;
  onRecord: number;
  anonymous: number;
  window: { from: string; to: string } | null;
}

export interface DevelopmentRef {
  version: number;
  type: EventType;
  at: string;
  reportedAt: string;
  summary: string;
}

export interface TalksStatus {
  talksId: string;
  version: number;
  headHash: string;
  updatedAt: string;
  title: string;
  subject?: string;
  format?: string;
  openedAt: string;
  phase: Phase;
  phaseSince: string;
  phaseVersion: number;
  momentum: Momentum;
  assessments: AssessmentEntry[];
  participants: ParticipantEntry[];
  deadlines: DeadlineEntry[];
  positions: PositionEntry[];
  figures: FigureEntry[];
  proposals: ProposalEntry[];
  agreement: AgreementState;
  exchanges: { count: number; released: Record<string, number> };
  meetings: { count: number; last?: { version: number; at: string; kind: string; participants: string[]; place?: string } };
  lastDevelopment: DevelopmentRef | null;
  counts: { events: number; developments: number; corrections: number; retractions: number };
}

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
  momentum: { label: 'unknown', score: null, basis: 0, onRecord: 0, anonymous: 0, window: null },
  assessments: [],
  participants: [],
  deadlines: [],
  positions: [],
  figures: [],
  proposals: [],
  agreement: { state: 'none' },
  exchanges: { count: 0, released: {} },
  meetings: { count: 0 },
  lastDevelopment: null,
  counts: { events: 0, developments: 0, corrections: 0, retractions: 0 },
});
