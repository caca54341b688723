import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { BenchStore } from './bench-store.js';
import { indexEntrySize, nativeItemSize, transactionalWriteUnits, writeUnits } from './capacity-rules.js';
import { sum } from './stats.js';

export interface AccountingProbe {
  case: string;
  /** Total units DynamoDB Local reported (table + index with ReturnConsumedCapacity INDEXES). */
  reported: { table: number; index: number };
  /** By the published rules: every item rounded up to 1 KB and doubled; index writes not doubled. */
  computed: { table: number; index: number };
}

/**
 * Calibrates DynamoDB Local's ConsumedCapacity for transactions with items of known size,
 * so the append figures can say where Local and the published rules part ways.
 */
export async function probeLocalAccounting(store: BenchStore): Promise<AccountingProbe[]> {
  const { doc } = store.ctx;
  const probes: AccountingProbe[] = [];
  const plain = async (label: string, count: number, bytes: number) => {
    const items = Array.from({ length: count }, (_, i) => ({ pk: `probe-${label}`, sk: i + 1, kind: 'probe', d: 'x'.repeat(bytes) }));
    const result = await doc.send(
      new TransactWriteCommand({
        TransactItems: items.map((Item) => ({ Put: { TableName: store.tables.events, Item } })),
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    const c = result.ConsumedCapacity?.[0];
    probes.push({
      case: label,
      reported: { table: c?.Table?.CapacityUnits ?? Number.NaN, index: 0 },
      computed: { table: sum(items.map((i) => transactionalWriteUnits(nativeItemSize(i)))), index: 0 },
    });
  };
  await plain('1 item of ~0.1 KB', 1, 100);
  await plain('25 items of ~0.1 KB', 25, 100);
  await plain('25 items of ~0.7 KB', 25, 700);
  await plain('10 items of ~2.9 KB', 10, 3000);
  const status = (n: number) => ({
    pk: 'probe-status',
    sk: 0,
    kind: 'status',
    listPk: 'talks',
    activityKey: `2025-01-13T12:00:0${n}.000Z#probe`,
    summary: { title: 'probe' },
    d: 'x'.repeat(1500),
  });
  for (const [label, n] of [
    ['status-like put, new (index entry added)', 1],
    ['status-like put, replacing (index entry moved)', 2],
  ] as const) {
    const item = status(n);
    const result = await doc.send(
      new TransactWriteCommand({
        TransactItems: [{ Put: { TableName: store.tables.state, Item: item } }],
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    const c = result.ConsumedCapacity?.[0];
    const index = Object.values(c?.GlobalSecondaryIndexes ?? {}).reduce((total, i) => total + (i.CapacityUnits ?? 0), 0);
    const indexWrites = n === 1 ? 1 : 2;
    probes.push({
      case: label,
      reported: { table: c?.Table?.CapacityUnits ?? Number.NaN, index },
      computed: { table: transactionalWriteUnits(nativeItemSize(item)), index: indexWrites * writeUnits(indexEntrySize(item)) },
    });
  }
  return probes;
}
