import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { derToRawSignature } from '../../functions/domain/ecdsa-signature.js';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** The lengths of r and s as DER INTEGERs: 33 when the high bit forced a 0x00, under 32 when leading bytes were zero. */
function integerLengths(der: Buffer): [number, number] {
  const rLength = der[3]!;
  return [rLength, der[4 + rLength + 1]!];
}

describe('DER to raw ECDSA signatures (what KMS answers → what ES256 needs)', () => {
  it('converts node:crypto DER signatures, including r or s with a 0x00 in front or shorter than 32 bytes', () => {
    const seen = { highBit: 0, short: 0, plain: 0 };
    for (let i = 0; i < 20_000 && (seen.short < 2 || seen.highBit < 2 || seen.plain < 2); i += 1) {
      const message = Buffer.from(`checkpoint ${i}`);
      const der = sign('sha256', message, { key: privateKey, dsaEncoding: 'der' });
      const raw = derToRawSignature(der);
      expect(raw).toHaveLength(64);
      expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
      for (const length of integerLengths(der)) {
        if (length === 33) seen.highBit += 1;
        else if (length < 32) seen.short += 1;
        else seen.plain += 1;
      }
    }
    expect(seen.short).toBeGreaterThanOrEqual(2);
    expect(seen.highBit).toBeGreaterThanOrEqual(2);
    expect(seen.plain).toBeGreaterThanOrEqual(2);
  });

  it('pads small values and drops the sign byte, exactly', () => {
    const r = Buffer.alloc(32, 0);
    r[31] = 0x05;
    const s = Buffer.alloc(32, 0xff);
    const der = Buffer.concat([Buffer.of(0x30, 3 + 35, 0x02, 0x01, 0x05, 0x02, 0x21, 0x00), s]);
    expect(derToRawSignature(der)).toEqual(Buffer.concat([r, s]));
  });

  it.each([
    ['not a SEQUENCE', [0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]],
    ['a wrong SEQUENCE length', [0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]],
    ['bytes after s', [0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00]],
    ['a negative INTEGER', [0x30, 0x06, 0x02, 0x01, 0x81, 0x02, 0x01, 0x01]],
    ['a non-minimal INTEGER', [0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x01]],
    ['an INTEGER that is not one', [0x30, 0x06, 0x04, 0x01, 0x01, 0x02, 0x01, 0x01]],
    ['a truncated signature', [0x30, 0x06, 0x02, 0x01, 0x01, 0x02]],
    ['an empty INTEGER', [0x30, 0x05, 0x02, 0x00, 0x02, 0x01, 0x01]],
  ])('refuses %s', (_, bytes) => {
    expect(() => derToRawSignature(Buffer.from(bytes))).toThrow(RangeError);
  });

  it('refuses an INTEGER longer than the curve allows', () => {
    const big = Buffer.concat([Buffer.of(0x02, 0x21, 0x01), Buffer.alloc(32, 1)]);
    const der = Buffer.concat([Buffer.of(0x30, big.length + 3), big, Buffer.of(0x02, 0x01, 0x01)]);
    expect(() => derToRawSignature(der)).toThrow(/longer than 32 bytes/);
  });
});
