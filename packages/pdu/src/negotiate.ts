import { type BitString, bitAt } from "@mms/asn1";
import { serviceError } from "./codec/service-error";
import type { ServiceError } from "./model/errors";
import type { InitiateParameters } from "./model/initiate";
import type { InitiateRequestPdu, InitiateResponsePdu } from "./model/pdu";

/** What this end supports (responder side of the initiate exchange). */
export interface LocalCapabilities {
  /** Largest MMS PDU this end accepts (localDetailCalled), in octets. */
  readonly localDetail: number;
  readonly maxServOutstandingCalling: number;
  readonly maxServOutstandingCalled: number;
  readonly dataStructureNestingLevel: number;
  /** Highest MMS version spoken (1 = ISO 9506:2003). */
  readonly version: number;
  /** Lowest version accepted (default 1). */
  readonly minVersion?: number;
  /** Smallest localDetail accepted from the peer (default 64). */
  readonly minLocalDetail?: number;
  readonly parameterCbb: BitString;
  /** ParameterCBBs the peer must propose (e.g. str1, str2, vnam for IEC 61850); none by default. */
  readonly requiredParameterCbb?: BitString;
  /** Smallest nesting level accepted from the peer (default 0). */
  readonly minNestingLevel?: number;
  /** Services this end supports as a responder (servicesSupportedCalled). */
  readonly servicesSupported: BitString;
}

/** The outcome of `negotiateInitiate`: the response to send and the parameters in force. */
export type InitiateNegotiation =
  | {
      readonly ok: true;
      readonly response: InitiateResponsePdu;
      /** ParameterCBBs both ends support. */
      readonly parameterCbb: BitString;
      /** Services both ends support (servicesSupportedCalling ∩ servicesSupportedCalled). */
      readonly commonServices: BitString;
    }
  | { readonly ok: false; readonly error: ServiceError };

/** Bitwise AND of two BIT STRINGs, as long as the shorter one. */
export function bitStringAnd(a: BitString, b: BitString): BitString {
  const bitLength = Math.min(a.bitLength, b.bitLength);
  const bytes = new Uint8Array((bitLength + 7) >> 3);
  for (let i = 0; i < bitLength; i++) if (bitAt(a, i) && bitAt(b, i)) bytes[i >> 3]! |= 0x80 >> (i & 7);
  return { bytes, bitLength };
}

/**
 * ISO 9506-1 §8.2 initiate negotiation, as a pure function (responder side):
 * localDetail = min(proposed, local) (local when absent); outstanding calls = min of each;
 * nesting level = min(proposed, local) (local when absent; libiec61850 echoes the proposal
 * uncapped, we cap it to what our decoder is limited to); version = min(proposed, local);
 * parameter CBB = intersection; servicesSupportedCalled = the local set.
 * Refused (initiate-ErrorPDU class initiate) when: version below `minVersion`
 * (version-incompatible), localDetail below `minLocalDetail` (max-segment-insufficient),
 * outstanding calls below 1 (max-services-outstanding-calling/called-insufficient), a
 * `requiredParameterCbb` bit not proposed (parameter-CBB-insufficient), nesting below
 * `minNestingLevel` (nesting-level-insufficient).
 */
export function negotiateInitiate(
  request: InitiateParameters,
  local: LocalCapabilities,
): InitiateNegotiation {
  const version = Math.min(request.version, local.version);
  if (version < (local.minVersion ?? 1)) return refuse(1);
  const localDetail = Math.min(request.localDetail ?? local.localDetail, local.localDetail);
  if (localDetail < (local.minLocalDetail ?? 64)) return refuse(2);
  if (request.maxServOutstandingCalling < 1) return refuse(3);
  if (request.maxServOutstandingCalled < 1) return refuse(4);
  const required = local.requiredParameterCbb;
  if (required !== undefined)
    for (let i = 0; i < required.bitLength; i++)
      if (bitAt(required, i) && !bitAt(request.parameterCbb, i)) return refuse(6);
  const nesting = Math.max(
    0,
    Math.min(
      request.dataStructureNestingLevel ?? local.dataStructureNestingLevel,
      local.dataStructureNestingLevel,
    ),
  );
  if (nesting < (local.minNestingLevel ?? 0)) return refuse(7);
  const parameterCbb = bitStringAnd(request.parameterCbb, local.parameterCbb);
  const response: InitiateResponsePdu = {
    type: "initiateResponse",
    localDetail,
    maxServOutstandingCalling: Math.min(request.maxServOutstandingCalling, local.maxServOutstandingCalling),
    maxServOutstandingCalled: Math.min(request.maxServOutstandingCalled, local.maxServOutstandingCalled),
    dataStructureNestingLevel: nesting,
    version,
    parameterCbb,
    servicesSupported: local.servicesSupported,
  };
  return {
    ok: true,
    response,
    parameterCbb,
    commonServices: bitStringAnd(request.servicesSupported, local.servicesSupported),
  };
}

function refuse(code: number): InitiateNegotiation {
  return { ok: false, error: serviceError("initiate", code) };
}

/**
 * Initiator side: checks that a response honours the request (no value above the proposal,
 * ISO 9506-1 §8.2.2) and returns undefined when it does, else a reason.
 */
export function checkInitiateResponse(
  request: InitiateRequestPdu,
  response: InitiateResponsePdu,
): string | undefined {
  if (response.version > request.version) return "negotiated version above the proposal";
  if (
    response.maxServOutstandingCalling > request.maxServOutstandingCalling ||
    response.maxServOutstandingCalling < 1
  )
    return "maxServOutstandingCalling outside 1..proposed";
  if (
    response.maxServOutstandingCalled > request.maxServOutstandingCalled ||
    response.maxServOutstandingCalled < 1
  )
    return "maxServOutstandingCalled outside 1..proposed";
  if (
    request.dataStructureNestingLevel !== undefined &&
    response.dataStructureNestingLevel !== undefined &&
    response.dataStructureNestingLevel > request.dataStructureNestingLevel
  )
    return "nesting level above the proposal";
  return undefined;
}
