import { canonicalJson, genesisHash, hashEvent } from './hash-chain.js';
import type { StoredEvent } from './submitted-event.js';

export type ProblemKind =
  | 'gap'
  | 'out-of-order'
  | 'foreign-event'
  | 'hash-mismatch'
  | 'broken-link'
  | 'time-reversed'
  | 'status-differs'
  | 'expected-head'
  | 'checkpoint-invalid'
  | 'not-covered';

export interface AuditProblem {
  version: number;
  kind: ProblemKind;
  detail: string;
}

/**
 * Checks a log as it streams past, one event at a time, in constant memory: versions
 * gapless from 1, each hash recomputed from the event's content, each prevHash equal to
 * the hash before it, transaction time never decreasing. Collects the revisions it sees,
 * which a rebuild of the status needs.
 */
export class ChainVerifier {
  private expectedVersion = 1;
  private previousHash = genesisHash;
  private previousRecordedAt = '';
  readonly problems: AuditProblem[] = [];
  readonly revisions: StoredEvent[] = [];
  checked = 0;
  headHash = genesisHash;
  headVersion = 0;
  private readonly heads = new Map<number, string>();

  constructor(
    readonly talksId: string,
    private readonly watchVersions: readonly number[] = [],
  ) {}

  push(event: StoredEvent): void {
    this.checked += 1;
    const problem = (kind: ProblemKind, detail: string) => this.problems.push({ version: this.expectedVersion, kind, detail });
    if (event.talksId !== this.talksId)
      problem('foreign-event', `the event at position ${this.expectedVersion} belongs to ${event.talksId}`);
    if (event.version !== this.expectedVersion) {
      problem(
        event.version > this.expectedVersion ? 'gap' : 'out-of-order',
        `expected version ${this.expectedVersion}, found ${event.version}`,
      );
    }
    const { hash, ...withoutHash } = event;
    if (hashEvent(withoutHash) !== hash) problem('hash-mismatch', `the content of version ${event.version} does not match its hash`);
    if (event.prevHash !== this.previousHash) problem('broken-link', `version ${event.version} does not link to the hash before it`);
    if (event.recordedAt < this.previousRecordedAt)
      problem('time-reversed', `version ${event.version} was recorded before the event before it`);
    if (event.type === 'report.corrected' || event.type === 'report.retracted') this.revisions.push(event);
    if (this.watchVersions.includes(event.version)) this.heads.set(event.version, hash);
    this.previousHash = hash;
    this.previousRecordedAt = event.recordedAt;
    this.headHash = hash;
    this.headVersion = event.version;
    this.expectedVersion = event.version + 1;
  }

  /** The hash the log holds at a version the auditor asked to watch. */
  hashAt(version: number): string | undefined {
    return this.heads.get(version);
  }
}

/** The first place two JSON values differ, as a path, or undefined when they are equal. */
export function firstDifference(expected: unknown, actual: unknown, path = ''): string | undefined {
  if (canonicalJson(expected ?? null) === canonicalJson(actual ?? null)) return undefined;
  if (
    typeof expected !== 'object' ||
    typeof actual !== 'object' ||
    expected === null ||
    actual === null ||
    Array.isArray(expected) !== Array.isArray(actual)
  ) {
    return path === '' ? '/' : path;
  }
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  for (const key of keys) {
    const found = firstDifference((expected as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], `${path}/${key}`);
    if (found !== undefined) return found;
  }
  return path === '' ? '/' : path;
}
