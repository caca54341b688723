import fc from 'fast-check';
import { provisionFamily } from '../../functions/domain/common-schemas.js';
import { assessmentScale, type EventType, type RevisionType, stances } from '../../functions/domain/event-catalog.js';

/**
 * Random but valid event data of every development type, as a client would send it (JSON:
 * no undefined values; times with and without offsets, dates alone), from small
 * vocabularies so that parties, metrics and valid times collide often.
 */
export type DevelopmentType = Exclude<EventType, RevisionType>;

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const json = (arb: fc.Arbitrary<Record<string, unknown>>) =>
  arb.map((value) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>);

const parties = ['Israel', 'Hamas', 'Egypt', 'Qatar', 'United States'];
const party = fc.constantFrom(...parties);
const person = fc.constantFrom('Steve Witkoff', "Gideon Sa'ar", 'Basem Naim', 'Mohammed bin Abdulrahman Al Thani', ...parties);
const sentence = fc.constantFrom('Progress was made', 'Talks will go on', '  Trimmed on input  ', 'No comment');
const day = fc.integer({ min: 1, max: 20 }).map((d) => `2025-01-${String(d).padStart(2, '0')}`);
export const time = fc
  .tuple(
    day,
    fc.constantFrom('T00:00:00Z', 'T11:59:00Z', 'T12:00:00Z', 'T12:00:00.000Z', 'T14:00:00+02:00', 'T07:00:00-05:00', 'T12:01:00+00:00'),
  )
  .map(([d, t]) => `${d}${t}`);
const dayOrTime = fc.oneof(day, time);
const role = fc.constantFrom('party', 'mediator', 'envoy', 'guarantor', 'observer');
const terms = fc.array(fc.record({ family: fc.constantFrom(...provisionFamily.options), text: sentence }), { minLength: 1, maxLength: 3 });
const transition = json(fc.record({ reason: opt(sentence), by: opt(party) }));
const amount = fc.integer({ min: 0, max: 50_000 });
const agreementId = fc.constantFrom('truce', 'phase-two-deal');
const kind = fc.constantFrom('state', 'organization', 'person');

