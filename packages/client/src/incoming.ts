import type { ConfirmedServiceRequest, ConfirmedServiceResponse, MmsPdu, ServiceError } from "@mms/pdu";

/**
 * Answers a confirmed request the peer sends us (ISO 9506-2: during ObtainFile the server is the
 * requester of FileOpen/FileRead/FileClose). Throw an error with a `serviceError` property to
 * answer with that confirmed-ErrorPDU; anything else is answered as service/other.
 */
export type IncomingRequestHandler = (request: ConfirmedServiceRequest) => Promise<ConfirmedServiceResponse>;

const OTHER: ServiceError = Object.freeze({
  errorClass: "service",
  code: 0,
  additionalCode: undefined,
  additionalDescription: undefined,
  serviceSpecificInformation: undefined,
});

function serviceErrorOf(e: unknown): ServiceError {
  const s = (e as { serviceError?: ServiceError } | undefined)?.serviceError;
  return s && typeof s.errorClass === "string" && typeof s.code === "number" ? s : OTHER;
}

/** Runs the handler and sends its confirmed-Response or confirmed-Error. Never throws. */
export async function answerIncoming(
  handler: IncomingRequestHandler,
  invokeId: number,
  request: ConfirmedServiceRequest,
  send: (pdu: MmsPdu) => void,
): Promise<void> {
  let pdu: MmsPdu;
  try {
    pdu = { type: "confirmedResponse", invokeId, response: await handler(request) };
  } catch (e) {
    pdu = { type: "confirmedError", invokeId, modifierPosition: undefined, error: serviceErrorOf(e) };
  }
  try {
    send(pdu);
  } catch {
    try {
      send({ type: "confirmedError", invokeId, modifierPosition: undefined, error: OTHER });
    } catch {
      // the association is gone
    }
  }
}
