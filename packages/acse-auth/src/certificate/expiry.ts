import { type SecurityEvent, securityEvent } from "@mms/io";
import { DEFAULT_EXPIRY_HORIZON_MS, MAX_EXPIRY_HORIZON_MS } from "./options";
import { type PemOrDer, parseCertificates } from "./material";
import type { X509Certificate } from "./x509";

/** What a certificate is to us, for the event. */
export type CertificateRole = "own" | "trust-anchor" | "intermediate" | "peer";

export interface ExpiryCheckOptions {
  readonly certificates: readonly {
    readonly role: CertificateRole;
    readonly certificate: PemOrDer | X509Certificate;
  }[];
  /** Epoch ms (from the application's clock). */
  readonly now: number;
  /** Warn this long before `notAfter` (default 30 days; at most 10 000 h, R-TLS-9). */
  readonly horizonMs?: number;
  readonly emit: (event: SecurityEvent) => void;
}

export interface ExpiryFinding {
  readonly role: CertificateRole;
  readonly subject: string;
  readonly notAfter: number;
  /** Negative once expired. */
  readonly remainingMs: number;
  readonly code: "WRN_CERT_EXPIRES_SOON" | "ALM_CERT_EXPIRED";
}

/**
 * The certificate expiry pre-alarm (R-TLS-9, R-LOG-2): for each certificate whose `notAfter`
 * falls within the horizon, raises `WRN_CERT_EXPIRES_SOON`; for each already expired,
 * `ALM_CERT_EXPIRED`. A server or client calls it at start and periodically (e.g. hourly).
 */
export function checkCertificateExpiry(options: ExpiryCheckOptions): ExpiryFinding[] {
  const horizon = options.horizonMs ?? DEFAULT_EXPIRY_HORIZON_MS;
  if (!(horizon >= 0 && horizon <= MAX_EXPIRY_HORIZON_MS))
    throw new RangeError("checkCertificateExpiry: horizonMs must be within 0..10 000 h");
  const out: ExpiryFinding[] = [];
  for (const { role, certificate } of options.certificates) {
    const certs =
      typeof certificate === "string" || certificate instanceof Uint8Array
        ? parseCertificates([certificate])
        : [certificate];
    for (const c of certs) {
      const notAfter = c.notAfter.getTime();
      const remainingMs = notAfter - options.now;
      if (remainingMs > horizon) continue;
      const code = remainingMs < 0 ? "ALM_CERT_EXPIRED" : "WRN_CERT_EXPIRES_SOON";
      out.push({ role, subject: c.subject, notAfter, remainingMs, code });
      options.emit(
        securityEvent(code, options.now, c.subject, {
          role,
          notAfter: c.notAfter.toISOString(),
          remainingMs,
          serial: c.serialNumber,
        }),
      );
    }
  }
  return out;
}
