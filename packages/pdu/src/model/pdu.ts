import type { ServiceError, RejectProblem } from "./errors";
import type { InitiateParameters } from "./initiate";
import type { ConfirmedServiceRequest, ConfirmedServiceResponse, UnconfirmedService } from "./services";

/** ISO 9506-2 §7.1 `MMSpdu`, discriminated by `type`. */
export type MmsPdu =
  | {
      readonly type: "confirmedRequest";
      readonly invokeId: number;
      readonly request: ConfirmedServiceRequest;
      /** listOfModifier, kept as its encoded element when present (servers reject modifiers). */
      readonly modifiers?: Uint8Array | undefined;
    }
  | {
      readonly type: "confirmedResponse";
      readonly invokeId: number;
      readonly response: ConfirmedServiceResponse;
    }
  | {
      readonly type: "confirmedError";
      readonly invokeId: number;
      readonly modifierPosition: number | undefined;
      readonly error: ServiceError;
    }
  | { readonly type: "unconfirmed"; readonly service: UnconfirmedService }
  | {
      readonly type: "reject";
      readonly originalInvokeId: number | undefined;
      readonly problem: RejectProblem;
    }
  | { readonly type: "cancelRequest"; readonly invokeId: number }
  | { readonly type: "cancelResponse"; readonly invokeId: number }
  | { readonly type: "cancelError"; readonly invokeId: number; readonly error: ServiceError }
  | ({ readonly type: "initiateRequest" } & InitiateParameters)
  | ({ readonly type: "initiateResponse" } & InitiateParameters)
  | { readonly type: "initiateError"; readonly error: ServiceError }
  | { readonly type: "concludeRequest" }
  | { readonly type: "concludeResponse" }
  | { readonly type: "concludeError"; readonly error: ServiceError };

export type MmsPduType = MmsPdu["type"];
export type InitiateRequestPdu = Extract<MmsPdu, { type: "initiateRequest" }>;
export type InitiateResponsePdu = Extract<MmsPdu, { type: "initiateResponse" }>;
