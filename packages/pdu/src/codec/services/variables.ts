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
import type { WriteResult } from "../../model/data";
import type { Address } from "../../model/names";
import type { VariableAccessSpecification } from "../../model/types";
import type {
  ConfirmedServiceRequest,
  ConfirmedServiceResponse,
  UnconfirmedService,
} from "../../model/services";
import { invalid, readList, readNullTag, writeNullTag } from "../common";
import { readAccessResults, readDataList, writeAccessResult, writeData } from "../data";
import { readAddress, readWrappedObjectName, writeAddress, writeWrappedObjectName } from "../object-name";
import { readTypeSpecification, writeTypeSpecification } from "../type-spec";
import { readVariableAccessSpecification, writeVariableAccessSpecification } from "../variable-access";

type Req<S> = Extract<ConfirmedServiceRequest, { service: S }>;
type Res<S> = Extract<ConfirmedServiceResponse, { service: S }>;

/**
 * ISO 9506-2 §14.6:
 *   Read-Request ::= SEQUENCE { specificationWithResult [0] IMPLICIT BOOLEAN DEFAULT FALSE,
 *     variableAccessSpecification [1] VariableAccessSpecification }
 */
export function readReadRequest(r: BerReader, lim: PduLimits): Req<"read"> {
  const specificationWithResult = r.isNext(ctx(0)) ? readBoolean(r, ctx(0)) : false;
  const c = r.enter(ctxC(1));
  const variableAccessSpecification = readVariableAccessSpecification(c, lim);
  c.expectEnd();
  r.expectEnd();
  return { service: "read", specificationWithResult, variableAccessSpecification };
}
export function writeReadRequest(w: BerWriter, q: Req<"read">): void {
  if (q.specificationWithResult) writeBoolean(w, true, ctx(0));
  const m = w.begin(ctxC(1));
  writeVariableAccessSpecification(w, q.variableAccessSpecification);
  w.end(m);
}

/**
 *   Read-Response ::= SEQUENCE { variableAccessSpecification [0] VariableAccessSpecification OPTIONAL,
 *     listOfAccessResult [1] IMPLICIT SEQUENCE OF AccessResult }
 */
export function readReadResponse(r: BerReader, lim: PduLimits): Res<"read"> {
  let variableAccessSpecification: VariableAccessSpecification | undefined;
  if (r.isNext(ctxC(0))) {
    const c = r.enter(ctxC(0));
    variableAccessSpecification = readVariableAccessSpecification(c, lim);
    c.expectEnd();
  }
  const results = readAccessResults(r.enter(ctxC(1)), lim);
  r.expectEnd();
  return { service: "read", variableAccessSpecification, results };
}
export function writeReadResponse(w: BerWriter, s: Res<"read">): void {
  if (s.variableAccessSpecification !== undefined) {
    const m = w.begin(ctxC(0));
    writeVariableAccessSpecification(w, s.variableAccessSpecification);
    w.end(m);
  }
  const m = w.begin(ctxC(1));
  for (const a of s.results) writeAccessResult(w, a);
  w.end(m);
}

/**
 * ISO 9506-2 §14.7:
 *   Write-Request ::= SEQUENCE { variableAccessSpecification VariableAccessSpecification,
 *     listOfData [0] IMPLICIT SEQUENCE OF Data }
 * An empty listOfData decodes (to []) : the server must answer it, not crash (CVE-2026-50032).
 */
export function readWriteRequest(r: BerReader, lim: PduLimits): Req<"write"> {
  const variableAccessSpecification = readVariableAccessSpecification(r, lim);
  const listOfData = readDataList(r.enter(ctxC(0)), lim);
  r.expectEnd();
  return { service: "write", variableAccessSpecification, listOfData };
}
export function writeWriteRequest(w: BerWriter, q: Req<"write">): void {
  writeVariableAccessSpecification(w, q.variableAccessSpecification);
  const m = w.begin(ctxC(0));
  for (const d of q.listOfData) writeData(w, d);
  w.end(m);
}

const SUCCESS: WriteResult = Object.freeze({ success: true, error: undefined });

