import {
  app,
  BerReader,
  type BerWriter,
  ctx,
  ctxC,
  integerOctets,
  lengthOctets,
  readBitString,
  readInteger,
  readOctetString,
  readOid,
  UniversalTag,
  writeInteger,
} from "@mms/asn1";
import type { PresentationDataValue } from "./ppdu";

/** fully-encoded-data [APPLICATION 1] IMPLICIT SEQUENCE OF PDV-list (ISO 8823-1 §8.2). */
export const FULLY_ENCODED_DATA = app(1, true);
/** simply-encoded-data [APPLICATION 0] IMPLICIT OCTET STRING: not used with BER contexts. */
export const SIMPLY_ENCODED_DATA = app(0, false);
const SINGLE_ASN1_TYPE = ctxC(0);
const OCTET_ALIGNED = ctx(1);
const ARBITRARY = ctx(2);
/** At most this many PDV-lists in one user data (MMS sends one). */
export const MAX_PDV_LISTS = 16;
/** Context identifiers are INTEGER (1..127, ...); we accept up to 2^31 - 1. */
const MAX_CONTEXT_ID = 0x7fffffff;

/** Reads one PDV-list. */
function readPdv(r: BerReader): PresentationDataValue {
  const s = r.enter(UniversalTag.SEQUENCE);
  const transferSyntax = s.isNext(UniversalTag.OBJECT_IDENTIFIER) ? readOid(s) : undefined;
  const contextId = readInteger(s, UniversalTag.INTEGER, 1, MAX_CONTEXT_ID);
  const t = s.peekTag();
  let pdv: PresentationDataValue;
  if (t === SINGLE_ASN1_TYPE) {
    const inner = s.enter(SINGLE_ASN1_TYPE);
    const value = inner.readTlv();
    inner.expectEnd();
    pdv = { contextId, transferSyntax, encoding: "single-ASN1-type", value };
  } else if (t === OCTET_ALIGNED) {
    pdv = { contextId, transferSyntax, encoding: "octet-aligned", value: readOctetString(s, OCTET_ALIGNED) };
  } else if (t === ARBITRARY) {
    pdv = { contextId, transferSyntax, encoding: "arbitrary", value: readBitString(s, ARBITRARY).bytes };
  } else if (t === -1) {
    return s.fail("truncated", "PDV-list without presentation-data-values");
  } else {
    return s.fail("unexpected-tag", "presentation-data-values must be [0], [1] or [2]");
  }
  s.expectEnd();
  return pdv;
}

/** Reads fully-encoded-data at the reader's position (the `61` element). */
export function readUserData(r: BerReader): PresentationDataValue[] {
  const list = r.enter(FULLY_ENCODED_DATA);
  const out = list.items(readPdv, MAX_PDV_LISTS);
  if (out.length === 0) list.fail("invalid-encoding", "fully-encoded-data without a PDV-list");
  return out;
}

/** Decodes a whole user-data PPDU (data phase, FN/DN user data). Throws `BerDecodeError`. */
export function decodeUserData(bytes: Uint8Array): PresentationDataValue[] {
  const r = new BerReader(bytes);
  const out = readUserData(r);
  r.expectEnd();
  return out;
}

/**
 * A value to send in a PDV: its BER encoding, or a function that writes it in place (so that
 * an APDU is encoded straight into the PPDU, with no intermediate copy).
 */
export interface UserDataValue {
  readonly contextId: number;
  readonly value: Uint8Array | ((w: BerWriter) => void);
}

/** Writes fully-encoded-data with one single-ASN1-type PDV per entry. */
export function writeUserData(w: BerWriter, values: readonly UserDataValue[]): void {
  const m = w.begin(FULLY_ENCODED_DATA);
  for (const v of values) {
    const s = w.begin(UniversalTag.SEQUENCE);
    writeInteger(w, v.contextId);
    const p = w.begin(SINGLE_ASN1_TYPE);
    if (typeof v.value === "function") v.value(w);
    else w.raw(v.value);
    w.end(p);
    w.end(s);
  }
  w.end(m);
}

