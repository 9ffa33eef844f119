import type { BitString } from "@mms/asn1";
import type { InitiateRequestPdu, InitiateResponsePdu, MmsPdu } from "@mms/pdu";
import { checkInitiateResponse, decodeMmsPdu } from "@mms/pdu";
import { MmsInitiateError } from "./errors";

/** What the client proposes in its initiate-RequestPDU (ISO 9506-2 §8.2). */
export interface InitiateProposal {
  /** localDetailCalling: largest MMS PDU we accept. Default 65000 (libiec61850). */
  readonly localDetail?: number;
  /** Requests we may have outstanding. Default 5 (libiec61850). */
  readonly maxServOutstandingCalling?: number;
  /** Requests the server may have outstanding towards us. Default 5. */
  readonly maxServOutstandingCalled?: number;
  /** Default 10. */
  readonly dataStructureNestingLevel?: number;
}

const bits = (hex: string, bitLength: number): BitString => ({
  bytes: Uint8Array.from(hex.match(/../g)!.map((h) => Number.parseInt(h, 16))),
  bitLength,
});

/** reference/stack.md §10: parameter CBB `05 f1 00` = str1 str2 vnam valt vlis. */
export const CLIENT_PARAMETER_CBB: BitString = bits("f100", 11);
/** reference/stack.md §10: the services libiec61850's client announces (`ee 1c 00 00 04 08 00 00 79 ef 18`). */
export const CLIENT_SERVICES_SUPPORTED: BitString = bits("ee1c00000408000079ef18", 85);

/** The initiate-RequestPDU a client sends, with libiec61850's defaults. */
export function initiateRequest(p: InitiateProposal = {}): InitiateRequestPdu {
  return {
    type: "initiateRequest",
    localDetail: p.localDetail ?? 65000,
    maxServOutstandingCalling: p.maxServOutstandingCalling ?? 5,
    maxServOutstandingCalled: p.maxServOutstandingCalled ?? 5,
    dataStructureNestingLevel: p.dataStructureNestingLevel ?? 10,
    version: 1,
    parameterCbb: CLIENT_PARAMETER_CBB,
    servicesSupported: CLIENT_SERVICES_SUPPORTED,
  };
}

/**
 * Reads the AARE user data: an initiate-ResponsePDU that honours our request, or throws
 * `MmsInitiateError` (initiate-ErrorPDU, garbage, or values above the proposal).
 */
export function acceptInitiateResponse(
  request: InitiateRequestPdu,
  userData: Uint8Array | undefined,
): InitiateResponsePdu {
  if (!userData) throw new MmsInitiateError("the AARE carried no MMS initiate-ResponsePDU");
  let pdu: MmsPdu;
  try {
    pdu = decodeMmsPdu(userData);
  } catch (e) {
    throw new MmsInitiateError("the MMS initiate response does not decode", { cause: e });
  }
  if (pdu.type === "initiateError") {
    throw new MmsInitiateError(
      `the peer refused the MMS initiate: ${pdu.error.errorClass}/${pdu.error.code}`,
    );
  }
  if (pdu.type !== "initiateResponse")
    throw new MmsInitiateError(`expected initiate-ResponsePDU, got ${pdu.type}`);
  const problem = checkInitiateResponse(request, pdu);
  if (problem) throw new MmsInitiateError(`invalid initiate response: ${problem}`);
  return pdu;
}

/** Is bit `n` of a BIT STRING set? */
export function hasBit(b: BitString, n: number): boolean {
  return n < b.bitLength && ((b.bytes[n >> 3] ?? 0) & (0x80 >> (n & 7))) !== 0;
}
