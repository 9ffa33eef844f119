import type { RejectProblem, ServiceError } from "@mms/pdu";

/**
 * Errors of @mms/client (architecture §6.7). Programs branch on `code`, never on messages.
 * Every request ends in a response or in exactly one of these.
 */

/** Stable codes of client errors. Open: new codes may be added in minor releases. */
export type MmsClientErrorCode =
  | "service-error"
  | "reject"
  | "timeout"
  | "aborted"
  | "connection-closed"
  | "protocol-error"
  | "usage"
  | "initiate-refused"
  | "report-overflow"
  | "data-access";

const BRAND = Symbol.for("@mms/error");

/** Base class of every @mms/client error. */
export abstract class MmsClientError extends Error {
  abstract readonly code: MmsClientErrorCode;
  readonly layer = "mms" as const;
  readonly [BRAND] = true;
}

/** The peer answered the request with a confirmed-ErrorPDU (ISO 9506-2 §7.3.3). */
export class MmsServiceError extends MmsClientError {
  override readonly name = "MmsServiceError";
  readonly code = "service-error" as const;
  /** e.g. `access`, `definition`, `vmdState`, `service`, `file`. */
  readonly errorClass: ServiceError["errorClass"];
  /** Code within the class, e.g. 2 (object-non-existent) for class access. */
  readonly errorCode: number;
  readonly additionalCode: number | undefined;
  readonly additionalDescription: string | undefined;
  /** The decoded ServiceError. */
  readonly serviceError: ServiceError;
  /** The service the request was for (`read`, `write`, ...). */
  readonly service: string;

  constructor(service: string, error: ServiceError, options?: ErrorOptions) {
    super(
      `${service}: peer answered service error ${error.errorClass}/${error.code}` +
        (error.additionalDescription ? ` (${error.additionalDescription})` : ""),
      options,
    );
    this.service = service;
    this.serviceError = error;
    this.errorClass = error.errorClass;
    this.errorCode = error.code;
    this.additionalCode = error.additionalCode;
    this.additionalDescription = error.additionalDescription;
  }
}

/** The peer rejected the request with a RejectPDU (ISO 9506-2 §7.5). */
export class MmsRejectError extends MmsClientError {
  override readonly name = "MmsRejectError";
  readonly code = "reject" as const;
  /** Which PDU kind was rejected (`confirmedRequest`, `pduError`, ...) and the problem code. */
  readonly problem: RejectProblem;
  readonly originalInvokeId: number | undefined;

  constructor(problem: RejectProblem, originalInvokeId: number | undefined) {
    super(`peer rejected the PDU: ${problem.kind} problem ${problem.code}`);
    this.problem = problem;
    this.originalInvokeId = originalInvokeId;
  }
}

/** No answer within the per-call or default timeout. */
export class MmsTimeoutError extends MmsClientError {
  override readonly name = "MmsTimeoutError";
  readonly code = "timeout" as const;
  readonly timeoutMs: number;
  constructor(what: string, timeoutMs: number) {
    super(`${what}: no answer within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's AbortSignal fired; `cause` is the signal's reason. */
export class MmsAbortError extends MmsClientError {
  override readonly name = "MmsAbortError";
  readonly code = "aborted" as const;
  constructor(what: string, reason: unknown) {
    super(`${what}: aborted`, { cause: reason });
  }
}

/** The association ended before the request was answered; `cause` says why. */
export class MmsConnectionClosedError extends MmsClientError {
  override readonly name = "MmsConnectionClosedError";
  readonly code = "connection-closed" as const;
  constructor(message = "the association is closed", options?: ErrorOptions) {
    super(message, options);
  }
}

/** The peer sent something ISO 9506-2 does not allow here (garbage, wrong response type). */
export class MmsProtocolError extends MmsClientError {
  override readonly name = "MmsProtocolError";
  readonly code = "protocol-error" as const;
}

/** The application used the API wrongly (e.g. a request after conclude). */
export class MmsUsageError extends MmsClientError {
  override readonly name = "MmsUsageError";
  readonly code = "usage" as const;
}

/** The peer refused the MMS initiate (initiate-ErrorPDU) or sent no usable initiate response. */
export class MmsInitiateError extends MmsClientError {
  override readonly name = "MmsInitiateError";
  readonly code = "initiate-refused" as const;
}

/** The InformationReport buffer overflowed with the `"error"` policy. */
export class MmsReportOverflowError extends MmsClientError {
  override readonly name = "MmsReportOverflowError";
  readonly code = "report-overflow" as const;
}

/** `readValue` / `writeValue`: the server answered this item with a DataAccessError. */
export class MmsDataAccessError extends MmsClientError {
  override readonly name = "MmsDataAccessError";
  readonly code = "data-access" as const;
  /** ISO 9506-2 §14.4.1 DataAccessError (10 object-non-existent, 3 object-access-denied, ...). */
  readonly dataAccessError: number;
  constructor(what: string, dataAccessError: number) {
    super(`${what}: data access error ${dataAccessError}`);
    this.dataAccessError = dataAccessError;
  }
}
