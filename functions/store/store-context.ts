import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CheckpointKeys } from '../signing/checkpoint-keys.js';
import type { AppendTurns } from './append-turns.js';

/** Everything the store needs from outside: the client, table names, the clock, ids. */
export interface StoreContext {
  readonly doc: DynamoDBDocumentClient;
  readonly tables: { readonly events: string; readonly state: string };
  /** A snapshot of the projection is written every this many versions. */
  readonly snapshotInterval: number;
  readonly now: () => Date;
  readonly newId: () => string;
  /** Bounded retries of a version race when the client gave no expected version. */
  readonly maxAppendAttempts: number;
  /**
   * Retries of a race stop after this long (default 5 s) with a 503 the client can retry:
   * an answer must come back well inside the Lambda's 10 s timeout.
   */
  readonly appendRetryBudgetMs?: number;
  /** When set, appends to one talks wait their turn in this process (the local server). */
  readonly appendTurns?: AppendTurns;
  /** Signs each submission's new head (issue 12): a local key or AWS KMS. */
  readonly checkpoints: CheckpointKeys;
}