function putLen(b: Uint8Array, p: number, n: number): number {
  if (n < 0x80) {
    b[p] = n;
    return p + 1;
  }
  const k = lengthOctets(n) - 1;
  b[p++] = 0x80 | k;
  for (let i = k - 1; i >= 0; i--) b[p++] = (n >>> (8 * i)) & 0xff;
  return p;
}

/**
 * The header that turns a `len`-octet BER value into user data of context `contextId`:
 * `61 L 30 L 02 01 id a0 L`, preceded by `prefix` (e.g. the session GT+DT header). The value
 * itself is not touched: it follows as its own chunk (zero copy).
 */
export function userDataHeader(contextId: number, len: number, prefix?: Uint8Array): Uint8Array {
  // The context id is written in one content octet for 1..127, else minimal two's complement.
  const idLen = integerOctets(contextId);
  const pdvContent = 2 + idLen + 1 + lengthOctets(len) + len;
  const total = 1 + lengthOctets(pdvContent) + pdvContent;
  const pre = prefix ? prefix.length : 0;
  const headLen =
    pre + 1 + lengthOctets(total) + 1 + lengthOctets(pdvContent) + 2 + idLen + 1 + lengthOctets(len);
  const b = new Uint8Array(headLen);
  if (prefix) b.set(prefix, 0);
  let p = pre;
  b[p++] = 0x61;
  p = putLen(b, p, total);
  b[p++] = 0x30;
  p = putLen(b, p, pdvContent);
  b[p++] = 0x02;
  b[p++] = idLen;
  for (let i = idLen - 1; i >= 0; i--) b[p++] = (contextId >>> (8 * i)) & 0xff;
  b[p++] = 0xa0;
  putLen(b, p, len);
  return b;
}

/**
 * Reads a definite BER length at `p` (at most 4 octets) and returns where its content ends,
 * or -1 when the length is not a definite one that ends exactly at `end` (the fast path below
 * wants every element to run to the end of the PPDU). No array per call: this is the data path.
 */
function contentEndsAt(b: Uint8Array, p: number, end: number): number {
  if (p >= end) return -1;
  const l0 = b[p]!;
  if (l0 < 0x80) return p + 1 + l0 === end ? p + 1 : -1;
  const n = l0 & 0x7f;
  if (n === 0 || n > 4 || p + 1 + n > end) return -1;
  let len = 0;
  for (let i = 1; i <= n; i++) len = len * 256 + b[p + i]!;
  return p + 1 + n + len === end ? p + 1 + n : -1;
}

/**
 * Fast path for the common data-phase shape `61 L 30 L 02 01 id a0 L <value>` with one PDV, no
 * transfer-syntax-name and definite lengths that match exactly, in `b` from `start` to its end:
 * returns the value as a view and puts the context id in `out.contextId`, or returns undefined
 * (then the general decoder handles, or refuses, the PPDU). The value's own TLV header is
 * checked to end exactly at the end of the PDV.
 */
export function quickUserData(
  b: Uint8Array,
  start: number,
  out: { contextId: number },
): Uint8Array | undefined {
  const end = b.length;
  if (end - start < 9 || b[start] !== 0x61) return undefined;
  let p = contentEndsAt(b, start + 1, end);
  if (p < 0 || b[p] !== 0x30) return undefined;
  p = contentEndsAt(b, p + 1, end);
  if (p < 0 || b[p] !== 0x02 || b[p + 1] !== 1) return undefined;
  const id = b[p + 2]!;
  if (id === 0 || id > 127 || b[p + 3] !== 0xa0) return undefined;
  const value = contentEndsAt(b, p + 4, end);
  // The value: one TLV with a low tag number and a definite length ending exactly at `end`.
  if (value < 0 || value >= end || (b[value]! & 0x1f) === 0x1f) return undefined;
  if (contentEndsAt(b, value + 1, end) < 0) return undefined;
  out.contextId = id;
  return b.subarray(value, end);
}
