import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { nativeItemSize } from '../../bench/capacity-rules.js';
import { momentumRule } from '../../functions/domain/momentum.js';
import { presentStatus } from '../../functions/domain/present-status.js';
import { project } from '../../functions/domain/project.js';
import { type StoredEvent, type SubmittedEvent, submittedEventSchema } from '../../functions/domain/submitted-event.js';
import { limits } from '../../functions/domain/talks-status.js';
import { upcast } from '../../functions/domain/upcasters.js';
import { encodeStatus, toStatusRecord } from '../../functions/store/status-codec.js';
import { opened, reportedAt, storeAll, submitted } from '../support/event-builders.js';
import { given, on, talksId } from './given.js';

const id = 'truce';
const reached = (day: string) =>
  submitted(
    'agreement.reached',
    { agreementId: id, terms: [{ family: 'ceasefire', text: 'Four days' }], phases: [{ name: 'Pause', durationDays: 4 }] },
    on(day),
  );
const inForce = (day: string) => submitted('agreement.took_effect', { agreementId: id }, on(day));
const hostages = (count: number, group: string, extra: Record<string, unknown> = {}) => ({
  kind: 'hostage',
  count,
  releasedBy: 'Hamas',
  group,
  ...extra,
});
const prisoners = (count: number) => ({ kind: 'prisoner', count, releasedBy: 'Israel' });
const exchange = (
  day: string,
  released: Record<string, unknown>[],
  data: Record<string, unknown> = {},
  envelope: Record<string, unknown> = {},
) => submitted('exchange.carried_out', { released, ...data }, on(day, envelope));

describe('exchanges as a list', () => {
  const base = [opened(on('2025-01-01')), reached('2025-01-10'), inForce('2025-01-11')];

  it('lists each exchange with its date, agreement, releases by kind and group, and the names reported', () => {
    const { status } = given(
      ...base,
      exchange('2025-01-12', [hostages(3, 'Israeli', { names: ['Emily Hand'] }), prisoners(30)], { exchangeId: 'day-1' }),
    );
    expect(status.exchanges.items).toEqual([
      expect.objectContaining({
        id: 'day-1',
        at: '2025-01-12T00:00:00.000Z',
        agreementId: id,
        released: [
          expect.objectContaining({ kind: 'hostage', count: 3, group: 'Israeli', names: ['Emily Hand'] }),
          expect.objectContaining({ kind: 'prisoner', count: 30 }),
        ],
      }),
    ]);
    expect(status.exchanges).toMatchObject({
      count: 1,
      released: { hostage: 3, prisoner: 30 },
      byGroup: { hostage: { Israeli: 3 }, prisoner: { unstated: 30 } },
    });
  });

  it('files an exchange under the agreement in force at its time, else outside any agreement, and releases marked outside apart', () => {
    const before = exchange('2025-01-05', [hostages(2, 'American')]);
    const during = exchange('2025-01-12', [hostages(10, 'Israeli'), hostages(4, 'Thai', { outsideAgreement: true })]);
    const { status } = given(...base, before, during);
    expect(status.exchanges.items.map((e) => e.agreementId ?? null)).toEqual([null, id]);
    expect(status.exchanges.byAgreement).toEqual({ outside: { hostage: 6 }, [id]: { hostage: 10 } });
  });

  it('keeps a competing count of the same exchange side by side with its source, without changing the totals', () => {
    const first = exchange('2025-01-12', [hostages(10, 'Thai')], { exchangeId: 'day-1' });
    const other = exchange(
      '2025-01-12',
      [hostages(12, 'Thai')],
      { exchangeId: 'day-1' },
      { source: { name: 'Reuters', attribution: "Thailand's prime minister" } },
    );
    const { status } = given(...base, first, other);
    expect(status.exchanges.count).toBe(1);
    expect(status.exchanges.released).toEqual({ hostage: 10 });
    expect(status.exchanges.items[0]?.competing).toEqual([
      {
        version: 5,
        source: 'Reuters',
        originator: "Thailand's prime minister",
        released: [expect.objectContaining({ count: 12, group: 'Thai' })],
      },
    ]);
  });

  it(`lists the ${limits.exchanges} latest by valid time and carries the older ones in the totals`, () => {
    const many = Array.from({ length: 30 }, (_, i) => exchange(`2025-01-${String(i + 1).padStart(2, '0')}`, [hostages(i + 1, 'Israeli')]));
    const { status } = given(opened(on('2025-01-01')), ...many);
    expect(status.exchanges.items).toHaveLength(limits.exchanges);
    expect(status.exchanges.items[0]?.at.slice(0, 10)).toBe('2025-01-11');
    expect(status.exchanges).toMatchObject({
      count: 30,
      released: { hostage: (30 * 31) / 2 },
      earlier: { count: 10, released: { hostage: 55 } },
    });
  });

  it('shows a corrected exchange with its original counts, the correction and its reason', () => {
    const { log } = given(...base, exchange('2025-01-12', [hostages(13, 'Israeli')]));
    const fix = submitted('report.corrected', {
      targetVersion: 4,
      corrected: { data: { released: [hostages(12, 'Israeli')] } },
      reason: 'One was counted twice',
      issuedBy: 'source',
    });
    const { status } = given(...log, fix);
    expect(status.exchanges.released).toEqual({ hostage: 12 });
    expect(status.exchanges.items[0]?.corrections).toEqual([
      { version: 5, reason: 'One was counted twice', issuedBy: 'source', original: { released: [expect.objectContaining({ count: 13 })] } },
    ]);
  });
});

