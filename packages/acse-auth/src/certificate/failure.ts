import { securityEvent } from "@mms/io";
import { type AuthenticationContext, AuthenticationError } from "../auth/mechanism";
import {
  AARE_MECHANISM_NAME_NOT_RECOGNIZED,
  AARE_MECHANISM_NAME_REQUIRED,
  ABORT_AUTHENTICATION_FAILURE,
  ABORT_AUTHENTICATION_REQUIRED,
} from "./oids";

/**
 * Stable reason codes of the certificate mechanism (`AuthenticationError.code` and the
 * `reason` of the security event). One per cause listed in R-LOG-2 / R-ACSE-9.
 */
export type CertificateFailureCode =
  | "certificate-expired"
  | "certificate-not-yet-valid"
  | "unknown-issuer"
  | "certificate-revoked"
  | "key-too-small"
  | "key-usage"
  | "not-allowed"
  | "binding-mismatch"
  | "tls-certificate-mismatch"
  | "time-skew"
  | "replay"
  | "replay-cache-full"
  | "bad-signature"
  | "malformed-value"
  | "certificate-too-large"
  | "value-missing"
  | "unknown-mechanism"
  | "mechanism-name-required";

/** What the association sends back for each code (DECISIONS.md "Failure semantics"). */
export function replyFor(code: CertificateFailureCode): AuthenticationError["reply"] {
  switch (code) {
    case "unknown-mechanism":
      return { kind: "aare", diagnostic: AARE_MECHANISM_NAME_NOT_RECOGNIZED };
    case "mechanism-name-required":
      return { kind: "aare", diagnostic: AARE_MECHANISM_NAME_REQUIRED };
    case "value-missing":
      return { kind: "abort", diagnostic: ABORT_AUTHENTICATION_REQUIRED };
    default:
      return { kind: "abort", diagnostic: ABORT_AUTHENTICATION_FAILURE };
  }
}

/** Who an event is about: the peer's AP-title, else its transport address. */
export function peerLabel(ctx: AuthenticationContext): string | undefined {
  if (ctx.peerApTitle !== undefined)
    return ctx.peerAeQualifier !== undefined ? `${ctx.peerApTitle}/${ctx.peerAeQualifier}` : ctx.peerApTitle;
  const t = ctx.transport;
  return t.remoteAddress !== undefined ? `${t.remoteAddress}:${t.remotePort}` : undefined;
}

/**
 * Raises the security event of a failure (`ALM_ACSE_REPLAY` for a replay, else
 * `ALM_ACSE_AUTH_FAILED` with `reason`) and returns the error to throw. R-LOG-1/2.
 */
export function certificateFailure(
  ctx: AuthenticationContext,
  code: CertificateFailureCode,
  message: string,
  detail: Readonly<Record<string, string | number | boolean | undefined>> = {},
): AuthenticationError {
  const full = { reason: code, mechanism: "certificate", role: ctx.role, ...detail };
  const event = code === "replay" ? "ALM_ACSE_REPLAY" : "ALM_ACSE_AUTH_FAILED";
  ctx.emit(securityEvent(event, ctx.now, peerLabel(ctx), full));
  return new AuthenticationError(code, message, replyFor(code), full);
}
