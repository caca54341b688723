import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

export interface CancellationReason {
  code: string;
  /** The item as it was, when the put asked for ALL_OLD and its condition failed. */
  item?: Record<string, unknown>;
}

/** The per-item reasons of a cancelled transaction, or undefined for any other error. */
export function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const raw = (error as { CancellationReasons?: { Code?: string; Item?: Record<string, AttributeValue> }[] }).CancellationReasons ?? [];
  return raw.map((r) => ({
    code: r.Code ?? 'None',
    ...(r.Item === undefined ? {} : { item: unmarshall(r.Item) }),
  }));
}
