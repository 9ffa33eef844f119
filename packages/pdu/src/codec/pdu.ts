import {
  BerReader,
  BerWriter,
  type Codec,
  ctx,
  ctxC,
  readInteger,
  tagNumberOf,
  UniversalTag,
  writeInteger,
} from "@mms/asn1";
import { defaultPduLimits, type PduLimits } from "../limits";
import { REJECT_KINDS, type RejectKind } from "../model/errors";
import type { MmsPdu, MmsPduType } from "../model/pdu";
import type { UnconfirmedService } from "../model/services";
import { checkUnsigned32, invalid, readNullTag, readUnsigned32, writeNullTag } from "./common";
import {
  readConfirmedServiceRequest,
  readConfirmedServiceResponse,
  readUnknownService,
  writeConfirmedServiceRequest,
  writeConfirmedServiceResponse,
} from "./confirmed";
import { readInitiateContent, writeInitiateContent } from "./initiate";
import {
  encodeFileReadResponseInPlace,
  fileReadResponsePduLength,
  writeFileReadResponsePdu,
} from "./services/file-read-pdu";
import { readServiceErrorContent, writeServiceErrorContent } from "./service-error";
import { readInformationReport, writeInformationReport } from "./services/variables";
import { readStatusContent, writeStatusContent } from "./services/vmd";

const CONFIRMED_REQUEST = ctxC(0);
const CONFIRMED_RESPONSE = ctxC(1);
const CONFIRMED_ERROR = ctxC(2);
const UNCONFIRMED = ctxC(3);
const REJECT = ctxC(4);
const CANCEL_REQUEST = ctx(5);
const CANCEL_RESPONSE = ctx(6);
const CANCEL_ERROR = ctxC(7);
const INITIATE_REQUEST = ctxC(8);
const INITIATE_RESPONSE = ctxC(9);
const INITIATE_ERROR = ctxC(10);
const CONCLUDE_REQUEST = ctx(11);
const CONCLUDE_RESPONSE = ctx(12);
const CONCLUDE_ERROR = ctxC(13);
const CS_REQUEST_DETAIL = ctxC(79);
const REJECT_INDEX: ReadonlyMap<RejectKind, number> = new Map(REJECT_KINDS.map((k, i) => [k, i + 1]));

/**
 * ISO 9506-2 §7.1:
 *   MMSpdu ::= CHOICE {
 *     confirmed-RequestPDU [0] IMPLICIT SEQUENCE { invokeID Unsigned32,
 *        listOfModifier SEQUENCE OF Modifier OPTIONAL, service ConfirmedServiceRequest,
 *        cs-request-detail [79] OPTIONAL },
 *     confirmed-ResponsePDU [1] IMPLICIT SEQUENCE { invokeID Unsigned32, service ConfirmedServiceResponse,
 *        cs-request-detail [79] OPTIONAL },
 *     confirmed-ErrorPDU [2] IMPLICIT SEQUENCE { invokeID [0] IMPLICIT Unsigned32,
 *        modifierPosition [1] IMPLICIT Unsigned32 OPTIONAL, serviceError [2] IMPLICIT ServiceError },
 *     unconfirmed-PDU [3] IMPLICIT SEQUENCE { service UnconfirmedService, cs-request-detail [79] OPTIONAL },
 *     rejectPDU [4] IMPLICIT SEQUENCE { originalInvokeID [0] IMPLICIT Unsigned32 OPTIONAL,
 *        rejectReason CHOICE { confirmed-requestPDU [1] .. conclude-errorPDU [11] IMPLICIT INTEGER } },
 *     cancel-RequestPDU [5] IMPLICIT Unsigned32, cancel-ResponsePDU [6] IMPLICIT Unsigned32,
 *     cancel-ErrorPDU [7] IMPLICIT SEQUENCE { originalInvokeID [0] IMPLICIT Unsigned32,
 *        serviceError [1] IMPLICIT ServiceError },
 *     initiate-RequestPDU [8], initiate-ResponsePDU [9], initiate-ErrorPDU [10] IMPLICIT ServiceError,
 *     conclude-RequestPDU [11] IMPLICIT NULL, conclude-ResponsePDU [12] IMPLICIT NULL,
 *     conclude-ErrorPDU [13] IMPLICIT ServiceError }
 *   UnconfirmedService ::= CHOICE { informationReport [0] IMPLICIT InformationReport,
 *     unsolicitedStatus [1] IMPLICIT Status-Response, ... }
 * Companion-standard `cs-request-detail` is skipped. Decoders throw only BerDecodeError.
 */
