import type { ConfirmedServiceRequest, ConfirmedServiceResponse, MmsPdu, ServiceError } from "@mms/pdu";
import { MmsServiceFailure } from "./errors";

/** ISO 9506-2 §7.3 rejectReason problem codes used by the responder. */
const CONFIRMED_REQUEST = {
  unrecognizedService: 1,
  unrecognizedModifier: 2,
  invalidInvokeId: 3,
  maxServOutstandingExceeded: 6,
} as const;

/** Answers one confirmed request: a response, or throw `MmsServiceFailure` for a confirmed-Error. */
export type ConfirmedRequestHandler = (
  request: ConfirmedServiceRequest,
  invokeId: number,
) => ConfirmedServiceResponse | Promise<ConfirmedServiceResponse>;

export interface MmsResponderOptions {
  /** Negotiated maxServOutstandingCalling: requests of the peer we work on at once. */
  readonly maxOutstanding: number;
  readonly send: (pdu: MmsPdu) => void;
  readonly handle: ConfirmedRequestHandler;
  /** Services the handler implements; others are rejected as unrecognized-service. */
  readonly supports?: (service: string) => boolean;
  /** A handler threw something that is not `MmsServiceFailure` (answered as service/other). */
  readonly onHandlerError?: (error: unknown, request: ConfirmedServiceRequest) => void;
}

/** What the driver should do after `receive`. */
export type ResponderOutcome =
  | "ok"
  /** A conclude-Response was sent: wait for the ACSE release (ISO 9506-2 §8.3). */
  | "concluded"
  /** The peer violated the protocol; a RejectPDU was sent (the association may continue). */
  | "rejected";

const serviceError = (errorClass: ServiceError["errorClass"], code: number, text?: string): ServiceError => ({
  errorClass,
  code,
  additionalCode: undefined,
  additionalDescription: text,
  serviceSpecificInformation: undefined,
});

/**
 * The sans-IO MMS responder (ISO 9506-2 "responding MMS-user"): takes decoded PDUs of one
 * association, dispatches confirmed requests to a handler with at most `maxOutstanding` in
 * progress, and answers each with a confirmed-Response or confirmed-Error; rejects what ISO
 * 9506-2 §7.3 says to reject (unrecognized service, modifiers, duplicate invokeID, too many
 * outstanding requests). Responses go out in completion order (matched by invokeID).
 */
export class MmsResponder {
  private readonly inProgress = new Set<number>();
  private concluding = false;
  private closed = false;

  private readonly options: MmsResponderOptions;

  constructor(options: MmsResponderOptions) {
    this.options = options;
  }

  get outstandingCount(): number {
    return this.inProgress.size;
  }

  /** Feeds one decoded PDU of the peer. Never throws. */
  receive(pdu: MmsPdu): ResponderOutcome {
    switch (pdu.type) {
      case "confirmedRequest":
        return this.confirmedRequest(pdu.invokeId, pdu.request, pdu.modifiers);
      case "cancelRequest": {
        // ISO 9506-2 §8.4: we cannot interrupt a handler; cancel-not-possible (2), or
        // invalid-invokeID (1) when nothing with that id is in progress.
        const code = this.inProgress.has(pdu.invokeId) ? 2 : 1;
        this.send({ type: "cancelError", invokeId: pdu.invokeId, error: serviceError("cancel", code) });
        return "ok";
      }
      case "concludeRequest":
        if (this.inProgress.size > 0) {
          // ISO 9506-2 §8.3: conclude with requests outstanding: further-communication-required.
          this.send({ type: "concludeError", error: serviceError("conclude", 1) });
          return "ok";
        }
        this.concluding = true;
        this.send({ type: "concludeResponse" });
        return "concluded";
      case "reject":
        return "ok"; // a reject of something we sent: nothing to answer (ISO 9506-2 §7.3)
      case "confirmedResponse":
      case "confirmedError":
        // We sent no requests: confirmed-response / -error problem 2 invalid-invokeID.
        this.send({
          type: "reject",
          originalInvokeId: pdu.invokeId,
          problem: {
            kind: pdu.type === "confirmedResponse" ? "confirmedResponse" : "confirmedError",
            code: 2,
          },
        });
        return "rejected";
      case "unconfirmed":
        return "ok"; // nothing a client sends unconfirmed needs an answer
      default:
        // initiate or conclude responses/errors, cancel responses: not valid here.
        this.send({ type: "reject", originalInvokeId: undefined, problem: { kind: "pduError", code: 0 } });
        return "rejected";
    }
  }

