import {
  type BerReader,
  type BerWriter,
  ctx,
  ctxC,
  readBoolean,
  readInteger,
  writeBoolean,
  writeInteger,
} from "@mms/asn1";
import type { PduLimits } from "../../limits";
import type { ConfirmedServiceRequest, ConfirmedServiceResponse } from "../../model/services";
import { checkUnsigned32, readIdentifier, readList, readUnsigned32, writeIdentifier } from "../common";
import { readObjectName, writeObjectName } from "../object-name";
import { readVariableList, writeVariableList } from "../variable-access";

type Req<S> = Extract<ConfirmedServiceRequest, { service: S }>;
type Res<S> = Extract<ConfirmedServiceResponse, { service: S }>;

/**
 * ISO 9506-2 §14.12:
 *   DefineNamedVariableList-Request ::= SEQUENCE { variableListName ObjectName,
 *     listOfVariable [0] IMPLICIT SEQUENCE OF SEQUENCE { variableSpecification, alternateAccess [5] OPTIONAL } }
 *   DefineNamedVariableList-Response ::= NULL
 */
export function readDefineNvlRequest(r: BerReader, lim: PduLimits): Req<"defineNamedVariableList"> {
  const variableListName = readObjectName(r, lim);
  const listOfVariable = readVariableList(r.enter(ctxC(0)), lim);
  r.expectEnd();
  return { service: "defineNamedVariableList", variableListName, listOfVariable };
}
export function writeDefineNvlRequest(w: BerWriter, q: Req<"defineNamedVariableList">): void {
  writeObjectName(w, q.variableListName);
  writeVariableList(w, ctxC(0), q.listOfVariable);
}

/**
 * ISO 9506-2 §14.13 (the request is an ObjectName under the EXPLICIT [12]):
 *   GetNamedVariableListAttributes-Response ::= SEQUENCE { mmsDeletable [0] IMPLICIT BOOLEAN,
 *     listOfVariable [1] IMPLICIT SEQUENCE OF SEQUENCE { variableSpecification, alternateAccess [5] OPTIONAL } }
 */
export function readGetNvlAttributesRequest(
  r: BerReader,
  lim: PduLimits,
): Req<"getNamedVariableListAttributes"> {
  const variableListName = readObjectName(r, lim);
  r.expectEnd();
  return { service: "getNamedVariableListAttributes", variableListName };
}
export function writeGetNvlAttributesRequest(w: BerWriter, q: Req<"getNamedVariableListAttributes">): void {
  writeObjectName(w, q.variableListName);
}
export function readGetNvlAttributesResponse(
  r: BerReader,
  lim: PduLimits,
): Res<"getNamedVariableListAttributes"> {
  const mmsDeletable = readBoolean(r, ctx(0));
  const listOfVariable = readVariableList(r.enter(ctxC(1)), lim);
  r.expectEnd();
  return { service: "getNamedVariableListAttributes", mmsDeletable, listOfVariable };
}
export function writeGetNvlAttributesResponse(w: BerWriter, s: Res<"getNamedVariableListAttributes">): void {
  writeBoolean(w, s.mmsDeletable, ctx(0));
  writeVariableList(w, ctxC(1), s.listOfVariable);
}

/**
 * ISO 9506-2 §14.14:
 *   DeleteNamedVariableList-Request ::= SEQUENCE {
 *     scopeOfDelete [0] IMPLICIT INTEGER { specific (0), aa-specific (1), domain (2), vmd (3) } DEFAULT specific,
 *     listOfVariableListName [1] IMPLICIT SEQUENCE OF ObjectName OPTIONAL,
 *     domainName [2] IMPLICIT Identifier OPTIONAL }
 *   DeleteNamedVariableList-Response ::= SEQUENCE { numberMatched [0] IMPLICIT Unsigned32,
 *     numberDeleted [1] IMPLICIT Unsigned32 }
 * scopeOfDelete is always written, as libiec61850 does.
 */
export function readDeleteNvlRequest(r: BerReader, lim: PduLimits): Req<"deleteNamedVariableList"> {
  const scopeOfDelete = r.isNext(ctx(0)) ? readInteger(r, ctx(0), 0, 0x7fffffff) : 0;
  const listOfVariableListName = r.isNext(ctxC(1))
    ? readList(r.enter(ctxC(1)), lim, (c) => readObjectName(c, lim))
    : undefined;
  const domainName = r.isNext(ctx(2)) ? readIdentifier(r, ctx(2), lim) : undefined;
  r.expectEnd();
  return { service: "deleteNamedVariableList", scopeOfDelete, listOfVariableListName, domainName };
}
export function writeDeleteNvlRequest(w: BerWriter, q: Req<"deleteNamedVariableList">): void {
  writeInteger(w, q.scopeOfDelete, ctx(0));
  if (q.listOfVariableListName !== undefined) {
    const m = w.begin(ctxC(1));
    for (const n of q.listOfVariableListName) writeObjectName(w, n);
    w.end(m);
  }
  if (q.domainName !== undefined) writeIdentifier(w, q.domainName, ctx(2));
}
export function readDeleteNvlResponse(r: BerReader): Res<"deleteNamedVariableList"> {
  const numberMatched = readUnsigned32(r, ctx(0));
  const numberDeleted = readUnsigned32(r, ctx(1));
  r.expectEnd();
  return { service: "deleteNamedVariableList", numberMatched, numberDeleted };
}
export function writeDeleteNvlResponse(w: BerWriter, s: Res<"deleteNamedVariableList">): void {
  writeInteger(w, checkUnsigned32(s.numberMatched, "numberMatched"), ctx(0));
  writeInteger(w, checkUnsigned32(s.numberDeleted, "numberDeleted"), ctx(1));
}