/** Write-Response ::= SEQUENCE OF CHOICE { failure [0] IMPLICIT DataAccessError, success [1] IMPLICIT NULL } */
export function readWriteResponse(r: BerReader, lim: PduLimits): Res<"write"> {
  const results = readList(r, lim, (c): WriteResult => {
    if (c.isNext(ctx(1))) {
      readNullTag(c, ctx(1));
      return SUCCESS;
    }
    return { success: false, error: readInteger(c, ctx(0), 0, 0x7fffffff) };
  });
  return { service: "write", results };
}
export function writeWriteResponse(w: BerWriter, s: Res<"write">): void {
  for (const x of s.results) {
    if (x.success) writeNullTag(w, ctx(1));
    else writeInteger(w, x.error, ctx(0));
  }
}

/**
 * ISO 9506-2 §14.5 (under the EXPLICIT [6] of ConfirmedServiceRequest):
 *   GetVariableAccessAttributes-Request ::= CHOICE { name [0] ObjectName, address [1] Address }
 */
export function readGvaaRequest(r: BerReader, lim: PduLimits): Req<"getVariableAccessAttributes"> {
  let out: Req<"getVariableAccessAttributes">;
  if (r.isNext(ctxC(0)))
    out = {
      service: "getVariableAccessAttributes",
      name: readWrappedObjectName(r, ctxC(0), lim),
      address: undefined,
    };
  else {
    const c = r.enter(ctxC(1));
    out = { service: "getVariableAccessAttributes", name: undefined, address: readAddress(c) };
    c.expectEnd();
  }
  r.expectEnd();
  return out;
}
export function writeGvaaRequest(w: BerWriter, q: Req<"getVariableAccessAttributes">): void {
  if (q.name !== undefined) writeWrappedObjectName(w, ctxC(0), q.name);
  else if (q.address !== undefined) {
    const m = w.begin(ctxC(1));
    writeAddress(w, q.address);
    w.end(m);
  } else invalid("getVariableAccessAttributes needs a name or an address");
}

/**
 *   GetVariableAccessAttributes-Response ::= SEQUENCE { mmsDeletable [0] IMPLICIT BOOLEAN,
 *     address [1] Address OPTIONAL, typeSpecification [2] TypeSpecification }
 */
export function readGvaaResponse(r: BerReader, lim: PduLimits): Res<"getVariableAccessAttributes"> {
  const mmsDeletable = readBoolean(r, ctx(0));
  let address: Address | undefined;
  if (r.isNext(ctxC(1))) {
    const c = r.enter(ctxC(1));
    address = readAddress(c);
    c.expectEnd();
  }
  const t = r.enter(ctxC(2));
  const typeSpecification = readTypeSpecification(t, lim, 0);
  t.expectEnd();
  r.expectEnd();
  return { service: "getVariableAccessAttributes", mmsDeletable, address, typeSpecification };
}
export function writeGvaaResponse(w: BerWriter, s: Res<"getVariableAccessAttributes">): void {
  writeBoolean(w, s.mmsDeletable, ctx(0));
  if (s.address !== undefined) {
    const m = w.begin(ctxC(1));
    writeAddress(w, s.address);
    w.end(m);
  }
  const m = w.begin(ctxC(2));
  writeTypeSpecification(w, s.typeSpecification);
  w.end(m);
}

/**
 * ISO 9506-2 §14.8 / IEC 61850-8-1 reports:
 *   InformationReport ::= SEQUENCE { variableAccessSpecification VariableAccessSpecification,
 *     listOfAccessResult [0] IMPLICIT SEQUENCE OF AccessResult }
 */
export function readInformationReport(
  r: BerReader,
  lim: PduLimits,
): Extract<UnconfirmedService, { service: "informationReport" }> {
  const variableAccessSpecification = readVariableAccessSpecification(r, lim);
  const results = readAccessResults(r.enter(ctxC(0)), lim);
  r.expectEnd();
  return { service: "informationReport", variableAccessSpecification, results };
}
export function writeInformationReport(
  w: BerWriter,
  s: Extract<UnconfirmedService, { service: "informationReport" }>,
): void {
  writeVariableAccessSpecification(w, s.variableAccessSpecification);
  const m = w.begin(ctxC(0));
  for (const a of s.results) writeAccessResult(w, a);
  w.end(m);
}
