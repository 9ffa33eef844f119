import {
  type BerReader,
  type BerWriter,
  type Codec,
  ctx,
  ctxC,
  readBitString,
  readBoolean,
  readInteger,
  readIntegerOrBigInt,
  readOctetCharString,
  readOid,
  readUtf8String,
  writeBitString,
  writeBoolean,
  writeInteger,
  writeOctetCharString,
  writeOctetString,
  writeOid,
  writeUtf8String,
} from "@mms/asn1";
import { defaultPduLimits, type PduLimits } from "../limits";
import type { AccessResult, Data } from "../model/data";
import {
  invalid,
  readList,
  readMmsGeneralizedTime,
  readTimeOfDay,
  writeMmsGeneralizedTime,
  writeTimeOfDay,
} from "./common";
import { readFloatContent, writeFloat } from "./float";

const ARRAY = ctxC(1);
const STRUCTURE = ctxC(2);
const BOOLEAN = ctx(3);
const BIT_STRING = ctx(4);
const INTEGER = ctx(5);
const UNSIGNED = ctx(6);
const FLOAT = ctx(7);
const OCTET_STRING = ctx(9);
const VISIBLE_STRING = ctx(10);
const GENERALIZED_TIME = ctx(11);
const BINARY_TIME = ctx(12);
const BCD = ctx(13);
const BOOLEAN_ARRAY = ctx(14);
const OBJ_ID = ctx(15);
const MMS_STRING = ctx(16);
const UTC_TIME = ctx(17);
const FAILURE = ctx(0);

/**
 * ISO 9506-2 §14.4.2 with IEC 61850-8-1 additions:
 *   Data ::= CHOICE {
 *     array [1] IMPLICIT SEQUENCE OF Data,   structure [2] IMPLICIT SEQUENCE OF Data,
 *     boolean [3] IMPLICIT BOOLEAN,          bit-string [4] IMPLICIT BIT STRING,
 *     integer [5] IMPLICIT INTEGER,          unsigned [6] IMPLICIT INTEGER (non-negative),
 *     floating-point [7] IMPLICIT FloatingPoint,  octet-string [9] IMPLICIT OCTET STRING,
 *     visible-string [10] IMPLICIT VisibleString, generalized-time [11] IMPLICIT GeneralizedTime,
 *     binary-time [12] IMPLICIT TimeOfDay,   bcd [13] IMPLICIT INTEGER,
 *     booleanArray [14] IMPLICIT BIT STRING, objId [15] IMPLICIT OBJECT IDENTIFIER,
 *     mMSString [16] IMPLICIT UTF8String,    utc-time [17] IMPLICIT UtcTime (8 octets) }
 * `level` counts the enclosing arrays/structures; opening one beyond `lim.maxNestingLevel`
 * fails with `depth-exceeded`. Octet strings are views of the input.
 */
export function readData(r: BerReader, lim: PduLimits, level: number): Data {
  const tag = r.peekTag();
  switch (tag) {
    case STRUCTURE:
    case ARRAY: {
      if (level >= lim.maxNestingLevel)
        r.fail("depth-exceeded", `Data nested deeper than the nesting level ${lim.maxNestingLevel}`);
      const c = r.enter(tag);
      const value: Data[] = [];
      const max = lim.maxListItems;
      while (c.hasMore()) {
        if (value.length >= max) c.fail("too-many-elements", `more than ${max} Data items`);
        value.push(readData(c, lim, level + 1));
      }
      return tag === STRUCTURE ? { type: "structure", value } : { type: "array", value };
    }
    case FLOAT: {
      const len = r.readPrimitive(FLOAT);
      const value = readFloatContent(r, r.contentStart, len);
      const width: 32 | 64 = len === 5 ? 32 : 64;
      return { type: "floatingPoint", value, width };
    }
    case BOOLEAN:
      return { type: "boolean", value: readBoolean(r, BOOLEAN) };
    case BIT_STRING:
      return { type: "bitString", value: readBitString(r, BIT_STRING) };
    case INTEGER:
      return { type: "integer", value: readIntegerOrBigInt(r, INTEGER) };
    case UNSIGNED: {
      const value = readIntegerOrBigInt(r, UNSIGNED);
      if (value < 0) r.fail("invalid-value", "negative unsigned", r.contentStart);
      return { type: "unsigned", value };
    }
    case OCTET_STRING:
      return { type: "octetString", value: r.readContent(OCTET_STRING) };
    case VISIBLE_STRING:
      // Read octet per character: peers put 8-bit text in visible-strings; it round-trips.
      return { type: "visibleString", value: readOctetCharString(r, VISIBLE_STRING) };
    case UTC_TIME:
      return { type: "utcTime", value: readUtcTimeContent(r) };
    case BINARY_TIME:
      return { type: "binaryTime", value: readTimeOfDay(r, BINARY_TIME) };
    case GENERALIZED_TIME:
      return { type: "generalizedTime", value: readMmsGeneralizedTime(r, GENERALIZED_TIME) };
    case BCD:
      return { type: "bcd", value: readInteger(r, BCD, 0) };
    case BOOLEAN_ARRAY:
      return { type: "booleanArray", value: readBitString(r, BOOLEAN_ARRAY) };
    case OBJ_ID:
      return { type: "objectId", value: readOid(r, OBJ_ID) };
    case MMS_STRING:
      return { type: "mmsString", value: readUtf8String(r, MMS_STRING) };
    case -1:
      return r.fail("truncated", "expected Data, found the end");
    default:
      return r.fail("unexpected-tag", "not a Data alternative");
  }
}

