import type { ConfirmedServiceRequest, ConfirmedServiceResponse, MmsPdu, ServiceError } from "@mms/pdu";
import { MmsServiceFailure } from "./errors";

/** The peer answered our request with a confirmed-ErrorPDU or a RejectPDU, or not at all. */
export class PeerRequestError extends MmsServiceFailure {
  readonly peerError: ServiceError | undefined;
  constructor(message: string, peerError?: ServiceError) {
    super("file", 0, message);
    this.peerError = peerError;
  }
}

/**
 * Confirmed requests the server sends to its peer on the same association (ISO 9506-1 §9.4
 * ObtainFile: the server becomes the requester of FileOpen/FileRead/FileClose). Sans-IO:
 * `receive` takes the peer's confirmed-Response/-Error and Reject PDUs; `close` fails the rest.
 */
export class PeerRequester {
  private readonly pending = new Map<
    number,
    { resolve: (r: ConfirmedServiceResponse) => void; reject: (e: Error) => void }
  >();
  private nextId = 1;
  private closed = false;
  private readonly send: (pdu: MmsPdu) => void;
  /** Requests in flight at once (the peer's maxServOutstandingCalled). */
  private readonly max: number;

  constructor(send: (pdu: MmsPdu) => void, maxOutstanding: number) {
    this.send = send;
    this.max = Math.max(1, maxOutstanding);
  }

  request(request: ConfirmedServiceRequest, timeoutMs = 10_000): Promise<ConfirmedServiceResponse> {
    if (this.closed) return Promise.reject(new PeerRequestError("the association is closed"));
    if (this.pending.size >= this.max)
      return Promise.reject(new PeerRequestError("too many requests to the peer"));
    const invokeId = this.nextId;
    this.nextId = this.nextId >= 0x7fff_ffff ? 1 : this.nextId + 1;
    return new Promise<ConfirmedServiceResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(invokeId);
        reject(new PeerRequestError(`the peer did not answer ${request.service} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(invokeId, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.send({ type: "confirmedRequest", invokeId, request, modifiers: undefined });
    });
  }

  /** True when the PDU answered one of our requests. */
  receive(pdu: MmsPdu): boolean {
    if (pdu.type === "confirmedResponse" || pdu.type === "confirmedError") {
      const p = this.pending.get(pdu.invokeId);
      if (!p) return false;
      this.pending.delete(pdu.invokeId);
      if (pdu.type === "confirmedResponse") p.resolve(pdu.response);
      else
        p.reject(
          new PeerRequestError(`the peer refused: ${pdu.error.errorClass}/${pdu.error.code}`, pdu.error),
        );
      return true;
    }
    if (
      pdu.type === "reject" &&
      pdu.originalInvokeId !== undefined &&
      pdu.problem.kind === "confirmedRequest"
    ) {
      const p = this.pending.get(pdu.originalInvokeId);
      if (!p) return false;
      this.pending.delete(pdu.originalInvokeId);
      p.reject(new PeerRequestError(`the peer rejected the request (problem ${pdu.problem.code})`));
      return true;
    }
    return false;
  }

  close(): void {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new PeerRequestError("the association closed"));
    this.pending.clear();
  }
}
