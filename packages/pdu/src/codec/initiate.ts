import {
  type BerReader,
  type BerWriter,
  ctx,
  ctxC,
  readBitString,
  readInteger,
  writeBitString,
  writeInteger,
} from "@mms/asn1";
import type { InitiateParameters } from "../model/initiate";
import { invalid } from "./common";

const DETAIL = ctxC(4);

/**
 * ISO 9506-2 §8.2 (content of the IMPLICIT initiate-RequestPDU [8] / initiate-ResponsePDU [9]):
 *   SEQUENCE {
 *     localDetailCalling/-Called [0] IMPLICIT Integer32 OPTIONAL,
 *     proposed/negotiatedMaxServOutstandingCalling [1] IMPLICIT Integer16,
 *     proposed/negotiatedMaxServOutstandingCalled [2] IMPLICIT Integer16,
 *     proposed/negotiatedDataStructureNestingLevel [3] IMPLICIT Integer8 OPTIONAL,
 *     mmsInitRequestDetail/-ResponseDetail [4] IMPLICIT SEQUENCE {
 *       versionNumber [0] IMPLICIT Integer16,
 *       parameterCBB [1] IMPLICIT ParameterSupportOptions (BIT STRING),
 *       servicesSupportedCalling/-Called [2] IMPLICIT ServiceSupportOptions (BIT STRING) } }
 * Companion-standard fields after [2] in the detail (e.g. CS-specific CBBs) are skipped.
 */
export function readInitiateContent(r: BerReader): InitiateParameters {
  const localDetail = r.isNext(ctx(0)) ? readInteger(r, ctx(0), -0x80000000, 0x7fffffff) : undefined;
  const maxServOutstandingCalling = readInteger(r, ctx(1), -0x8000, 0x7fff);
  const maxServOutstandingCalled = readInteger(r, ctx(2), -0x8000, 0x7fff);
  const dataStructureNestingLevel = r.isNext(ctx(3)) ? readInteger(r, ctx(3), -128, 127) : undefined;
  const d = r.enter(DETAIL);
  const version = readInteger(d, ctx(0), -0x8000, 0x7fff);
  const parameterCbb = readBitString(d, ctx(1));
  const servicesSupported = readBitString(d, ctx(2));
  while (d.hasMore()) d.skip();
  r.expectEnd();
  return {
    localDetail,
    maxServOutstandingCalling,
    maxServOutstandingCalled,
    dataStructureNestingLevel,
    version,
    parameterCbb,
    servicesSupported,
  };
}

function checkRange(v: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(v) || v < min || v > max) invalid(`${what} ${v} outside [${min}, ${max}]`);
  return v;
}

export function writeInitiateContent(w: BerWriter, p: InitiateParameters): void {
  if (p.localDetail !== undefined)
    writeInteger(w, checkRange(p.localDetail, -0x80000000, 0x7fffffff, "localDetail"), ctx(0));
  writeInteger(
    w,
    checkRange(p.maxServOutstandingCalling, -0x8000, 0x7fff, "maxServOutstandingCalling"),
    ctx(1),
  );
  writeInteger(
    w,
    checkRange(p.maxServOutstandingCalled, -0x8000, 0x7fff, "maxServOutstandingCalled"),
    ctx(2),
  );
  if (p.dataStructureNestingLevel !== undefined)
    writeInteger(w, checkRange(p.dataStructureNestingLevel, -128, 127, "dataStructureNestingLevel"), ctx(3));
  const m = w.begin(DETAIL);
  writeInteger(w, checkRange(p.version, -0x8000, 0x7fff, "version"), ctx(0));
  writeBitString(w, p.parameterCbb, ctx(1));
  writeBitString(w, p.servicesSupported, ctx(2));
  w.end(m);
}