export function readMmsPdu(r: BerReader, lim: PduLimits): MmsPdu {
  const tag = r.peekTag();
  switch (tag) {
    case CONFIRMED_REQUEST: {
      const c = r.enter(tag);
      const invokeId = readUnsigned32(c, UniversalTag.INTEGER);
      const modifiers = c.isNext(UniversalTag.SEQUENCE) ? c.readTlv() : undefined;
      const request = readConfirmedServiceRequest(c, lim);
      if (c.isNext(CS_REQUEST_DETAIL)) c.skip();
      c.expectEnd();
      return { type: "confirmedRequest", invokeId, request, modifiers };
    }
    case CONFIRMED_RESPONSE: {
      const c = r.enter(tag);
      const invokeId = readUnsigned32(c, UniversalTag.INTEGER);
      const response = readConfirmedServiceResponse(c, lim);
      if (c.isNext(CS_REQUEST_DETAIL)) c.skip();
      c.expectEnd();
      return { type: "confirmedResponse", invokeId, response };
    }
    case CONFIRMED_ERROR: {
      const c = r.enter(tag);
      const invokeId = readUnsigned32(c, ctx(0));
      const modifierPosition = c.isNext(ctx(1)) ? readUnsigned32(c, ctx(1)) : undefined;
      const error = readServiceErrorContent(c.enter(ctxC(2)));
      c.expectEnd();
      return { type: "confirmedError", invokeId, modifierPosition, error };
    }
    case UNCONFIRMED: {
      const c = r.enter(tag);
      const service = readUnconfirmedService(c, lim);
      if (c.isNext(CS_REQUEST_DETAIL)) c.skip();
      c.expectEnd();
      return { type: "unconfirmed", service };
    }
    case REJECT: {
      const c = r.enter(tag);
      const originalInvokeId = c.isNext(ctx(0)) ? readUnsigned32(c, ctx(0)) : undefined;
      const t = c.peekTag();
      const n = tagNumberOf(t);
      if (t !== ctx(n) || n < 1 || n > REJECT_KINDS.length)
        c.fail(t === -1 ? "truncated" : "unexpected-tag", "expected a rejectReason");
      const code = readInteger(c, t, 0, 0x7fffffff);
      c.expectEnd();
      return { type: "reject", originalInvokeId, problem: { kind: REJECT_KINDS[n - 1]!, code } };
    }
    case CANCEL_REQUEST:
      return { type: "cancelRequest", invokeId: readUnsigned32(r, tag) };
    case CANCEL_RESPONSE:
      return { type: "cancelResponse", invokeId: readUnsigned32(r, tag) };
    case CANCEL_ERROR: {
      const c = r.enter(tag);
      const invokeId = readUnsigned32(c, ctx(0));
      const error = readServiceErrorContent(c.enter(ctxC(1)));
      c.expectEnd();
      return { type: "cancelError", invokeId, error };
    }
    case INITIATE_REQUEST:
      return { type: "initiateRequest", ...readInitiateContent(r.enter(tag)) };
    case INITIATE_RESPONSE:
      return { type: "initiateResponse", ...readInitiateContent(r.enter(tag)) };
    case INITIATE_ERROR:
      return { type: "initiateError", error: readServiceErrorContent(r.enter(tag)) };
    case CONCLUDE_REQUEST:
      readNullTag(r, tag);
      return { type: "concludeRequest" };
    case CONCLUDE_RESPONSE:
      readNullTag(r, tag);
      return { type: "concludeResponse" };
    case CONCLUDE_ERROR:
      return { type: "concludeError", error: readServiceErrorContent(r.enter(tag)) };
    case -1:
      return r.fail("truncated", "empty MMS PDU");
    default:
      return r.fail("unexpected-tag", "unknown MMS PDU type");
  }
}

