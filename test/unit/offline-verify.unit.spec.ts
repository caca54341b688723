import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyOffline } from '../../bin/cli/offline-verify.js';
import { checkpointResponse, signCheckpoint } from '../../functions/domain/checkpoint.js';
import { buildJwks } from '../../functions/domain/jwks.js';
import { MemoryTree } from '../../functions/domain/memory-tree.js';
import { eventLeafHash, rootHash } from '../../functions/domain/merkle-tree.js';
import { keyObjectSigner } from '../../functions/signing/key-signer.js';
import { opened, storeAll, submitted } from '../support/event-builders.js';
import { exampleData } from './example-data.js';

const signer = await keyObjectSigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
const jwks = buildJwks(signer);
const log = storeAll('border-talks', [
  opened(),
  ...Array.from({ length: 6 }, () => submitted('statement.issued', exampleData['statement.issued'])),
]) as unknown as Record<string, unknown>[];

async function checkpointOf(events: readonly Record<string, unknown>[], talksId = 'border-talks') {
  const tree = new MemoryTree(events.map((e) => eventLeafHash(e.hash as string)));
  const payload = {
    talksId,
    treeSize: tree.size,
    rootHash: rootHash(tree, tree.size).toString('hex'),
    signedAt: '2025-02-01T00:00:00.000Z',
  };
  return checkpointResponse(payload, await signCheckpoint(signer, payload));
}
const failing = (report: Awaited<ReturnType<typeof verifyOffline>>) => report.checks.filter((c) => !c.ok).map((c) => c.name);

describe('verifying an export offline', () => {
  it('passes every check for the log a checkpoint signed', async () => {
    const report = await verifyOffline(log, await checkpointOf(log), jwks);
    expect(report).toMatchObject({ ok: true, events: 7, treeSize: 7, coveredThrough: 7, firstUncovered: null, kid: signer.kid });
    expect(report.checks.map((c) => c.name)).toEqual(['signature', 'hash chain', 'tree root', 'coverage']);
  });

  it('names an export shorter than the checkpoint, and covers nothing', async () => {
    const report = await verifyOffline(log.slice(0, 5), await checkpointOf(log), jwks);
    expect(failing(report)).toEqual(['tree root', 'coverage']);
    expect(report.checks[2]?.detail).toBe('the export holds 5 events, the checkpoint covers 7');
    expect(report).toMatchObject({ coveredThrough: 0, firstUncovered: 1 });
  });

  it('names a line that is not a stored event', async () => {
    const report = await verifyOffline([...log.slice(0, 3), { type: 'statement.issued' }, ...log.slice(4)], await checkpointOf(log), jwks);
    expect(report.checks[1]?.detail).toContain('line 4 has no event hash');
    expect(report.ok).toBe(false);
  });

  it('refuses an export of another talks under a checkpoint of this one', async () => {
    const other = storeAll('other-talks', [opened()]) as unknown as Record<string, unknown>[];
    const report = await verifyOffline(other, await checkpointOf(other, 'border-talks'), jwks);
    expect(report.checks[1]?.detail).toContain('foreign-event');
    expect(report.firstUncovered).toBe(1);
  });

  it('covers the versions before a broken link, none after', async () => {
    const broken = log.map((e, i) => (i === 4 ? { ...e, prevHash: '0'.repeat(64) } : e));
    const report = await verifyOffline(broken, await checkpointOf(log), jwks);
    expect(failing(report)).toEqual(['hash chain', 'coverage']);
    expect(report).toMatchObject({ coveredThrough: 4, firstUncovered: 5 });
  });
});