describe('a corrected competing count', () => {
  it('shows its original count, the correction and its reason beside the headline, which it does not change', () => {
    const first = exchange('2025-01-12', [hostages(10, 'Thai')], { exchangeId: 'day-1' });
    const other = exchange('2025-01-12', [hostages(12, 'Thai')], { exchangeId: 'day-1' }, { source: { name: 'Reuters' } });
    const fix = submitted('report.corrected', {
      targetVersion: 5,
      corrected: { data: { released: [hostages(11, 'Thai')] } },
      reason: 'Misheard',
      issuedBy: 'editor',
    });
    const { status } = given(opened(on('2025-01-01')), reached('2025-01-10'), inForce('2025-01-11'), first, other, fix);
    expect(status.exchanges.released).toEqual({ hostage: 10 });
    const [competing] = status.exchanges.items[0]?.competing ?? [];
    expect(competing?.released).toEqual([expect.objectContaining({ count: 11 })]);
    expect(competing?.corrections).toEqual([
      { version: 6, reason: 'Misheard', issuedBy: 'editor', original: { released: [expect.objectContaining({ count: 12 })] } },
    ]);
  });
});

describe('corrections visible where they apply', () => {
  it('shows a corrected figure with its original value, the correction and its reason', () => {
    const figure = submitted('figure.reported', {
      metric: 'killed_in_gaza',
      value: 46500,
      unit: 'people',
      qualifier: 'more_than',
      originator: 'Ministry',
    });
    const fix = submitted('report.corrected', {
      targetVersion: 2,
      corrected: { data: { value: 46600 } },
      reason: 'Updated count',
      issuedBy: 'source',
    });
    const { status } = given(opened(), figure, fix);
    expect(status.figures[0]).toMatchObject({
      value: 46600,
      corrections: [{ version: 3, reason: 'Updated count', issuedBy: 'source', original: { value: 46500 } }],
    });
  });

  it('marks nothing that was not corrected', () => {
    const { status } = given(
      opened(),
      submitted('figure.reported', { metric: 'm', value: 1, unit: 'u', qualifier: 'exact', originator: 'o' }),
    );
    expect(status.figures[0]).not.toHaveProperty('corrections');
  });
});

describe('participants with a kind', () => {
  it('counts mediators by state or organization, a person under whom it represents', () => {
    const { status } = given(
      submitted(
        'talks.opened',
        {
          title: 'T',
          parties: ['Israel', 'Hamas'],
          mediators: ['Qatar', 'United Nations'],
          participantKinds: { Qatar: 'state', 'United Nations': 'organization', Hamas: 'organization' },
        },
        on('2025-01-01'),
      ),
      submitted('participant.joined', { name: 'Mohammed bin Abdulrahman Al Thani', role: 'mediator', represents: 'Qatar', kind: 'person' }),
      submitted('participant.joined', { name: 'Egypt', role: 'mediator', kind: 'state' }),
    );
    expect(status.participants.find((p) => p.name === 'Hamas')?.kind).toBe('organization');
    expect(presentStatus(status, new Date('2025-01-14T00:00:00Z')).mediators).toEqual({
      entities: ['Qatar', 'United Nations', 'Egypt'],
      byKind: { state: 2, organization: 1, unstated: 0 },
      people: [{ name: 'Mohammed bin Abdulrahman Al Thani', represents: 'Qatar' }],
    });
  });

  it('takes a participant that represents another, with no kind stated, for a person (every v1 event)', () => {
    const { status } = given(
      opened(),
      submitted('participant.joined', { name: 'Steve Witkoff', role: 'envoy', represents: 'United States' }),
    );
    expect(status.participants.find((p) => p.name === 'Steve Witkoff')).toMatchObject({ kind: 'person', represents: 'United States' });
    expect(status.participants.find((p) => p.name === 'Qatar')).not.toHaveProperty('kind');
  });
});