function readUnconfirmedService(r: BerReader, lim: PduLimits): UnconfirmedService {
  const tag = r.peekTag();
  if (tag === ctxC(0)) return readInformationReport(r.enter(tag), lim);
  if (tag === ctxC(1)) return { service: "unsolicitedStatus", ...readStatusContent(r.enter(tag)) };
  return readUnknownService(r);
}

function writeUnconfirmedService(w: BerWriter, s: UnconfirmedService): void {
  if (s.service === "informationReport") {
    const m = w.begin(ctxC(0));
    writeInformationReport(w, s);
    w.end(m);
  } else if (s.service === "unsolicitedStatus") {
    const m = w.begin(ctxC(1));
    writeStatusContent(w, s);
    w.end(m);
  } else if (s.service === "unknown") w.raw(s.raw);
  else invalid("unknown unconfirmed service");
}

/** Writes one MMS PDU. Throws BerEncodeError for values that have no valid encoding. */
export function writeMmsPdu(w: BerWriter, pdu: MmsPdu): void {
  switch (pdu.type) {
    case "confirmedRequest": {
      const m = w.begin(CONFIRMED_REQUEST);
      writeInteger(w, checkUnsigned32(pdu.invokeId, "invokeID"));
      if (pdu.modifiers !== undefined) w.raw(pdu.modifiers);
      writeConfirmedServiceRequest(w, pdu.request);
      w.end(m);
      return;
    }
    case "confirmedResponse": {
      if (pdu.response.service === "fileRead") {
        // Bulk data: lengths computed up front, the file data copied once (Annex D.4).
        writeFileReadResponsePdu(w, pdu.invokeId, pdu.response);
        return;
      }
      const m = w.begin(CONFIRMED_RESPONSE);
      writeInteger(w, checkUnsigned32(pdu.invokeId, "invokeID"));
      writeConfirmedServiceResponse(w, pdu.response);
      w.end(m);
      return;
    }
    case "confirmedError": {
      const m = w.begin(CONFIRMED_ERROR);
      writeInteger(w, checkUnsigned32(pdu.invokeId, "invokeID"), ctx(0));
      if (pdu.modifierPosition !== undefined)
        writeInteger(w, checkUnsigned32(pdu.modifierPosition, "modifierPosition"), ctx(1));
      const e = w.begin(ctxC(2));
      writeServiceErrorContent(w, pdu.error);
      w.end(e);
      w.end(m);
      return;
    }
    case "unconfirmed": {
      const m = w.begin(UNCONFIRMED);
      writeUnconfirmedService(w, pdu.service);
      w.end(m);
      return;
    }
    case "reject": {
      const m = w.begin(REJECT);
      if (pdu.originalInvokeId !== undefined)
        writeInteger(w, checkUnsigned32(pdu.originalInvokeId, "originalInvokeID"), ctx(0));
      const n = REJECT_INDEX.get(pdu.problem.kind);
      if (n === undefined) invalid(`unknown reject kind ${String(pdu.problem.kind)}`);
      writeInteger(w, pdu.problem.code, ctx(n));
      w.end(m);
      return;
    }
    case "cancelRequest":
      writeInteger(w, checkUnsigned32(pdu.invokeId, "invokeID"), CANCEL_REQUEST);
      return;
    case "cancelResponse":
      writeInteger(w, checkUnsigned32(pdu.invokeId, "invokeID"), CANCEL_RESPONSE);
      return;
    case "cancelError": {
      const m = w.begin(CANCEL_ERROR);
      writeInteger(w, checkUnsigned32(pdu.invokeId, "invokeID"), ctx(0));
      const e = w.begin(ctxC(1));
      writeServiceErrorContent(w, pdu.error);
      w.end(e);
      w.end(m);
      return;
    }
    case "initiateRequest":
    case "initiateResponse": {
      const m = w.begin(pdu.type === "initiateRequest" ? INITIATE_REQUEST : INITIATE_RESPONSE);
      writeInitiateContent(w, pdu);
      w.end(m);
      return;
    }
    case "initiateError":
    case "concludeError": {
      const m = w.begin(pdu.type === "initiateError" ? INITIATE_ERROR : CONCLUDE_ERROR);
      writeServiceErrorContent(w, pdu.error);
      w.end(m);
      return;
    }
    case "concludeRequest":
      writeNullTag(w, CONCLUDE_REQUEST);
      return;
    case "concludeResponse":
      writeNullTag(w, CONCLUDE_RESPONSE);
      return;
    default:
      invalid("unknown MMS PDU type");
  }
}

