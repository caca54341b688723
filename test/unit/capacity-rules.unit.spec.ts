import { describe, expect, it } from 'vitest';
import {
  appendTransactionCost,
  budgetWriteUnits,
  listIndexWriteUnits,
  nativeItemSize,
  transactionalWriteUnits,
  writeUnits,
} from '../../bench/capacity-rules.js';

/**
 * The bench reports capacity computed by DynamoDB's published rules, since DynamoDB Local's
 * ConsumedCapacity is not reliable: the rules themselves must be right.
 */
const text = (bytes: number) => 'x'.repeat(bytes);

describe('capacity by the published rules', () => {
  it('sizes items by attribute names plus values (strings as UTF-8, numbers by digits)', () => {
    expect(nativeItemSize({ pk: 'abc' })).toBe(2 + 3);
    expect(nativeItemSize({ é: 'é' })).toBe(2 + 2);
    // 12345 has 5 significant digits: ceil(5 / 2) + 1 bytes.
    expect(nativeItemSize({ n: 12345 })).toBe(1 + 4);
    expect(nativeItemSize({ m: { a: 'b' } })).toBe(1 + 3 + 1 + 1 + 1);
  });

  it('rounds writes up to whole KB, doubles them in a transaction, and charges at least one unit', () => {
    expect(writeUnits(1)).toBe(1);
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
    expect(transactionalWriteUnits(1025)).toBe(4);
  });

  it('costs an append: events and records doubled, the status by the larger of old and new, index entries apart', () => {
    const event = { pk: 't', sk: 1, kind: 'event', body: text(600) };
    const record = { pk: 'event#1', sk: 0, t: 't', v: 1, h: new Uint8Array(32) };
    const status = { pk: 't', sk: 0, kind: 'status', listPk: 'talks', activityKey: 'k', summary: text(100), statusZ: text(1500) };
    const snapshot = { pk: 't', sk: 50, kind: 'snapshot', snapshotAt: '2025-01-13T00:00:00.000Z', statusZ: text(2500) };
    const previous = { ...status, activityKey: 'j', statusZ: text(2000) };
    const cost = appendTransactionCost(
      [{ Put: { Item: event } }, { Put: { Item: record } }, { Put: { Item: status } }, { Put: { Item: snapshot } }],
      previous,
    );
    expect(cost).toMatchObject({ events: 2, idempotency: 2, status: 6, snapshot: 6, table: 16 });
    // The list-index entry moves (delete + put, 1 unit each); the snapshot-index entry is the
    // whole snapshot plus 100 bytes: 3 units.
    expect(cost.index).toBe(2 + 3);
    expect(appendTransactionCost([{ Put: { Item: status } }], undefined).index).toBe(1);
    // A record of the layout before 2026-12-03 counts alike.
    const older = { pk: 'event#2', sk: 0, kind: 'idempotency', talksId: 't', version: 2, contentHash: new Uint8Array(32) };
    expect(appendTransactionCost([{ Put: { Item: older } }], undefined)).toMatchObject({ idempotency: 2, table: 2 });
  });

  it('writes the list index only when the entry changes: its key (a move), or its projected summary (in place)', () => {
    const keysOnly = { pk: 't', sk: 0, kind: 'status', listPk: 'talks', activityKey: '2025-01-13T09#t', statusD: text(900) };
    const sameHour = { ...keysOnly, statusD: text(950) };
    expect(listIndexWriteUnits(sameHour, keysOnly)).toBe(0);
    expect(listIndexWriteUnits({ ...keysOnly, activityKey: '2025-01-13T10#t' }, keysOnly)).toBe(2);
    expect(listIndexWriteUnits({ ...keysOnly, summary: text(50) }, { ...keysOnly, summary: text(60) })).toBe(1);
    // An older item's entry (with its summary) replaced by a keys-only one of the same key: rewritten once.
    expect(listIndexWriteUnits(keysOnly, { ...keysOnly, summary: text(60) })).toBe(1);
    expect(appendTransactionCost([{ Put: { Item: sameHour } }], keysOnly)).toMatchObject({ status: 2, index: 0 });
  });

  it('states the budget: 4 units per event plus twice the status item, once per submission', () => {
    expect(budgetWriteUnits(1, 2600)).toBe(4 + 6);
    expect(budgetWriteUnits(25, 2600)).toBe(100 + 6);
  });
});
