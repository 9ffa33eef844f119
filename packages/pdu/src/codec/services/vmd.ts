import {
  type BerReader,
  type BitString,
  type BerWriter,
  ctx,
  ctxC,
  readBitString,
  readBoolean,
  readInteger,
  readOid,
  readOctetCharString,
  UniversalTag,
  writeBitString,
  writeBoolean,
  writeInteger,
  writeOctetCharString,
  writeOid,
} from "@mms/asn1";
import type { PduLimits } from "../../limits";
import type { ConfirmedServiceRequest, ConfirmedServiceResponse, NameListScope } from "../../model/services";
import {
  invalid,
  readIdentifier,
  readIdentifierList,
  readList,
  readNullTag,
  writeIdentifier,
  writeNullTag,
} from "../common";

type Req<S> = Extract<ConfirmedServiceRequest, { service: S }>;
type Res<S> = Extract<ConfirmedServiceResponse, { service: S }>;

export interface StatusFields {
  readonly logicalStatus: number;
  readonly physicalStatus: number;
  readonly localDetail: BitString | undefined;
}

/**
 * ISO 9506-2 §10.3 (content of Status-Response / UnsolicitedStatus):
 *   SEQUENCE { vmdLogicalStatus [0] IMPLICIT INTEGER, vmdPhysicalStatus [1] IMPLICIT INTEGER,
 *              localDetail [2] IMPLICIT BIT STRING (SIZE (0..128)) OPTIONAL }
 */
export function readStatusContent(r: BerReader): StatusFields {
  const logicalStatus = readInteger(r, ctx(0), 0, 0x7fffffff);
  const physicalStatus = readInteger(r, ctx(1), 0, 0x7fffffff);
  let localDetail: BitString | undefined;
  if (r.isNext(ctx(2))) {
    localDetail = readBitString(r, ctx(2));
    if (localDetail.bitLength > 128) r.fail("invalid-value", "localDetail longer than 128 bits");
  }
  r.expectEnd();
  return { logicalStatus, physicalStatus, localDetail };
}

export function writeStatusContent(w: BerWriter, s: StatusFields): void {
  writeInteger(w, s.logicalStatus, ctx(0));
  writeInteger(w, s.physicalStatus, ctx(1));
  if (s.localDetail !== undefined) writeBitString(w, s.localDetail, ctx(2));
}

/**
 * ISO 9506-2 §10.5:
 *   GetNameList-Request ::= SEQUENCE {
 *     extendedObjectClass [0] CHOICE { objectClass [0] IMPLICIT INTEGER },
 *     objectScope [1] CHOICE { vmdSpecific [0] IMPLICIT NULL, domainSpecific [1] IMPLICIT Identifier,
 *                              aaSpecific [2] IMPLICIT NULL },
 *     continueAfter [2] IMPLICIT Identifier OPTIONAL }
 */
export function readGetNameListRequest(r: BerReader, lim: PduLimits): Req<"getNameList"> {
  const oc = r.enter(ctxC(0));
  const objectClass = readInteger(oc, ctx(0), 0, 0x7fffffff);
  oc.expectEnd();
  const sc = r.enter(ctxC(1));
  const t = sc.peekTag();
  let scope: NameListScope;
  if (t === ctx(0)) {
    readNullTag(sc, t);
    scope = { kind: "vmd" };
  } else if (t === ctx(1)) scope = { kind: "domain", domainId: readIdentifier(sc, t, lim) };
  else if (t === ctx(2)) {
    readNullTag(sc, t);
    scope = { kind: "aa" };
  } else return sc.fail(t === -1 ? "truncated" : "unexpected-tag", "expected an objectScope");
  sc.expectEnd();
  const continueAfter = r.isNext(ctx(2)) ? readIdentifier(r, ctx(2), lim) : undefined;
  r.expectEnd();
  return { service: "getNameList", objectClass, scope, continueAfter };
}

export function writeGetNameListRequest(w: BerWriter, q: Req<"getNameList">): void {
  const oc = w.begin(ctxC(0));
  writeInteger(w, q.objectClass, ctx(0));
  w.end(oc);
  const sc = w.begin(ctxC(1));
  const s = q.scope;
  if (s.kind === "vmd") writeNullTag(w, ctx(0));
  else if (s.kind === "domain") writeIdentifier(w, s.domainId, ctx(1));
  else if (s.kind === "aa") writeNullTag(w, ctx(2));
  else invalid("unknown objectScope");
  w.end(sc);
  if (q.continueAfter !== undefined) writeIdentifier(w, q.continueAfter, ctx(2));
}

/**
 * GetNameList-Response ::= SEQUENCE { listOfIdentifier [0] IMPLICIT SEQUENCE OF Identifier,
 *   moreFollows [1] IMPLICIT BOOLEAN DEFAULT TRUE }
 * moreFollows FALSE is written explicitly, TRUE omitted (the default).
 */
export function readGetNameListResponse(r: BerReader, lim: PduLimits): Res<"getNameList"> {
  const identifiers = readIdentifierList(r.enter(ctxC(0)), lim);
  const moreFollows = r.isNext(ctx(1)) ? readBoolean(r, ctx(1)) : true;
  r.expectEnd();
  return { service: "getNameList", identifiers, moreFollows };
}

export function writeGetNameListResponse(w: BerWriter, s: Res<"getNameList">): void {
  const m = w.begin(ctxC(0));
  for (const id of s.identifiers) writeIdentifier(w, id, UniversalTag.VisibleString);
  w.end(m);
  if (!s.moreFollows) writeBoolean(w, false, ctx(1));
}

/**
 * ISO 9506-2 §10.7:
 *   Identify-Response ::= SEQUENCE { vendorName [0] IMPLICIT VisibleString,
 *     modelName [1] IMPLICIT VisibleString, revision [2] IMPLICIT VisibleString,
 *     listOfAbstractSyntaxes [3] IMPLICIT SEQUENCE OF OBJECT IDENTIFIER OPTIONAL }
 * Strings are read octet per character (any length up to the PDU: they are peer-controlled,
 * peers.md §5 class 7, and never copied into fixed buffers here).
 */
export function readIdentifyResponse(r: BerReader, lim: PduLimits): Res<"identify"> {
  const vendorName = readOctetCharString(r, ctx(0));
  const modelName = readOctetCharString(r, ctx(1));
  const revision = readOctetCharString(r, ctx(2));
  const abstractSyntaxes = r.isNext(ctxC(3))
    ? readList(r.enter(ctxC(3)), lim, (c) => readOid(c, UniversalTag.OBJECT_IDENTIFIER))
    : undefined;
  r.expectEnd();
  return { service: "identify", vendorName, modelName, revision, abstractSyntaxes };
}

export function writeIdentifyResponse(w: BerWriter, s: Res<"identify">): void {
  writeOctetCharString(w, s.vendorName, ctx(0));
  writeOctetCharString(w, s.modelName, ctx(1));
  writeOctetCharString(w, s.revision, ctx(2));
  if (s.abstractSyntaxes !== undefined) {
    const m = w.begin(ctxC(3));
    for (const oid of s.abstractSyntaxes) writeOid(w, oid);
    w.end(m);
  }
}

/** Status-Request ::= BOOLEAN (extendedDerivation), under [0] IMPLICIT. */
export function readStatusRequest(r: BerReader): Req<"status"> {
  return { service: "status", extendedDerivation: readBoolean(r, ctx(0)) };
}
export function writeStatusRequest(w: BerWriter, q: Req<"status">): void {
  writeBoolean(w, q.extendedDerivation, ctx(0));
}
