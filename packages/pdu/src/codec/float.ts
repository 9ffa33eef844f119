import type { BerReader, BerWriter } from "@mms/asn1";
import { invalid } from "./common";

const P2_23 = 2 ** 23;
const P2_32 = 2 ** 32;

/**
 * ISO 9506-2 §14.4.2 FloatingPoint ::= OCTET STRING: one octet giving the exponent width (8 for
 * IEEE 754 single, 11 for double), then the IEEE 754 bits, big-endian. Other widths and sizes are
 * refused (peers.md §5 class 2, "float exponent width"). Decoded without allocation.
 */
export function readFloatContent(
  r: BerReader,
  start: number,
  len: number,
): { value: number; width: 32 | 64 } {
  const b = r.bytes;
  const ew = len > 0 ? b[start]! : -1;
  if (len === 5 && ew === 8) {
    const bits = ((b[start + 1]! << 24) | (b[start + 2]! << 16) | (b[start + 3]! << 8) | b[start + 4]!) >>> 0;
    return { value: float32FromBits(bits), width: 32 };
  }
  if (len === 9 && ew === 11) {
    const hi = ((b[start + 1]! << 24) | (b[start + 2]! << 16) | (b[start + 3]! << 8) | b[start + 4]!) >>> 0;
    const lo = ((b[start + 5]! << 24) | (b[start + 6]! << 16) | (b[start + 7]! << 8) | b[start + 8]!) >>> 0;
    return { value: float64FromBits(hi, lo), width: 64 };
  }
  return r.fail("invalid-encoding", `floating-point of ${len} octets with exponent width ${ew}`, start);
}

function float32FromBits(bits: number): number {
  const sign = bits >>> 31 ? -1 : 1;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return mant ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  if (exp === 0) return sign * mant * 2 ** -149;
  return sign * (mant + P2_23) * 2 ** (exp - 150);
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
    w.buf[w.pos++] = 5;
    w.buf[w.pos++] = 8;
    new DataView(w.buf.buffer, w.buf.byteOffset + w.pos, 4).setFloat32(0, value);
    w.pos += 4;
  } else if (width === 64) {
    w.ensure(10);
    w.buf[w.pos++] = 9;
    w.buf[w.pos++] = 11;
    new DataView(w.buf.buffer, w.buf.byteOffset + w.pos, 8).setFloat64(0, value);
    w.pos += 8;
  } else invalid(`floating-point width ${String(width)}`);
}
