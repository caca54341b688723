/**
 * The event catalog's constant vocabularies, apart from its zod schemas (event-catalog.ts):
 * the fold and the presentation need these words, and a module of schemas would bring every
 * event schema into the read-side bundles (esbuild keeps zod schema construction).
 */

export const assessmentScale = ['breakthrough', 'significant_progress', 'some_progress', 'no_change', 'difficulties', 'setback'] as const;

export const stances = ['supportive', 'optimistic', 'neutral', 'cautious', 'pessimistic', 'opposed'] as const;

export const deadlineKinds = ['aspiration', 'target', 'ultimatum'] as const;

export const deadlineConcerns = ['agreement', 'agreement_start', 'release', 'other'] as const;

export const deadlineOutcomes = ['met', 'missed', 'extended', 'withdrawn'] as const;

/** PA-X agreement stages. */
export const agreementStages = [
  'pre_negotiation',
  'ceasefire',
  'framework_partial',
  'framework_comprehensive',
  'implementation',
  'renewal',
] as const;

export const approvalBodies = ['cabinet', 'government', 'parliament', 'party_leadership', 'head_of_state', 'other'] as const;

export const approvalOutcomes = ['approved', 'rejected', 'conditional'] as const;

export const endings = ['expired', 'completed', 'terminated', 'collapsed', 'superseded'] as const;

export const releaseKinds = ['hostage', 'prisoner', 'detainee', 'remains'] as const;

/** Who issued a revision: the source itself, the submitter, or an editor. */
export const correctionIssuers = ['source', 'submitter', 'editor'] as const;
