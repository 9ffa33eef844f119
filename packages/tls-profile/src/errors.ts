import type { SecurityEvent } from "@mms/io";

/** A profile was invalid: every problem found is listed. */
export class TlsProfileError extends Error {
  readonly code = "invalid-profile" as const;
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid TLS profile: ${problems.join("; ")}`);
    this.name = "TlsProfileError";
    this.problems = Object.freeze([...problems]);
  }
}

/** Why a TLS connection could not be established. */
export type TlsConnectErrorCode =
  /** TCP connect failed (refused, unreachable). */
  | "network"
  /** The handshake failed (versions, suites, the peer refused us, I/O error). */
  | "handshake-failed"
  /** The server's certificate failed a check of the profile (see `securityEvent`). */
  | "peer-rejected"
  | "timeout"
  | "aborted";

export class TlsConnectError extends Error {
  readonly code: TlsConnectErrorCode;
  /** The security event raised for this failure, when there was one. */
  readonly securityEvent: SecurityEvent | undefined;
  constructor(code: TlsConnectErrorCode, message: string, event?: SecurityEvent, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "TlsConnectError";
    this.code = code;
    this.securityEvent = event;
  }
}