describe('momentum judged at the moment viewed', () => {
  const assessed = (day: string) => submitted('progress.assessed', { assessment: 'significant_progress', by: 'A mediator' }, on(day));

  it('fades as time passes without news, to unknown once the news is too old', () => {
    const { status } = given(opened(on('2025-01-01')), assessed('2025-01-13'));
    const at = (day: string) => presentStatus(status, new Date(`${day}T00:00:00Z`)).momentum;
    expect(at('2025-01-13')).toMatchObject({ label: 'positive', score: 1.5 });
    expect(at('2025-01-20')).toMatchObject({ label: 'positive', score: 0.75 });
    expect(at('2025-01-27')).toMatchObject({ label: 'mixed', score: 0.375, weight: 0.25 });
    expect(at('2025-01-28')).toMatchObject({ label: 'unknown' });
    expect(at('2025-03-01')).toMatchObject({ label: 'unknown', score: null, basis: 0 });
  });

  it('is moved by agreements and by breaches and collapses, and shows each component', () => {
    const deal = given(opened(on('2025-01-01')), reached('2025-01-13'));
    const m = presentStatus(deal.status, new Date('2025-01-13T00:00:00Z')).momentum;
    expect(m).toMatchObject({ label: 'positive', score: momentumRule.signals.agreement_reached, basis: 1 });
    expect(m.components).toEqual([{ version: 2, at: '2025-01-13T00:00:00.000Z', what: 'agreement_reached', score: 2, weight: 1 }]);
    const collapsed = given(opened(on('2025-01-01')), submitted('talks.collapsed', {}, on('2025-01-13')));
    expect(presentStatus(collapsed.status, new Date('2025-01-13T00:00:00Z')).momentum).toMatchObject({ label: 'negative', score: -2 });
    const breach = given(...deal.log, inForce('2025-01-13'), submitted('agreement.breached', { summary: 'Rockets' }, on('2025-01-14')));
    expect(presentStatus(breach.status, new Date('2025-01-14T00:00:00Z')).momentum.components?.map((c) => c.what)).toEqual([
      'agreement_reached',
      'agreement_in_force',
      'agreement_breached',
    ]);
  });

  it('does not count what happened after the moment viewed', () => {
    const { status } = given(opened(on('2025-01-01')), assessed('2025-01-13'));
    expect(presentStatus(status, new Date('2025-01-12T00:00:00Z')).momentum.label).toBe('unknown');
  });
});

describe('plausible dates', () => {
  const parse = (envelope: Record<string, unknown>, data: Record<string, unknown> = {}) =>
    submittedEventSchema.safeParse({ type: 'talks.resumed', reportedAt, source: { name: 'NBC News' }, data, ...envelope });
  const fields = (r: ReturnType<typeof parse>) => (r.success ? [] : r.error.issues.map((i) => i.path.join('/')));

  it('rejects occurredAt later than reportedAt beyond its precision window, naming the field', () => {
    expect(fields(parse({ occurredAt: '9999-01-01T00:00:00Z' }))).toEqual(['occurredAt']);
    expect(fields(parse({ occurredAt: '2025-01-13T12:00:01Z' }))).toEqual(['occurredAt']);
  });

  it('names only the field that does not parse, never occurredAt for it', () => {
    expect(fields(parse({ occurredAt: '2025-01-13T00:00:00Z', reportedAt: 'yesterday' }))).toEqual(['reportedAt']);
  });

  it('accepts a development within its precision window of the report', () => {
    expect(parse({ occurredAt: '2025-01-14T00:00:00Z', occurredPrecision: 'day' }).success).toBe(true);
    expect(parse({ occurredAt: '2025-01-14T12:00:01Z', occurredPrecision: 'day' }).success).toBe(false);
    expect(parse({ occurredAt: '2025-01-13T12:00:00Z' }).success).toBe(true);
  });

  it('rejects a time an offset pushes past year 9999 or before year 0000, naming the field', () => {
    expect(fields(parse({ reportedAt: '9999-12-31T23:59:59-23:59' }))).toEqual(['reportedAt']);
    expect(fields(parse({ reportedAt: '0000-01-01T00:00:00+01:00' }))).toEqual(['reportedAt']);
    const due = submittedEventSchema.safeParse({
      type: 'deadline.set',
      reportedAt,
      source: { name: 'NBC News' },
      data: { due: '9999-12-31T23:00:00-02:00', kind: 'target', setBy: 'US', appliesTo: 'A deal' },
    });
    expect(due.success ? [] : due.error.issues.map((i) => i.path.join('/'))).toEqual(['data/due']);
    expect(parse({ reportedAt: '9999-12-31T23:59:59Z' }).success).toBe(true);
  });
});

