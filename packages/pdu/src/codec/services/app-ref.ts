import {
  type BerReader,
  type BerWriter,
  ctxC,
  readInteger,
  readOid,
  UniversalTag,
  writeInteger,
  writeOid,
} from "@mms/asn1";
import type { ApplicationReference } from "../../model/names";

/**
 * ISO 9506-2 §7.6 (content of the SEQUENCE):
 *   ApplicationReference ::= SEQUENCE { ap-title [0] AP-title OPTIONAL,
 *     ap-invocation-id [1] AP-invocation-identifier OPTIONAL, ae-qualifier [2] AE-qualifier OPTIONAL,
 *     ae-invocation-id [3] AE-invocation-identifier OPTIONAL }       (all EXPLICIT)
 * Only AP-title form 2 (OBJECT IDENTIFIER) and AE-qualifier form 2 (INTEGER) are supported;
 * form 1 (a directory Name) fails with `unexpected-tag`.
 */
export function readApplicationReferenceContent(r: BerReader): ApplicationReference {
  const apTitle = r.isNext(ctxC(0)) ? inner(r, 0, (c) => readOid(c)) : undefined;
  const apInvocationId = r.isNext(ctxC(1))
    ? inner(r, 1, (c) => readInteger(c, UniversalTag.INTEGER, -0x80000000, 0x7fffffff))
    : undefined;
  const aeQualifier = r.isNext(ctxC(2))
    ? inner(r, 2, (c) => readInteger(c, UniversalTag.INTEGER, -0x80000000, 0x7fffffff))
    : undefined;
  const aeInvocationId = r.isNext(ctxC(3))
    ? inner(r, 3, (c) => readInteger(c, UniversalTag.INTEGER, -0x80000000, 0x7fffffff))
    : undefined;
  r.expectEnd();
  return { apTitle, apInvocationId, aeQualifier, aeInvocationId };
}

function inner<T>(r: BerReader, n: number, read: (c: BerReader) => T): T {
  const c = r.enter(ctxC(n));
  const v = read(c);
  c.expectEnd();
  return v;
}

export function writeApplicationReferenceContent(w: BerWriter, a: ApplicationReference): void {
  const { apTitle, apInvocationId, aeQualifier, aeInvocationId } = a;
  if (apTitle !== undefined) wrap(w, 0, () => writeOid(w, apTitle));
  if (apInvocationId !== undefined) wrap(w, 1, () => writeInteger(w, apInvocationId));
  if (aeQualifier !== undefined) wrap(w, 2, () => writeInteger(w, aeQualifier));
  if (aeInvocationId !== undefined) wrap(w, 3, () => writeInteger(w, aeInvocationId));
}

function wrap(w: BerWriter, n: number, body: () => void): void {
  const m = w.begin(ctxC(n));
  body();
  w.end(m);
}

/** Reads `SEQUENCE { ... }` ApplicationReference (universal tag). */
export function readApplicationReference(r: BerReader): ApplicationReference {
  return readApplicationReferenceContent(r.enter(UniversalTag.SEQUENCE));
}
export function writeApplicationReference(w: BerWriter, a: ApplicationReference): void {
  const m = w.begin(UniversalTag.SEQUENCE);
  writeApplicationReferenceContent(w, a);
  w.end(m);
}
