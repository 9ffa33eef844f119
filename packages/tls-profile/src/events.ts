/**
 * Security event codes raised by the TLS profile (DECISIONS.md "Security events"; IEC 62351-3 /
 * 62351-100-3 style: ALM_ alarm, WRN_ warning, INF_ information). docs/security.md explains each.
 */
export const TlsEventCode = {
  /** Handshake done and the peer accepted by every check. */
  SESSION_ESTABLISHED: "INF_TLS_SESSION_ESTABLISHED",
  /** A TLS 1.2 renegotiation (rekey) completed. */
  RENEGOTIATED: "INF_TLS_RENEGOTIATED",
  /** A listener's CRLs were replaced. */
  CRL_RELOADED: "INF_CRL_RELOADED",
  /** A listener's profile was replaced. */
  PROFILE_REPLACED: "INF_TLS_PROFILE_REPLACED",
  /** The peer's (or our own) certificate is past its notAfter. */
  CERT_EXPIRED: "ALM_CERT_EXPIRED",
  /** The peer's certificate is before its notBefore. */
  CERT_NOT_YET_VALID: "ALM_CERT_NOT_YET_VALID",
  /** The peer's certificate (or a CA of its chain) is in a CRL. */
  CERT_REVOKED: "ALM_CERT_REVOKED",
  /** The peer's chain does not end at a configured trust anchor (or a signature is bad). */
  CERT_UNKNOWN_ISSUER: "ALM_CERT_UNKNOWN_ISSUER",
  /** The peer's certificate is valid but not in the configured allow-list. */
  CERT_NOT_ALLOWED: "ALM_CERT_NOT_ALLOWED",
  /** A certificate of the peer's chain exceeds the maximum size (8192 octets). */
  CERT_TOO_LARGE: "ALM_CERT_TOO_LARGE",
  /** The peer sent no certificate (mutual authentication is mandatory). */
  CERT_MISSING: "ALM_CERT_MISSING",
  /** The peer's key is too weak (RSA below 2048 bits, EC below 256 bits). */
  CERT_WEAK_KEY: "ALM_CERT_WEAK_KEY",
  /** Key usage / extended key usage do not allow TLS authentication. */
  CERT_WRONG_USAGE: "ALM_CERT_WRONG_USAGE",
  /** The server's certificate does not match the requested server name. */
  CERT_NAME_MISMATCH: "ALM_CERT_NAME_MISMATCH",
  /** Any other certificate verification failure (detail.reason has OpenSSL's code). */
  CERT_INVALID: "ALM_CERT_INVALID",
  /** A certificate expires within `certificateExpiryWarningDays`. */
  CERT_EXPIRES_SOON: "WRN_CERT_EXPIRES_SOON",
  /** A CRL needed for the peer's chain is past its nextUpdate (or not yet valid). */
  CRL_EXPIRED: "ALM_CRL_EXPIRED",
  /** CRLs are in use but one CA of the peer's chain has none. */
  CRL_MISSING: "ALM_CRL_MISSING",
  /** No cipher suite in common with the peer. */
  NO_COMMON_CIPHER: "ALM_TLS_NO_COMMON_CIPHER",
  /** The peer offered only protocol versions the profile refuses. */
  VERSION_REFUSED: "ALM_TLS_VERSION_REFUSED",
  /** A session runs TLS 1.0 or 1.1 (only possible with `legacy2007`). */
  INSECURE_VERSION: "WRN_INSECURE_TLS_VERSION",
  /** Any other handshake failure (detail.reason). */
  HANDSHAKE_FAILED: "ALM_TLS_HANDSHAKE_FAILED",
  /** A scheduled renegotiation failed or timed out; the session is closed. */
  RENEGOTIATION_FAILED: "ALM_TLS_RENEGOTIATION_FAILED",
  /** Rekeying is off (interval and message count both 0). */
  REKEY_DISABLED: "WRN_TLS_REKEY_DISABLED",
  /** A listener refused a connection because `maxConnections` was reached. */
  CONNECTION_LIMIT: "WRN_TLS_CONNECTION_LIMIT",
} as const;

export type TlsEventCode = (typeof TlsEventCode)[keyof typeof TlsEventCode];

/** Every code, for documentation checks and exhaustive handling. */
export const TLS_EVENT_CODES: readonly TlsEventCode[] = Object.freeze(Object.values(TlsEventCode));
