import type { ErrorClass, ServiceError } from "@mms/pdu";

const BRAND = Symbol.for("@mms/error");

/** Stable codes of server errors. Open: new codes may be added in minor releases. */
export type MmsServerErrorCode = "service-failure" | "model" | "usage" | "listen";

/** Base class of every @mms/server error. */
export abstract class MmsServerError extends Error {
  abstract readonly code: MmsServerErrorCode;
  readonly layer = "mms" as const;
  readonly [BRAND] = true;
}

/**
 * Thrown by a service handler or hook to answer the request with a confirmed-ErrorPDU carrying
 * this ServiceError (ISO 9506-2 §7.4). Anything else a handler throws is answered as
 * service/other and reported through `onError`.
 */
export class MmsServiceFailure extends MmsServerError {
  override readonly name = "MmsServiceFailure";
  readonly code = "service-failure" as const;
  readonly serviceError: ServiceError;

  constructor(errorClass: ErrorClass, errorCode: number, additionalDescription?: string) {
    super(
      `service error ${errorClass}/${errorCode}${additionalDescription ? `: ${additionalDescription}` : ""}`,
    );
    this.serviceError = {
      errorClass,
      code: errorCode,
      additionalCode: undefined,
      additionalDescription,
      serviceSpecificInformation: undefined,
    };
  }
}

/** A VMD model definition (in code or JSON) is invalid. */
export class MmsModelError extends MmsServerError {
  override readonly name = "MmsModelError";
  readonly code = "model" as const;
}

/** The application used the server API wrongly. */
export class MmsServerUsageError extends MmsServerError {
  override readonly name = "MmsServerUsageError";
  readonly code = "usage" as const;
}