/** UtcTime: exactly 8 octets (peers.md §5 class 2, "UtcTime length"). */
function readUtcTimeContent(r: BerReader): { secondsSinceEpoch: number; fraction: number; quality: number } {
  const len = r.readPrimitive(UTC_TIME);
  const s = r.contentStart;
  if (len !== 8) r.fail("invalid-encoding", `utc-time of ${len} octets`, s);
  const b = r.bytes;
  return {
    secondsSinceEpoch: b[s]! * 0x1000000 + ((b[s + 1]! << 16) | (b[s + 2]! << 8) | b[s + 3]!),
    fraction: (b[s + 4]! << 16) | (b[s + 5]! << 8) | b[s + 6]!,
    quality: b[s + 7]!,
  };
}

/** Writes one Data value. Unsigned values must be non-negative; utc-time fields in range. */
export function writeData(w: BerWriter, d: Data): void {
  switch (d.type) {
    case "structure":
    case "array": {
      const m = w.begin(d.type === "structure" ? STRUCTURE : ARRAY);
      for (const item of d.value) writeData(w, item);
      w.end(m);
      return;
    }
    case "floatingPoint":
      writeFloat(w, FLOAT, d.value, d.width);
      return;
    case "boolean":
      writeBoolean(w, d.value, BOOLEAN);
      return;
    case "bitString":
      writeBitString(w, d.value, BIT_STRING);
      return;
    case "integer":
      writeInteger(w, d.value, INTEGER);
      return;
    case "unsigned":
      if (d.value < 0) invalid("negative unsigned");
      writeInteger(w, d.value, UNSIGNED);
      return;
    case "octetString":
      writeOctetString(w, d.value, OCTET_STRING);
      return;
    case "visibleString":
      writeOctetCharString(w, d.value, VISIBLE_STRING);
      return;
    case "utcTime":
      writeUtcTime(w, d.value);
      return;
    case "binaryTime":
      writeTimeOfDay(w, BINARY_TIME, d.value);
      return;
    case "generalizedTime":
      writeMmsGeneralizedTime(w, GENERALIZED_TIME, d.value);
      return;
    case "bcd":
      if (!Number.isSafeInteger(d.value) || d.value < 0) invalid(`bcd ${d.value}`);
      writeInteger(w, d.value, BCD);
      return;
    case "booleanArray":
      writeBitString(w, d.value, BOOLEAN_ARRAY);
      return;
    case "objectId":
      writeOid(w, d.value, OBJ_ID);
      return;
    case "mmsString":
      writeUtf8String(w, d.value, MMS_STRING);
      return;
    default:
      invalid("unknown Data type");
  }
}

function writeUtcTime(
  w: BerWriter,
  t: { secondsSinceEpoch: number; fraction: number; quality: number },
): void {
  const s = t.secondsSinceEpoch;
  if (!Number.isInteger(s) || s < 0 || s > 0xffffffff) invalid(`utc-time seconds ${s}`);
  if (!Number.isInteger(t.fraction) || t.fraction < 0 || t.fraction > 0xffffff)
    invalid(`utc-time fraction ${t.fraction}`);
  if (!Number.isInteger(t.quality) || t.quality < 0 || t.quality > 0xff)
    invalid(`utc-time quality ${t.quality}`);
  w.writeTag(UTC_TIME);
  w.ensure(9);
  const b = w.buf;
  let p = w.pos;
  b[p++] = 8;
  b[p++] = s >>> 24;
  b[p++] = (s >>> 16) & 0xff;
  b[p++] = (s >>> 8) & 0xff;
  b[p++] = s & 0xff;
  b[p++] = t.fraction >>> 16;
  b[p++] = (t.fraction >>> 8) & 0xff;
  b[p++] = t.fraction & 0xff;
  b[p++] = t.quality;
  w.pos = p;
}

/**
 * ISO 9506-2 §14.4.1:
 *   AccessResult ::= CHOICE { failure [0] IMPLICIT DataAccessError, success Data }
 */
export function readAccessResult(r: BerReader, lim: PduLimits): AccessResult {
  if (r.peekTag() === FAILURE) return { success: false, error: readInteger(r, FAILURE, 0, 0x7fffffff) };
  return { success: true, data: readData(r, lim, 0) };
}

export function writeAccessResult(w: BerWriter, a: AccessResult): void {
  if (a.success) writeData(w, a.data);
  else writeInteger(w, a.error, FAILURE);
}

/** Reads a list of AccessResult (the content of `r`). */
export function readAccessResults(r: BerReader, lim: PduLimits): AccessResult[] {
  return readList(r, lim, (c) => readAccessResult(c, lim));
}

/** Reads a list of Data (the content of `r`). */
export function readDataList(r: BerReader, lim: PduLimits): Data[] {
  return readList(r, lim, (c) => readData(c, lim, 0));
}

/** A `Codec<Data>` with the default limits (see `dataCodecWith` for negotiated ones). */
export const dataCodec: Codec<Data> = dataCodecWith(defaultPduLimits);

export function dataCodecWith(lim: PduLimits): Codec<Data> {
  return { encode: (value, w) => writeData(w, value), decode: (r) => readData(r, lim, 0) };
}

export const accessResultCodec: Codec<AccessResult> = {
  encode: (value, w) => writeAccessResult(w, value),
  decode: (r) => readAccessResult(r, defaultPduLimits),
};
