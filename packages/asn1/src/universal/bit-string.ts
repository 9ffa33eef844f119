import type { BerReader } from "../reader";
import { type Tag, UniversalTag } from "../tag";
import { type BerWriter, invalidValue } from "../writer";

/**
 * A BIT STRING value: `bitLength` bits, most significant bit of `bytes[0]` first. The padding
 * bits of the last octet carry no meaning: compare with `bitStringEquals`, never byte by byte.
 */
export interface BitString {
  readonly bytes: Uint8Array;
  readonly bitLength: number;
}

/** BIT STRING, X.690 §8.6, primitive form. `bytes` is a view of the input. */
export function readBitString(r: BerReader, tag: Tag = UniversalTag.BIT_STRING): BitString {
  const len = r.readPrimitive(tag);
  const s = r.contentStart;
  if (len === 0) r.fail("invalid-encoding", "BIT STRING without the unused-bits octet", s); // §8.6.2.2
  const unused = r.bytes[s]!;
  // X.690 §8.6.2.2: 0..7 unused bits, and 0 when there are no subsequent octets.
  if (unused > 7 || (len === 1 && unused !== 0)) r.fail("invalid-encoding", `${unused} unused bits`, s);
  return { bytes: r.bytes.subarray(s + 1, r.contentEnd), bitLength: (len - 1) * 8 - unused };
}

/** Writes a BIT STRING with its padding bits zeroed (canonical, X.690 §11.2.1). */
export function writeBitString(w: BerWriter, value: BitString, tag: Tag = UniversalTag.BIT_STRING): void {
  const n = (value.bitLength + 7) >> 3;
  if (value.bitLength < 0 || value.bytes.length < n) invalidValue("BIT STRING shorter than its bitLength");
  w.writeTag(tag);
  w.writeLength(n + 1);
  w.ensure(n + 1);
  const unused = n * 8 - value.bitLength;
  w.buf[w.pos++] = unused;
  w.buf.set(value.bytes.subarray(0, n), w.pos);
  w.pos += n;
  if (unused) w.buf[w.pos - 1]! &= (0xff << unused) & 0xff;
}

/** The value of bit `i` (0 = most significant bit of the first octet); false past the end. */
export function bitAt(value: BitString, i: number): boolean {
  if (i < 0 || i >= value.bitLength) return false;
  return ((value.bytes[i >> 3]! >> (7 - (i & 7))) & 1) === 1;
}

/** Equality by bits: same length and same bits, whatever the padding. */
export function bitStringEquals(a: BitString, b: BitString): boolean {
  if (a.bitLength !== b.bitLength) return false;
  const full = a.bitLength >> 3;
  for (let i = 0; i < full; i++) if (a.bytes[i] !== b.bytes[i]) return false;
  const rest = a.bitLength & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (a.bytes[full]! & mask) === (b.bytes[full]! & mask);
}

/** Builds a BIT STRING from booleans (index 0 first). */
export function bitStringFromBits(bits: readonly boolean[]): BitString {
  const bytes = new Uint8Array((bits.length + 7) >> 3);
  for (let i = 0; i < bits.length; i++) if (bits[i]) bytes[i >> 3]! |= 0x80 >> (i & 7);
  return { bytes, bitLength: bits.length };
}

/** The bits as booleans (index 0 first). */
export function bitStringToBits(value: BitString): boolean[] {
  const out = new Array<boolean>(value.bitLength);
  for (let i = 0; i < value.bitLength; i++) out[i] = bitAt(value, i);
  return out;
}