export const dataArbitraries: { [T in DevelopmentType]: fc.Arbitrary<Record<string, unknown>> } = {
  'talks.opened': json(
    fc.record({
      title: sentence,
      subject: opt(sentence),
      parties: fc.uniqueArray(party, { minLength: 1, maxLength: 3 }),
      mediators: opt(fc.uniqueArray(party, { maxLength: 2 })),
      format: opt(fc.constantFrom('direct', 'indirect', 'proximity')),
      participantKinds: opt(fc.dictionary(party, kind, { maxKeys: 3 })),
    }),
  ),
  'participant.joined': json(fc.record({ name: person, role, represents: opt(party), kind: opt(kind), note: opt(sentence) })),
  'participant.role_changed': json(fc.record({ name: person, role })),
  'progress.assessed': json(fc.record({ assessment: fc.constantFrom(...assessmentScale), by: person, summary: opt(sentence) })),
  'statement.issued': json(
    fc.record({
      speaker: fc.record({ name: person, role: opt(fc.constantFrom('Foreign Minister', 'Spokesman')), affiliation: party }),
      party: opt(party),
      stance: fc.constantFrom(...stances),
      summary: sentence,
      quote: opt(sentence),
      modality: opt(fc.constantFrom('asserted', 'intended', 'hypothetical', 'negated')),
    }),
  ),
  'statement.none_noted': json(fc.record({ party, asOf: time, declinedToComment: opt(fc.boolean()), note: opt(sentence) })),
  'deadline.set': json(
    fc.record({
      due: dayOrTime,
      duePrecision: opt(fc.constantFrom('instant', 'day', 'week', 'month')),
      kind: fc.constantFrom('aspiration', 'target', 'ultimatum'),
      setBy: person,
      appliesTo: sentence,
      consequence: opt(sentence),
      concerns: opt(fc.constantFrom('agreement', 'agreement_start', 'release', 'other')),
      agreementId: opt(agreementId),
    }),
  ),
  'meeting.held': json(
    fc.record({
      participants: fc.uniqueArray(person, { minLength: 1, maxLength: 4 }),
      kind: fc.constantFrom('meeting', 'call', 'visit', 'third_party', 'multilateral'),
      place: opt(fc.constantFrom('Doha', 'Cairo')),
      summary: opt(sentence),
    }),
  ),
  'proposal.tabled': json(fc.record({ by: party, terms, summary: opt(sentence) })),
  'agreement.reached': json(
    fc.record({
      agreementId: opt(agreementId),
      name: opt(fc.constantFrom('Four-day pause', 'Phased deal')),
      stage: opt(fc.constantFrom('ceasefire', 'framework_partial', 'implementation')),
      terms,
      phases: opt(
        fc.array(
          fc.record({
            name: fc.constantFrom('Phase one', 'Phase two'),
            durationDays: opt(fc.integer({ min: 1, max: 60 })),
            startsAt: opt(time),
          }),
          { maxLength: 3 },
        ),
      ),
      signatories: opt(fc.uniqueArray(party, { maxLength: 2 })),
      announcedBy: opt(party),
    }),
  ),
  'agreement.took_effect': json(
    fc.record({ agreementId: opt(agreementId), phase: opt(fc.constantFrom('Phase one', 'Phase two')), note: opt(sentence) }),
  ),
  'agreement.approval_decided': json(
    fc.record({
      agreementId: opt(agreementId),
      party,
      body: fc.constantFrom('cabinet', 'government', 'parliament', 'party_leadership', 'head_of_state', 'other'),
      by: opt(person),
      outcome: fc.constantFrom('approved', 'rejected', 'conditional'),
      conditions: opt(sentence),
      note: opt(sentence),
    }),
  ),
  'agreement.start_announced': json(fc.record({ agreementId: opt(agreementId), startsAt: time, by: opt(party), note: opt(sentence) })),
  'agreement.extended': json(
    fc
      .record({
        agreementId: opt(agreementId),
        phase: opt(fc.constantFrom('Phase one', 'Phase two')),
        by: opt(party),
        extension: fc.oneof(fc.record({ days: fc.integer({ min: 1, max: 10 }) }), fc.record({ until: time })),
      })
      .map(({ extension, ...rest }) => ({ ...rest, ...extension })),
  ),
  'agreement.breached': json(
    fc.record({ agreementId: opt(agreementId), allegedBy: opt(party), against: opt(party), summary: sentence, held: opt(fc.boolean()) }),
  ),
  'agreement.suspended': json(fc.record({ agreementId: opt(agreementId), by: opt(party), reason: opt(sentence) })),
  'agreement.ended': json(
    fc.record({
      agreementId: opt(agreementId),
      how: fc.constantFrom('expired', 'completed', 'terminated', 'collapsed', 'superseded'),
      by: opt(party),
      reason: opt(sentence),
    }),
  ),
  'deadline.resolved': json(
    fc.record({
      deadlineVersion: fc.integer({ min: 1, max: 30 }),
      outcome: fc.constantFrom('met', 'missed', 'extended', 'withdrawn'),
      newDue: opt(dayOrTime),
      note: opt(sentence),
    }),
  ),
  'talks.stalled': transition,
  'talks.suspended': transition,
  'talks.resumed': transition,
  'talks.collapsed': transition,
  'talks.concluded': transition,
  'exchange.carried_out': json(
    fc.record({
      exchangeId: opt(fc.constantFrom('day-1', 'day-2', 'day-3')),
      agreementId: opt(agreementId),
      released: fc.array(
        fc.record({
          kind: fc.constantFrom('hostage', 'prisoner', 'detainee', 'remains'),
          count: fc.integer({ min: 0, max: 100 }),
          releasedBy: party,
          releasedTo: opt(party),
          group: opt(fc.constantFrom('Thai', 'Israeli', 'minors')),
          outsideAgreement: opt(fc.boolean()),
          names: opt(fc.uniqueArray(fc.constantFrom('Emily Hand', 'Abigail Edan', 'Mia Schem'), { maxLength: 2 })),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      phase: opt(sentence),
    }),
  ),
  'figure.reported': json(
    fc
      .record({
        metric: fc.constantFrom('killed_in_gaza', 'hostages_held', 'aid_trucks'),
        estimate: fc.oneof(fc.record({ value: amount }), fc.record({ low: opt(amount), best: amount, high: opt(amount) })),
        unit: fc.constantFrom('people', 'trucks'),
        qualifier: fc.constantFrom('exact', 'about', 'at_least', 'more_than', 'up_to', 'fewer_than'),
        asOf: opt(dayOrTime),
        caveat: opt(sentence),
        originator: fc.constantFrom('Gaza health ministry', 'Israel', 'United Nations'),
      })
      .map(({ estimate, ...rest }) => ({ ...rest, ...estimate })),
  ),
};

export const developmentTypes = Object.keys(dataArbitraries).filter((t) => t !== 'talks.opened') as DevelopmentType[];

/**
 * Where a report comes from: named outlets, sometimes an anonymous official. A development
 * happens before it is reported (or within its precision window): of two drawn times, the
 * later is the report's.
 */
export const envelopeArbitrary = json(
  fc
    .record({
      occurredAt: opt(time),
      occurredPrecision: opt(fc.constantFrom('instant', 'day')),
      reportedAt: time,
      source: fc.record({ name: fc.constantFrom('NBC News', 'Reuters'), anonymous: opt(fc.boolean()), attribution: opt(sentence) }),
    })
    .map((e) =>
      e.occurredAt !== undefined && Date.parse(e.occurredAt) > Date.parse(e.reportedAt)
        ? { ...e, occurredAt: e.reportedAt, reportedAt: e.occurredAt }
        : e,
    ),
);
