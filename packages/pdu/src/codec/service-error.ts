import {
  type BerReader,
  type BerWriter,
  type Codec,
  ctx,
  ctxC,
  isConstructed,
  readInteger,
  readOctetCharString,
  tagNumberOf,
  withConstructed,
  writeInteger,
  writeOctetCharString,
} from "@mms/asn1";
import {
  ERROR_CLASSES,
  type ErrorClass,
  type ServiceError,
  type ServiceSpecificInformation,
} from "../model/errors";
import { invalid } from "./common";

const ERROR_CLASS = ctxC(0);
const ADDITIONAL_CODE = ctx(1);
const ADDITIONAL_DESCRIPTION = ctx(2);
const SERVICE_SPECIFIC = ctxC(3);
const CLASS_INDEX: ReadonlyMap<ErrorClass, number> = new Map(ERROR_CLASSES.map((c, i) => [c, i]));

/**
 * ISO 9506-2 §7.4 (content of an IMPLICIT ServiceError):
 *   ServiceError ::= SEQUENCE {
 *     errorClass [0] CHOICE { vmd-state [0], application-reference [1], definition [2], resource [3],
 *       service [4], service-preempt [5], time-resolution [6], access [7], initiate [8], conclude [9],
 *       cancel [10], file [11], others [12] }          (each IMPLICIT INTEGER),
 *     additionalCode [1] IMPLICIT INTEGER OPTIONAL,
 *     additionalDescription [2] IMPLICIT VisibleString OPTIONAL,
 *     serviceSpecificInformation [3] CHOICE { obtainFile [0] .. changeAccessControl [11] } OPTIONAL }
 */
export function readServiceErrorContent(r: BerReader): ServiceError {
  const c = r.enter(ERROR_CLASS);
  const tag = c.peekTag();
  const n = tagNumberOf(tag);
  if (tag !== ctx(n) || n >= ERROR_CLASSES.length)
    c.fail(tag === -1 ? "truncated" : "unexpected-tag", "expected an error class");
  const code = readInteger(c, tag, -0x80000000, 0x7fffffff);
  c.expectEnd();
  const additionalCode = r.isNext(ADDITIONAL_CODE) ? readInteger(r, ADDITIONAL_CODE) : undefined;
  // Read octet per character: descriptions are free text and must round-trip.
  const additionalDescription = r.isNext(ADDITIONAL_DESCRIPTION)
    ? readOctetCharString(r, ADDITIONAL_DESCRIPTION)
    : undefined;
  const serviceSpecificInformation = r.isNext(SERVICE_SPECIFIC) ? readServiceSpecific(r) : undefined;
  r.expectEnd();
  return {
    errorClass: ERROR_CLASSES[n]!,
    code,
    additionalCode,
    additionalDescription,
    serviceSpecificInformation,
  };
}

function readServiceSpecific(r: BerReader): ServiceSpecificInformation {
  const c = r.enter(SERVICE_SPECIFIC);
  const tag = c.peekTag();
  const n = tagNumberOf(tag);
  let out: ServiceSpecificInformation;
  if (tag === -1) return c.fail("truncated", "empty serviceSpecificInformation");
  if (n > 11) c.fail("unexpected-tag", "unknown serviceSpecificInformation");
  if (n === 8 || n === 10) {
    if (tag !== ctxC(n)) c.fail("unexpected-tag", "expected a constructed alternative");
    out = { kind: "raw", tag: n, content: c.readContent(tag) };
  } else {
    if (isConstructed(tag) || tag !== ctx(n)) c.fail("unexpected-tag", "expected an INTEGER alternative");
    out = { kind: "integer", tag: n, value: readInteger(c, tag, -0x80000000, 0xffffffff) };
  }
  c.expectEnd();
  return out;
}

export function writeServiceErrorContent(w: BerWriter, e: ServiceError): void {
  const idx = CLASS_INDEX.get(e.errorClass);
  if (idx === undefined) invalid(`unknown error class ${String(e.errorClass)}`);
  const m = w.begin(ERROR_CLASS);
  writeInteger(w, e.code, ctx(idx));
  w.end(m);
  if (e.additionalCode !== undefined) writeInteger(w, e.additionalCode, ADDITIONAL_CODE);
  if (e.additionalDescription !== undefined)
    writeOctetCharString(w, e.additionalDescription, ADDITIONAL_DESCRIPTION);
  const s = e.serviceSpecificInformation;
  if (s !== undefined) {
    if (!Number.isInteger(s.tag) || s.tag < 0 || s.tag > 11) invalid("serviceSpecificInformation tag");
    const q = w.begin(SERVICE_SPECIFIC);
    if (s.kind === "integer") writeInteger(w, s.value, ctx(s.tag));
    else w.primitive(withConstructed(ctx(s.tag), true), s.content);
    w.end(q);
  }
}

/** A ServiceError with only its class and code. */
export function serviceError(errorClass: ErrorClass, code: number): ServiceError {
  return {
    errorClass,
    code,
    additionalCode: undefined,
    additionalDescription: undefined,
    serviceSpecificInformation: undefined,
  };
}

/** Codec of a ServiceError under its usual universal SEQUENCE-less form: the content only. */
export const serviceErrorContentCodec: Codec<ServiceError> = {
  encode: (value, w) => writeServiceErrorContent(w, value),
  decode: (r) => readServiceErrorContent(r),
};
