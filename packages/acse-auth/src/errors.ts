import { OsiProtocolError } from "@mms/osi";

/** The peer sent an ACSE APDU that is malformed or not allowed in the current state. */
export class AcseProtocolError extends OsiProtocolError {
  override readonly name: string = "AcseProtocolError";

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super("acse", code, message, options);
  }
}

/** Which layer refused or aborted: the ACSE user/provider, or presentation/session below it. */
export type AssociationSource = "acse-service-user" | "acse-service-provider" | "presentation" | "session";

/**
 * The responder refused the association: an AARE with result rejected (ISO 8650-1), or a
 * presentation CPR / session RF. `userData` is the AARE's user information (e.g. an MMS
 * initiate-ErrorPDU) when there was one.
 */
export class AssociationRejectedError extends Error {
  override readonly name: string = "AssociationRejectedError";
  readonly code = "rejected" as const;
  /** AARE result: 1 rejected-permanent, 2 rejected-transient (1 for CPR/RF). */
  readonly result: number;
  readonly source: AssociationSource;
  /** Associate-source-diagnostic, CPR provider-reason or RF reason code. */
  readonly diagnostic: number;
  readonly userData: Uint8Array | undefined;

  constructor(result: number, source: AssociationSource, diagnostic: number, userData?: Uint8Array) {
    super(`association rejected (result ${result}, ${source} diagnostic ${diagnostic})`);
    this.result = result;
    this.source = source;
    this.diagnostic = diagnostic;
    this.userData = userData;
  }
}

/** The association was aborted (ABRT, ARU/ARP or a session AB), by the peer or the provider. */
export class AssociationAbortedError extends Error {
  override readonly name: string = "AssociationAbortedError";
  readonly code = "aborted" as const;
  readonly source: AssociationSource;
  /** ABRT-diagnostic (5 authentication-failure, 6 authentication-required…) or ARP reason. */
  readonly diagnostic: number | undefined;

  constructor(source: AssociationSource, diagnostic: number | undefined, message?: string) {
    super(
      message ??
        `association aborted by the ${source}${diagnostic === undefined ? "" : ` (diagnostic ${diagnostic})`}`,
    );
    this.source = source;
    this.diagnostic = diagnostic;
  }
}

/** The association was not established (or released) within `timeoutMs`. */
export class AssociationTimeoutError extends Error {
  override readonly name: string = "AssociationTimeoutError";
  readonly code = "timeout" as const;
}

/** The transport closed before the association was established or released. */
export class AssociationClosedError extends Error {
  override readonly name: string = "AssociationClosedError";
  readonly code = "closed" as const;
}

/**
 * Thrown by an `onRequest` handler to refuse an association: the responder sends an AARE
 * rejected-permanent with this ACSE-service-user diagnostic and, optionally, user data (an
 * MMS initiate-ErrorPDU).
 */
export class AssociationRefusal extends Error {
  override readonly name: string = "AssociationRefusal";
  readonly code = "refused" as const;
  readonly diagnostic: number;
  readonly userData: Uint8Array | undefined;

  constructor(diagnostic = 1, userData?: Uint8Array) {
    super(`association refused (diagnostic ${diagnostic})`);
    this.diagnostic = diagnostic;
    this.userData = userData;
  }
}
