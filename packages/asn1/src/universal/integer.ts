import type { BerReader } from "../reader";
import { type Tag, UniversalTag } from "../tag";
import { type BerWriter, invalidValue } from "../writer";

/**
 * INTEGER, X.690 §8.3: two's complement, big-endian, at least one octet. `readInteger` returns a
 * `number` and fails with `integer-overflow` outside [min, max] (default: the safe integers);
 * `readBigInt` reads any width; `readIntegerOrBigInt` returns a number when it is safe.
 */
export function readInteger(
  r: BerReader,
  tag: Tag = UniversalTag.INTEGER,
  min: number = Number.MIN_SAFE_INTEGER,
  max: number = Number.MAX_SAFE_INTEGER,
): number {
  const len = r.readPrimitive(tag);
  const v = integerContent(r, len, 7);
  if (typeof v !== "number" || v < min || v > max)
    r.fail("integer-overflow", `INTEGER ${String(v)} outside [${min}, ${max}]`, r.contentStart);
  return v;
}

/** ENUMERATED, X.690 §8.4: encoded as an INTEGER. */
export function readEnumerated(r: BerReader, tag: Tag = UniversalTag.ENUMERATED, max = 0x7fffffff): number {
  return readInteger(r, tag, 0, max);
}

export function readBigInt(r: BerReader, tag: Tag = UniversalTag.INTEGER): bigint {
  const len = r.readPrimitive(tag);
  const v = integerContent(r, len);
  return typeof v === "bigint" ? v : BigInt(v);
}

export function readIntegerOrBigInt(r: BerReader, tag: Tag = UniversalTag.INTEGER): number | bigint {
  return integerContent(r, r.readPrimitive(tag));
}

/** Decodes the content octets just read by `readPrimitive`. */
function integerContent(r: BerReader, len: number, maxOctets = Number.POSITIVE_INFINITY): number | bigint {
  const b = r.bytes;
  let s = r.contentStart;
  const e = r.contentEnd;
  if (len === 0) r.fail("invalid-encoding", "INTEGER with no content octets", s); // X.690 §8.3.1
  // X.690 §8.3.2: the first nine bits shall not be all zeros or all ones (DER and BER alike;
  // lenient decoding accepts them since some peers pad, strict decoding refuses).
  if (len > 1) {
    if (redundantSignOctet(b[s]!, b[s + 1]!)) {
      if (r.limits.strict) r.fail("invalid-encoding", "non-minimal INTEGER", s);
      // Drop the redundant sign octets, so that padding costs nothing below.
      while (e - s > 1 && redundantSignOctet(b[s]!, b[s + 1]!)) s++;
    }
  }
  const n = e - s;
  // A number never needs more than 7 octets: fail before materialising a huge value.
  if (n > maxOctets) r.fail("integer-overflow", `INTEGER of ${n} octets`, r.contentStart);
  if (n <= 6) {
    let v = (b[s]! << 24) >> 24; // sign-extend the first octet
    for (let i = 1; i < n; i++) v = v * 256 + b[s + i]!;
    return v;
  }
  // Wide values: one hex parse (linear in the length) instead of a shift per octet (quadratic).
  let h = "0x";
  for (let i = s; i < e; i++) h += HEX[b[i]!]!;
  let v = BigInt(h);
  if (b[s]! & 0x80) v -= 1n << BigInt(8 * n);
  if (v >= MIN_SAFE && v <= MAX_SAFE) return Number(v);
  return v;
}

/** True when octet `a` only repeats the sign of octet `c` (the first nine bits are equal). */
function redundantSignOctet(a: number, c: number): boolean {
  const x = (a << 1) | (c >> 7);
  return x === 0 || x === 0x1ff;
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Content octets of `value` as a minimal two's-complement INTEGER (X.690 §8.3.2), for any safe
 * integer: 1 for -128..127, 2 for -32 768..32 767, and so on up to 7.
 */
export function integerOctets(value: number): number {
  let n = 1;
  let limit = 0x80;
  while (n < 7 && (value >= limit || value < -limit)) {
    n++;
    limit *= 0x100;
  }
  return n;
}

/** Writes an INTEGER in the minimal number of octets. */
export function writeInteger(w: BerWriter, value: number | bigint, tag: Tag = UniversalTag.INTEGER): void {
  if (typeof value === "bigint") {
    writeBigIntContent(w, value, tag);
    return;
  }
  if (!Number.isSafeInteger(value)) invalidValue(`INTEGER ${value} is not a safe integer`);
  w.writeTag(tag);
  if (value >= -0x80 && value < 0x80) {
    w.ensure(2);
    w.buf[w.pos++] = 1;
    w.buf[w.pos++] = value & 0xff;
    return;
  }
  if (value >= -0x80000000 && value <= 0x7fffffff) {
    const n = integerOctets(value);
    w.ensure(n + 1);
    w.buf[w.pos++] = n;
    for (let i = n - 1; i >= 0; i--) w.buf[w.pos++] = (value >> (8 * i)) & 0xff;
    return;
  }
  writeBigIntContent(w, BigInt(value), tag, true);
}

export function writeEnumerated(w: BerWriter, value: number, tag: Tag = UniversalTag.ENUMERATED): void {
  writeInteger(w, value, tag);
}

function writeBigIntContent(w: BerWriter, value: bigint, tag: Tag, tagWritten = false): void {
  const octets: number[] = [];
  let v = value;
  for (;;) {
    const byte = Number(v & 0xffn);
    octets.push(byte);
    v >>= 8n;
    // Stop once the rest is pure sign extension of the octet just written.
    if ((v === 0n && (byte & 0x80) === 0) || (v === -1n && (byte & 0x80) !== 0)) break;
  }
  if (!tagWritten) w.writeTag(tag);
  w.writeLength(octets.length);
  w.ensure(octets.length);
  for (let i = octets.length - 1; i >= 0; i--) w.buf[w.pos++] = octets[i]!;
}

/**
 * Writes an unsigned value as INTEGER (a leading zero octet when the top bit is set), for MMS
 * `Unsigned` and similar.
 */
export function writeUnsigned(w: BerWriter, value: number | bigint, tag: Tag = UniversalTag.INTEGER): void {
  if (value < 0) invalidValue(`unsigned value ${String(value)} is negative`);
  writeInteger(w, value, tag);
}