/** `Codec<MmsPdu>` with the limits given (nesting level, list sizes, identifiers). */
export function mmsPduCodecWith(lim: PduLimits): Codec<MmsPdu> {
  return { encode: (value, w) => writeMmsPdu(w, value), decode: (r) => readMmsPdu(r, lim) };
}

/** `Codec<MmsPdu>` with `defaultPduLimits` (before negotiation). */
export const mmsPduCodec: Codec<MmsPdu> = mmsPduCodecWith(defaultPduLimits);

/**
 * Decodes exactly one MMS PDU from `bytes` (trailing octets fail with `trailing-data`). Throws
 * only `BerDecodeError`. Octet strings and unknown services in the result are views of `bytes`.
 */
export function decodeMmsPdu(bytes: Uint8Array, limits: PduLimits = defaultPduLimits): MmsPdu {
  const r = new BerReader(bytes, 0, bytes.length, limits.ber);
  const pdu = readMmsPdu(r, limits);
  r.expectEnd();
  return pdu;
}

/**
 * Encodes one MMS PDU. Without `writer`, returns a fresh buffer; with one, it is reset and the
 * result is a view of its buffer (valid until its next use), so a connection allocates nothing.
 * A FileRead response whose data comes from `fileReadData` (and no writer) is written around the
 * data in the data's own buffer: the result is a view of that buffer, the data is not copied.
 */
export function encodeMmsPdu(pdu: MmsPdu, writer?: BerWriter): Uint8Array {
  if (writer) {
    writer.reset();
    writeMmsPdu(writer, pdu);
    return writer.view();
  }
  if (pdu.type === "confirmedResponse" && pdu.response.service === "fileRead") {
    const r = pdu.response;
    const inPlace = encodeFileReadResponseInPlace(pdu.invokeId, r);
    if (inPlace) return inPlace;
    // Bulk data: a writer of the exact size (plus margin), so the data is copied once.
    const w = new BerWriter(fileReadResponsePduLength(pdu.invokeId, r.fileData.length, r.moreFollows) + 8);
    writeFileReadResponsePdu(w, pdu.invokeId, r);
    return w.view();
  }
  const w = new BerWriter(128);
  writeMmsPdu(w, pdu);
  return w.view();
}

const PDU_TYPES: readonly MmsPduType[] = [
  "confirmedRequest",
  "confirmedResponse",
  "confirmedError",
  "unconfirmed",
  "reject",
  "cancelRequest",
  "cancelResponse",
  "cancelError",
  "initiateRequest",
  "initiateResponse",
  "initiateError",
  "concludeRequest",
  "concludeResponse",
  "concludeError",
];

/**
 * The PDU type named by the first identifier octet, without decoding (for a reject after a
 * decode failure: ISO 9506-2 §7.3 pdu-error unknown-pdu-type vs invalid-pdu). Never throws.
 */
export function peekMmsPduType(bytes: Uint8Array): MmsPduType | undefined {
  const b = bytes[0];
  if (b === undefined || (b & 0xc0) !== 0x80 || (b & 0x1f) > 13) return undefined;
  const n = b & 0x1f;
  const constructed = (b & 0x20) !== 0;
  const primitiveTypes = n === 5 || n === 6 || n === 11 || n === 12;
  if (constructed === primitiveTypes) return undefined;
  return PDU_TYPES[n];
}

/**
 * The invokeID of a confirmed-RequestPDU / -ResponsePDU that fails to decode further, so that
 * the reject can carry originalInvokeID. Undefined when it cannot be read. Never throws.
 */
export function peekInvokeId(bytes: Uint8Array): number | undefined {
  try {
    const r = new BerReader(bytes);
    const t = r.peekTag();
    if (t !== CONFIRMED_REQUEST && t !== CONFIRMED_RESPONSE) return undefined;
    return readUnsigned32(r.enter(t), UniversalTag.INTEGER);
  } catch {
    return undefined;
  }
}
