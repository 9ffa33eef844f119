import "reflect-metadata";
import { X509Certificate } from "@peculiar/x509";

/** The subject DN of a DER certificate, or a placeholder when it cannot be parsed. */
export function certificateSubject(der: Uint8Array | undefined): string | undefined {
  if (!der) return undefined;
  try {
    return new X509Certificate(new Uint8Array(der)).subject;
  } catch {
    return "(unparsable certificate)";
  }
}

/** Display text of an authenticated identity: `certificate CN=…`, `tls CN=…`, `password user`, `none`. */
export function identityText(
  id: { mechanism: string; name: string; certificate?: Uint8Array | undefined } | undefined,
): string {
  if (!id || id.mechanism === "none") return "none (unauthenticated)";
  const subject = certificateSubject(id.certificate);
  if (id.mechanism === "tls") return `TLS certificate ${subject ?? id.name} (no ACSE authentication)`;
  if (id.mechanism === "certificate") return `IEC 62351-4 certificate ${subject ?? id.name}`;
  return `${id.mechanism} ${id.name}`;
}
