/**
 * ECDSA signatures come in two forms: DER (an ASN.1 SEQUENCE of two INTEGERs r and s),
 * which AWS KMS and OpenSSL produce, and JWS's raw form (RFC 7518 section 3.4: r and s
 * as fixed-size big-endian octets, concatenated), which ES256 requires. A DER INTEGER is
 * minimal and signed: a value with its high bit set gets a 0x00 byte in front, a small
 * value is shorter than 32 bytes; both must become exactly 32 bytes.
 */

const notDer = (why: string) => new RangeError(`not a DER ECDSA signature: ${why}`);

/** DER → r || s, each `size` bytes (32 for P-256). Strict DER: anything else is refused. */
export function derToRawSignature(der: Uint8Array, size = 32): Buffer {
  let pos = 0;
  const byte = (): number => {
    const b = der[pos];
    if (b === undefined) throw notDer('truncated');
    pos += 1;
    return b;
  };
  const length = (): number => {
    const first = byte();
    if (first < 0x80) return first;
    if (first !== 0x81) throw notDer('a length longer than one byte');
    const long = byte();
    if (long < 0x80) throw notDer('a length not minimally encoded');
    return long;
  };
  const integer = (): Buffer => {
    if (byte() !== 0x02) throw notDer('an INTEGER expected');
    const len = length();
    if (len === 0 || pos + len > der.length) throw notDer('an INTEGER of a wrong length');
    const bytes = Buffer.from(der.subarray(pos, pos + len));
    pos += len;
    const [lead = 0, next = 0] = bytes;
    if ((lead & 0x80) !== 0) throw notDer('a negative INTEGER');
    if (len > 1 && lead === 0 && (next & 0x80) === 0) throw notDer('an INTEGER not minimally encoded');
    const value = lead === 0 ? bytes.subarray(1) : bytes;
    if (value.length > size) throw notDer(`an INTEGER longer than ${size} bytes`);
    const out = Buffer.alloc(size);
    value.copy(out, size - value.length);
    return out;
  };
  if (byte() !== 0x30) throw notDer('a SEQUENCE expected');
  if (length() !== der.length - pos) throw notDer('the SEQUENCE length differs from the bytes given');
  const r = integer();
  const s = integer();
  if (pos !== der.length) throw notDer('bytes after s');
  return Buffer.concat([r, s]);
}
