import {
  type BerReader,
  type BerWriter,
  ctx,
  ctxC,
  type External,
  readBitString,
  readExternal,
  readInteger,
  readOctetCharString,
  readOid,
  UniversalTag,
  writeBitString,
  writeExternal,
  writeInteger,
  writeOctetCharString,
  writeOid,
} from "@mms/asn1";
import { writeKnownOid } from "@mms/osi";
import type { AuthenticationValue } from "../auth/mechanism";
import type { AeQualifier, ApTitle } from "./apdu";

/** At most this many EXTERNALs in a user-information (MMS sends one). */
export const MAX_USER_INFORMATION = 16;

/** Reads an explicitly tagged AP-title: form 2 OID, or form 1 Name kept raw. Exactly one element. */
export function readApTitle(r: BerReader, tag: number): ApTitle {
  const s = r.enter(tag);
  const t = s.peekTag();
  let v: ApTitle;
  if (t === UniversalTag.OBJECT_IDENTIFIER) v = readOid(s);
  else if (t === UniversalTag.SEQUENCE) v = { form1: s.readTlv() };
  else if (t === -1)
    return s.fail("truncated", "empty AP-title"); // CVE-2026-56758 class: length 0
  else return s.fail("unexpected-tag", "AP-title must be form 1 (Name) or form 2 (OID)");
  s.expectEnd();
  return v;
}

export function writeApTitle(w: BerWriter, tag: number, v: ApTitle): void {
  const m = w.begin(tag);
  if (typeof v === "string") writeKnownOid(w, v);
  else w.raw(v.form1);
  w.end(m);
}

/** Reads an explicitly tagged AE-qualifier: form 2 INTEGER, or form 1 RDN (SET) kept raw. */
export function readAeQualifier(r: BerReader, tag: number): AeQualifier {
  const s = r.enter(tag);
  const t = s.peekTag();
  let v: AeQualifier;
  if (t === UniversalTag.INTEGER) v = readInteger(s, UniversalTag.INTEGER, -0x80000000, 0x7fffffff);
  else if (t === UniversalTag.SET) v = { form1: s.readTlv() };
  else if (t === -1) return s.fail("truncated", "empty AE-qualifier");
  else return s.fail("unexpected-tag", "AE-qualifier must be form 1 (RDN) or form 2 (INTEGER)");
  s.expectEnd();
  return v;
}

export function writeAeQualifier(w: BerWriter, tag: number, v: AeQualifier): void {
  const m = w.begin(tag);
  if (typeof v === "number") writeInteger(w, v);
  else w.raw(v.form1);
  w.end(m);
}

/** An explicitly tagged INTEGER (AP-/AE-invocation-identifier, AARE result). */
export function readExplicitInteger(r: BerReader, tag: number, min: number, max: number): number {
  const s = r.enter(tag);
  const v = readInteger(s, UniversalTag.INTEGER, min, max);
  s.expectEnd();
  return v;
}

export function writeExplicitInteger(w: BerWriter, tag: number, v: number): void {
  const m = w.begin(tag);
  writeInteger(w, v);
  w.end(m);
}

/** An explicitly tagged OBJECT IDENTIFIER (application-context-name). */
export function readExplicitOid(r: BerReader, tag: number): string {
  const s = r.enter(tag);
  const v = readOid(s);
  s.expectEnd();
  return v;
}

export function writeExplicitOid(w: BerWriter, tag: number, v: string): void {
  const m = w.begin(tag);
  writeKnownOid(w, v);
  w.end(m);
}

const CHARSTRING = ctx(0);
const BITSTRING = ctx(1);
const EXTERNAL = ctxC(2);
const OTHER = ctxC(3);

/** Authentication-value (an explicit [n] around the CHOICE); `raw` is the CHOICE element's TLV. */
export function readAuthenticationValue(r: BerReader, tag: number): AuthenticationValue {
  const s = r.enter(tag);
  const t = s.peekTag();
  const start = s.pos;
  let v: AuthenticationValue;
  if (t === CHARSTRING) {
    const value = readOctetCharString(s, CHARSTRING);
    v = { type: "charstring", value, raw: s.bytes.subarray(start, s.pos) };
  } else if (t === BITSTRING) {
    const value = readBitString(s, BITSTRING);
    v = { type: "bitstring", value, raw: s.bytes.subarray(start, s.pos) };
  } else if (t === EXTERNAL) {
    const value = readExternal(s, EXTERNAL);
    v = { type: "external", value, raw: s.bytes.subarray(start, s.pos) };
  } else if (t === OTHER) {
    const o = s.enter(OTHER);
    const mechanismName = readOid(o);
    const value = o.readTlv();
    o.expectEnd();
    v = { type: "other", mechanismName, value, raw: s.bytes.subarray(start, s.pos) };
  } else if (t === -1) return s.fail("truncated", "empty authentication value");
  else return s.fail("unexpected-tag", "authentication value must be [0], [1], [2] or [3]");
  s.expectEnd();
  return v;
}

export function writeAuthenticationValue(w: BerWriter, tag: number, v: AuthenticationValue): void {
  const m = w.begin(tag);
  switch (v.type) {
    case "charstring":
      writeOctetCharString(w, v.value, CHARSTRING);
      break;
    case "bitstring":
      writeBitString(w, v.value, BITSTRING);
      break;
    case "external":
      writeExternal(w, v.value, EXTERNAL);
      break;
    case "other": {
      const o = w.begin(OTHER);
      writeOid(w, v.mechanismName);
      w.raw(v.value);
      w.end(o);
      break;
    }
  }
  w.end(m);
}

/**
 * user-information [30] IMPLICIT Association-information (SEQUENCE OF EXTERNAL). Each item
 * consumes a whole element or fails, and the count is bounded: no input can loop
 * (CVE-2026-68906 class).
 */
export function readUserInformation(r: BerReader, tag: number): External[] {
  return r.sequenceOf(tag, (s) => readExternal(s), MAX_USER_INFORMATION);
}

export function writeUserInformation(w: BerWriter, tag: number, items: readonly External[]): void {
  const m = w.begin(tag);
  for (const e of items) writeExternal(w, e);
  w.end(m);
}
