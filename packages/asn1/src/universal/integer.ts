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
  const v = integerContent(r, len);
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
function integerContent(r: BerReader, len: number): number | bigint {
  const b = r.bytes;
  const s = r.contentStart;
  if (len === 0) r.fail("invalid-encoding", "INTEGER with no content octets", s); // X.690 §8.3.1
  // X.690 §8.3.2: the first nine bits shall not be all zeros or all ones (DER and BER alike;
  // lenient decoding accepts them since some peers pad, strict decoding refuses).
  if (len > 1 && r.limits.strict) {
    const x = (b[s]! << 1) | (b[s + 1]! >> 7);
    if (x === 0 || x === 0x1ff) r.fail("invalid-encoding", "non-minimal INTEGER", s);
  }
  if (len <= 6) {
    let v = (b[s]! << 24) >> 24; // sign-extend the first octet
    for (let i = 1; i < len; i++) v = v * 256 + b[s + i]!;
    return v;
  }
  let v = BigInt.asIntN(8, BigInt(b[s]!));
  for (let i = 1; i < len; i++) v = (v << 8n) | BigInt(b[s + i]!);
  if (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  return v;
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
    const n = value >= -0x8000 && value < 0x8000 ? 2 : value >= -0x800000 && value < 0x800000 ? 3 : 4;
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