  /** A PDU that did not decode: reject it as pdu-error invalid-pdu (ISO 9506-2 §7.3). */
  receiveInvalid(invokeId: number | undefined, unknownType: boolean): ResponderOutcome {
    if (invokeId !== undefined && !unknownType) {
      this.send({
        type: "reject",
        originalInvokeId: invokeId,
        problem: { kind: "confirmedRequest", code: 4 },
      });
    } else {
      this.send({
        type: "reject",
        originalInvokeId: undefined,
        problem: { kind: "pduError", code: unknownType ? 0 : 1 },
      });
    }
    return "rejected";
  }

  /**
   * A PDU above the negotiated localDetail (ISO 9506-2 §8.2): pdu-error invalid-pdu, carrying
   * the invokeID when it could be read so that the requester can fail that request.
   */
  receiveOversized(invokeId: number | undefined): ResponderOutcome {
    this.send({ type: "reject", originalInvokeId: invokeId, problem: { kind: "pduError", code: 1 } });
    return "rejected";
  }

  /** No more answers are sent (the association ended). */
  close(): void {
    this.closed = true;
  }

  private confirmedRequest(
    invokeId: number,
    request: ConfirmedServiceRequest,
    modifiers: Uint8Array | undefined,
  ): ResponderOutcome {
    // No closure per request: this runs once per confirmed request.
    if (this.concluding) return this.rejectRequest(invokeId, CONFIRMED_REQUEST.invalidInvokeId);
    if (this.inProgress.has(invokeId)) return this.rejectRequest(invokeId, CONFIRMED_REQUEST.invalidInvokeId);
    if (this.inProgress.size >= this.options.maxOutstanding) {
      return this.rejectRequest(invokeId, CONFIRMED_REQUEST.maxServOutstandingExceeded);
    }
    if (request.service === "unknown" || (this.options.supports && !this.options.supports(request.service))) {
      return this.rejectRequest(invokeId, CONFIRMED_REQUEST.unrecognizedService);
    }
    if (modifiers !== undefined) return this.rejectRequest(invokeId, CONFIRMED_REQUEST.unrecognizedModifier);
    let result: ConfirmedServiceResponse | Promise<ConfirmedServiceResponse>;
    try {
      result = this.options.handle(request, invokeId);
    } catch (e) {
      this.fail(invokeId, request, e);
      return "ok";
    }
    if (!(result instanceof Promise)) {
      this.send({ type: "confirmedResponse", invokeId, response: result });
      return "ok";
    }
    this.inProgress.add(invokeId);
    result.then(
      (response) => {
        this.inProgress.delete(invokeId);
        this.send({ type: "confirmedResponse", invokeId, response });
      },
      (e: unknown) => {
        this.inProgress.delete(invokeId);
        this.fail(invokeId, request, e);
      },
    );
    return "ok";
  }

  /** ISO 9506-2 §7.3: a RejectPDU for a confirmed-RequestPDU (problem `code`). */
  private rejectRequest(invokeId: number, code: number): ResponderOutcome {
    this.send({ type: "reject", originalInvokeId: invokeId, problem: { kind: "confirmedRequest", code } });
    return "rejected";
  }

  private fail(invokeId: number, request: ConfirmedServiceRequest, e: unknown): void {
    if (e instanceof MmsServiceFailure) {
      this.send({ type: "confirmedError", invokeId, modifierPosition: undefined, error: e.serviceError });
      return;
    }
    this.options.onHandlerError?.(e, request);
    this.send({
      type: "confirmedError",
      invokeId,
      modifierPosition: undefined,
      error: serviceError("service", 0, "internal error"),
    });
  }

  private send(pdu: MmsPdu): void {
    if (!this.closed) this.options.send(pdu);
  }
}
