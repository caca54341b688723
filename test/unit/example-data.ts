import type { EventType } from '../../functions/domain/event-catalog.js';

/**
 * One valid example of the data of every event type, as a client would send it (JSON,
 * dates not yet normalised). Typed by the catalog, so a new type without an example fails
 * to compile, and the catalog spec checks it at run time too.
 */
export const exampleData: Record<EventType, Record<string, unknown>> = {
  'talks.opened': {
    title: 'Gaza ceasefire talks',
    parties: ['Israel', 'Hamas'],
    mediators: ['United States', 'Qatar'],
    format: 'indirect',
  },
  'participant.joined': { name: 'Steve Witkoff', role: 'envoy', represents: 'United States' },
  'participant.role_changed': { name: 'Qatar', role: 'guarantor', note: 'Guarantees the first phase' },
  'progress.assessed': { assessment: 'significant_progress', by: 'Multiple officials briefed on the talks' },
  'statement.issued': {
    speaker: { name: "Gideon Sa'ar", role: 'Foreign Minister', affiliation: 'Israel' },
    stance: 'optimistic',
    summary: 'Israel is working hard to reach a deal',
    quote: 'There is progress',
  },
  'statement.none_noted': { party: 'Hamas', asOf: '2025-01-13T06:00:00Z' },
  'deadline.set': {
    due: '2025-01-20',
    kind: 'ultimatum',
    setBy: 'Donald Trump',
    appliesTo: 'Release of the hostages before the inauguration',
  },
  'deadline.resolved': { deadlineVersion: 2, outcome: 'missed', note: 'No deal by the inauguration' },
  'meeting.held': { participants: ['Joe Biden', 'Benjamin Netanyahu'], kind: 'call' },
  'proposal.tabled': { by: 'Qatar', terms: [{ family: 'ceasefire', text: 'A six-week truce' }] },
  'agreement.reached': {
    terms: [{ family: 'hostage_release', text: 'Thirty-three hostages released in the first phase' }],
    phases: [{ name: 'Phase one', durationDays: 42 }],
    signatories: ['Israel', 'Hamas'],
  },
  'agreement.took_effect': { phase: 'Phase one' },
  'agreement.approval_decided': { party: 'Israel', body: 'cabinet', by: "Israel's security cabinet", outcome: 'approved' },
  'agreement.start_announced': { startsAt: '2025-01-19T08:30:00+02:00', by: 'Qatar' },
  'agreement.extended': { days: 2, by: 'Qatar' },
  'agreement.breached': { allegedBy: 'Israel', against: 'Hamas', summary: 'A rocket was fired from Gaza' },
  'agreement.suspended': { by: 'Israel', reason: 'Hostage releases delayed' },
  'agreement.ended': { how: 'expired', reason: 'Fighting resumed' },
  'talks.stalled': { reason: 'Disagreement over the withdrawal of forces' },
  'talks.suspended': { by: 'Qatar' },
  'talks.resumed': { reason: 'Negotiators return to Doha' },
  'talks.collapsed': { reason: 'Both delegations left' },
  'talks.concluded': {},
  'exchange.carried_out': { released: [{ kind: 'hostage', count: 3, releasedBy: 'Hamas', releasedTo: 'Red Cross' }] },
  'figure.reported': { metric: 'killed_in_gaza', value: 46500, unit: 'people', qualifier: 'more_than', originator: 'Gaza health ministry' },
  'report.corrected': {
    targetVersion: 2,
    corrected: { data: { value: 46600 } },
    reason: 'The ministry updated its count',
    issuedBy: 'source',
  },
  'report.retracted': { targetVersion: 2, reason: 'Reported under the wrong talks', issuedBy: 'editor' },
};
