import type { BerReader, BerWriter } from "@mms/asn1";
import { invalid } from "./common";

const P2_23 = 2 ** 23;
const P2_32 = 2 ** 32;
/** 2^(e - 150) for every single-precision exponent e (an immutable table). */
const POW32: readonly number[] = Object.freeze(Array.from({ length: 256 }, (_, e) => 2 ** (e - 150)));
/**
 * Conversion scratch for encoding (number → IEEE 754 octets). It holds no state between calls:
 * every use writes it and reads it back synchronously.
 */
const SCRATCH = new DataView(new ArrayBuffer(8));

/**
 * ISO 9506-2 §14.4.2 FloatingPoint ::= OCTET STRING: one octet giving the exponent width (8 for
 * IEEE 754 single, 11 for double), then the IEEE 754 bits, big-endian. Other widths and sizes are
 * refused (peers.md §5 class 2, "float exponent width"). Decoded without allocation.
 */
export function readFloatContent(r: BerReader, start: number, len: number): number {
  const b = r.bytes;
  const ew = len > 0 ? b[start]! : -1;
  if (len === 5 && ew === 8) {
    const bits = ((b[start + 1]! << 24) | (b[start + 2]! << 16) | (b[start + 3]! << 8) | b[start + 4]!) >>> 0;
    return float32FromBits(bits);
  }
  if (len === 9 && ew === 11) {
    const hi = ((b[start + 1]! << 24) | (b[start + 2]! << 16) | (b[start + 3]! << 8) | b[start + 4]!) >>> 0;
    const lo = ((b[start + 5]! << 24) | (b[start + 6]! << 16) | (b[start + 7]! << 8) | b[start + 8]!) >>> 0;
    return float64FromBits(hi, lo);
  }
  return r.fail("invalid-encoding", `floating-point of ${len} octets with exponent width ${ew}`, start);
}

function float32FromBits(bits: number): number {
  const sign = bits >>> 31 ? -1 : 1;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return mant ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  if (exp === 0) return sign * mant * 2 ** -149;
  return sign * (mant + P2_23) * POW32[exp]!;
}

function float64FromBits(hi: number, lo: number): number {
  const sign = hi >>> 31 ? -1 : 1;
  const exp = (hi >>> 20) & 0x7ff;
  const mant = (hi & 0xfffff) * P2_32 + lo;
  if (exp === 0x7ff) return mant ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  if (exp === 0) return sign * mant * 2 ** -1074;
  return sign * (mant + 2 ** 52) * 2 ** (exp - 1075);
}

/** Writes `[tag] IMPLICIT FloatingPoint`; a 32-bit value must be exactly representable. */
export function writeFloat(w: BerWriter, tag: number, value: number, width: 32 | 64): void {
  if (typeof value !== "number") invalid("floating-point value is not a number");
  w.writeTag(tag);
  if (width === 32) {
    if (!Number.isNaN(value) && Math.fround(value) !== value)
      invalid(`${value} is not representable as a 32-bit float`);
    w.ensure(6);
    const b = w.buf;
    let p = w.pos;
    SCRATCH.setFloat32(0, value);
    b[p++] = 5;
    b[p++] = 8;
    b[p++] = SCRATCH.getUint8(0);
    b[p++] = SCRATCH.getUint8(1);
    b[p++] = SCRATCH.getUint8(2);
    b[p++] = SCRATCH.getUint8(3);
    w.pos = p;
  } else if (width === 64) {
    w.ensure(10);
    const b = w.buf;
    let p = w.pos;
    SCRATCH.setFloat64(0, value);
    b[p++] = 9;
    b[p++] = 11;
    for (let i = 0; i < 8; i++) b[p++] = SCRATCH.getUint8(i);
    w.pos = p;
  } else invalid(`floating-point width ${String(width)}`);
}
