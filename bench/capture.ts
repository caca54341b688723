import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreContext } from '../functions/store/store-context.js';

export type TransactItems = NonNullable<TransactWriteCommand['input']['TransactItems']>;

/**
 * A store context whose client records (a deep copy of) every TransactWriteItems it sends:
 * the items our code computed, to replay as a baseline or to size by DynamoDB's rules.
 * Copying costs time, so this is only used outside timed sections.
 */
export function capturingContext(ctx: StoreContext): { ctx: StoreContext; transactions: TransactItems[] } {
  const transactions: TransactItems[] = [];
  const doc = Object.create(ctx.doc) as DynamoDBDocumentClient;
  doc.send = ((command: unknown, ...rest: unknown[]) => {
    if (command instanceof TransactWriteCommand) transactions.push(structuredClone(command.input.TransactItems ?? []));
    return (ctx.doc.send as (...args: unknown[]) => unknown)(command, ...rest);
  }) as DynamoDBDocumentClient['send'];
  return { ctx: { ...ctx, doc }, transactions };
}

/**
 * The same transactions for another talks: the talks id and every event id swapped for
 * others of the same length, so the items have the same sizes and the same conditions
 * (the status writeIds are replayed too, so each put's condition holds on the copy).
 */
export function retarget(
  transactions: readonly TransactItems[],
  fromTalksId: string,
  toTalksId: string,
  eventIds: ReadonlyMap<string, string>,
): TransactItems[] {
  if (fromTalksId.length !== toTalksId.length) throw new Error('talks ids must have the same length');
  // Binary attributes (the gzipped status) must stay binary through the JSON round trip.
  const replacer = (_key: string, value: unknown) =>
    value instanceof Uint8Array ? { $bytes: Buffer.from(value).toString('base64') } : value;
  const reviver = (_key: string, value: unknown) =>
    typeof value === 'object' && value !== null && typeof (value as { $bytes?: unknown }).$bytes === 'string'
      ? Buffer.from((value as { $bytes: string }).$bytes, 'base64')
      : value;
  return transactions.map((items) => {
    let json = JSON.stringify(items, replacer).replaceAll(fromTalksId, toTalksId);
    for (const [from, to] of eventIds) json = json.replaceAll(from, to);
    return JSON.parse(json, reviver) as TransactItems;
  });
}

/** A store context whose client adds up the time spent inside DynamoDB calls. */
export function timingContext(ctx: StoreContext): { ctx: StoreContext; inCalls: { ms: number } } {
  const inCalls = { ms: 0 };
  const doc = Object.create(ctx.doc) as DynamoDBDocumentClient;
  doc.send = (async (...args: unknown[]) => {
    const started = performance.now();
    try {
      return await (ctx.doc.send as (...a: unknown[]) => Promise<unknown>)(...args);
    } finally {
      inCalls.ms += performance.now() - started;
    }
  }) as DynamoDBDocumentClient['send'];
  return { ctx: { ...ctx, doc }, inCalls };
}
