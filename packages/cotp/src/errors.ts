/**
 * Errors of the transport layer. `CotpError` is the only error the framer and the TPDU decoder
 * throw for peer bytes, and the error a connection closes with after a protocol violation,
 * refusal or timeout. `CotpUsageError` is thrown synchronously for local misuse.
 */
export type CotpErrorCode =
  /** TPKT version is not 3 or its reserved octet is not 0 (RFC 1006 §6). */
  | "tpkt-version"
  /** TPKT length below 7 or above 65 535 (RFC 1006 §6). */
  | "tpkt-length"
  /** LI is 255 (reserved), or points past the end of the TPDU, or is too short for the type (ISO 8073 §13.2.1). */
  | "invalid-li"
  /** TPDU code not used in class 0 (ISO 8073 §13.1, Table 8). */
  | "invalid-tpdu-type"
  /** A parameter overruns the header, or a known parameter has a wrong length or value (ISO 8073 §13.2.3). */
  | "invalid-parameter"
  /** A known parameter appears twice. */
  | "duplicate-parameter"
  /** CR/CC carrying user data, not allowed in class 0 (ISO 8073 §13.3.5). */
  | "unexpected-user-data"
  /** A TPDU not allowed in the current state (ISO 8073 §6.22, treatment of protocol errors). */
  | "unexpected-tpdu"
  /** A DT longer than the negotiated TPDU size (ISO 8073 §13.3.4 b). */
  | "tpdu-too-large"
  /** Reassembled TSDU beyond `maxTsduSize`. */
  | "tsdu-too-large"
  /** The responder selected a TPDU size above the one proposed, or a class other than 0. */
  | "negotiation-failed"
  /** The peer refused the connection with a DR; `drReason` holds its reason code. */
  | "refused"
  /** The peer sent an ER TPDU; `erCause` holds its reject cause. */
  | "peer-error"
  /** CR/CC not received in time, or no TPDU for `idleTimeoutMs`. */
  | "timeout"
  | "idle-timeout"
  /** The byte stream ended before the connection was established. */
  | "closed";

export class CotpError extends Error {
  override readonly name: "CotpError" = "CotpError";
  readonly code: CotpErrorCode;
  /** Offset in the TPDU (or TPKT stream, for framer errors) where the problem was found. */
  readonly offset: number | undefined;
  /** DR reason from the peer (`refused`) or sent by us. */
  readonly drReason: number | undefined;
  /** ER reject cause from the peer (`peer-error`). */
  readonly erCause: number | undefined;

  constructor(
    code: CotpErrorCode,
    message: string,
    details: { offset?: number; drReason?: number; erCause?: number; cause?: unknown } = {},
  ) {
    super(`${code}: ${message}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.offset = details.offset;
    this.drReason = details.drReason;
    this.erCause = details.erCause;
  }
}

export type CotpUsageErrorCode = "not-connected" | "wrong-role" | "invalid-option" | "second-reader";

/** Local misuse of the API (calling a primitive in the wrong state or with a bad option). */
export class CotpUsageError extends Error {
  override readonly name: "CotpUsageError" = "CotpUsageError";
  readonly code: CotpUsageErrorCode;

  constructor(code: CotpUsageErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.code = code;
  }
}