describe('events of older schema versions', () => {
  /** A stored event as the store wrote it under v1 of its type. */
  const asV1 = (event: StoredEvent, data: Record<string, unknown>): StoredEvent => ({ ...event, schemaVersion: 1, data }) as StoredEvent;

  it('upcasts a v1 exchange (no exchangeId, group or outsideAgreement) and projects it as before: totals by kind', () => {
    const log = storeAll(talksId, [opened(), exchange('2025-01-13', [hostages(3, 'x')])]);
    const v1 = asV1(log[1] as StoredEvent, { released: [{ kind: 'hostage', count: 3, releasedBy: 'Hamas' }] });
    expect(upcast(v1).data).toEqual({ released: [{ kind: 'hostage', count: 3, releasedBy: 'Hamas', outsideAgreement: false }] });
    const status = project(talksId, [log[0] as StoredEvent, v1]);
    expect(status.exchanges).toMatchObject({ count: 1, released: { hostage: 3 }, byAgreement: { outside: { hostage: 3 } } });
  });

  it('projects v1 agreement events as one agreement, reached then in force', () => {
    const log = storeAll(talksId, [
      opened(on('2025-01-01')),
      submitted(
        'agreement.reached',
        { terms: [{ family: 'ceasefire', text: 'Six weeks' }], phases: [{ name: 'Phase one', durationDays: 42 }] },
        on('2025-01-15'),
      ),
      submitted('agreement.took_effect', { phase: 'Phase one' }, on('2025-01-19')),
    ]).map((e, i) => (i === 0 ? e : asV1(e, e.data as Record<string, unknown>)));
    const status = project(talksId, log);
    expect(status.agreements.map((a) => [a.id, a.state])).toEqual([['a2', 'in_force']]);
    expect(status).toMatchObject({
      phase: 'in_force',
      agreement: { state: 'in_force', inForceSince: '2025-01-19T00:00:00.000Z', currentPhase: 'Phase one' },
    });
  });
});

describe('a status item written before the two axes', () => {
  it('still folds and reads (empty new fields) until it is rebuilt', () => {
    const log = storeAll(talksId, [opened(on('2025-01-01')), submitted('talks.stalled', {}, on('2025-01-05'))]);
    const { negotiation: _n, signals: _s, agreements: _a, ...rest } = project(talksId, log.slice(0, 1));
    const old = { ...rest, exchanges: { count: 0, released: {} } } as unknown as Parameters<typeof project>[2];
    const status = project(talksId, log.slice(1), old);
    expect(status).toMatchObject({ phase: 'stalled', negotiation: { phase: 'stalled' }, agreements: [] });
    expect(presentStatus(status, new Date('2025-01-06T00:00:00Z')).exchanges).toMatchObject({ count: 0, items: [] });
  });
});

describe('the status item stays small', () => {
  const load = (file: string) => {
    const scenario = JSON.parse(readFileSync(new URL(`../../scenarios/${file}`, import.meta.url), 'utf8')) as {
      talksId: string;
      events: unknown[];
    };
    const events = scenario.events.map((e) => submittedEventSchema.parse(e) as SubmittedEvent);
    return project(scenario.talksId, storeAll(scenario.talksId, events));
  };

  it.each(['ceasefire-talks-2025-01-13.json', 'truce-2023-11.json'])('is under 4 KB as stored (compressed) for %s', (file) => {
    const status = load(file);
    const bytes = nativeItemSize(toStatusRecord(status, 'write-id') as unknown as Record<string, unknown>);
    expect(bytes).toBeLessThan(4096);
    // The item holds the whole status, compressed (smaller than gzip would make it).
    expect(bytes).toBeGreaterThan(encodeStatus(status).byteLength);
    expect(encodeStatus(status).byteLength).toBeLessThan(gzipSync(JSON.stringify(status)).length);
  });
});
