import { TlsEventCode } from "./events";

/** Socket errors that mean the TCP connection itself failed (no TLS involved). */
const NETWORK_ERRORS = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
]);

export function isNetworkError(err: unknown): boolean {
  return NETWORK_ERRORS.has((err as { code?: string } | undefined)?.code ?? "");
}

/** The event code of a failed handshake, from node's / OpenSSL's error. */
export function handshakeEventCode(err: unknown): { code: TlsEventCode; reason: string } {
  const e = err as { code?: string; reason?: string; message?: string } | undefined;
  const reason = e?.code ?? e?.reason ?? e?.message ?? "unknown";
  const text = `${e?.code ?? ""} ${e?.reason ?? ""} ${e?.message ?? ""}`.toUpperCase();
  if (
    /NO_SHARED_CIPHER|NO SHARED CIPHER|NO_CIPHERS_AVAILABLE|NO CIPHERS AVAILABLE|NO_CIPHER_MATCH/.test(text)
  ) {
    return { code: TlsEventCode.NO_COMMON_CIPHER, reason };
  }
  if (
    /UNSUPPORTED_PROTOCOL|UNSUPPORTED PROTOCOL|VERSION_TOO_LOW|VERSION TOO LOW|ALERT_PROTOCOL_VERSION|NO_PROTOCOLS_AVAILABLE|NO PROTOCOLS AVAILABLE/.test(
      text,
    )
  ) {
    return { code: TlsEventCode.VERSION_REFUSED, reason };
  }
  return { code: TlsEventCode.HANDSHAKE_FAILED, reason };
}
