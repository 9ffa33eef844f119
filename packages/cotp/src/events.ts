import { type SecurityEvent, type SecurityEventListener, securityEvent, type TransportInfo } from "@mms/io";
import { CotpError } from "./errors";

/** Security event codes raised by `listen()` (IEC 62351-3 / 62351-100-3 style). */
export const CotpEventCode = {
  /** Framing or TPDU error, TPDU not allowed in the state, size limits, peer ER; detail.reason = CotpError code. */
  PROTOCOL_ERROR: "WRN_COTP_PROTOCOL_ERROR",
  /** No CR in time (slow or silent peer), or no complete TPDU for `idleTimeoutMs`. */
  TIMEOUT: "WRN_COTP_TIMEOUT",
  /** A CR refused (class other than 0, or the `accept` policy); detail.drReason. */
  REFUSED: "WRN_COTP_REFUSED",
  /** A TCP connection closed at once because `maxConnections` were open. */
  CONNECTION_LIMIT: "WRN_COTP_CONNECTION_LIMIT",
} as const;
export type CotpEventCode = (typeof CotpEventCode)[keyof typeof CotpEventCode];

/** The event code for an error a connection failed or closed with, or undefined when benign. */
export function eventCodeOf(error: unknown): CotpEventCode | undefined {
  if (!(error instanceof CotpError)) return undefined;
  switch (error.code) {
    case "timeout":
    case "idle-timeout":
      return CotpEventCode.TIMEOUT;
    case "refused":
    case "negotiation-failed":
      return error.drReason !== undefined ? CotpEventCode.REFUSED : CotpEventCode.PROTOCOL_ERROR;
    default:
      return CotpEventCode.PROTOCOL_ERROR;
  }
}

export function peerOf(info: TransportInfo): string | undefined {
  return info.remoteAddress === undefined ? undefined : `${info.remoteAddress}:${info.remotePort ?? "?"}`;
}

/** Builds the event and hands it to `publish` (the diagnostics channel) and the listener. */
export function raise(
  publish: (e: SecurityEvent) => void,
  listener: SecurityEventListener | undefined,
  code: CotpEventCode,
  peer: string | undefined,
  detail: SecurityEvent["detail"],
): void {
  const event = securityEvent(code, Date.now(), peer, detail);
  publish(event);
  try {
    listener?.(event);
  } catch {
    // A failing listener must not break connection handling.
  }
}
