import type { AuthenticationContext } from "../auth/mechanism";
import type { CertificateFailureCode } from "./failure";
import { bytesEqual, derBlocks } from "./material";
import type { CertificateBinding } from "./options";
import type { KeyInfo } from "./signature";
import type { X509Certificate } from "./x509";

/** Smallest RSA modulus accepted by default (62351-3:2014, 62351-4:2018), and under legacy. */
export const MIN_RSA_BITS = 2048;
export const MIN_LEGACY_RSA_BITS = 1024;

export interface PeerCheckPolicy {
  readonly legacy: boolean;
  readonly allowList: readonly Uint8Array[] | undefined;
  readonly binding: readonly CertificateBinding[] | undefined;
  readonly requireTlsCertificateMatch: boolean;
}

export interface PeerCheckResult {
  readonly failure?: {
    readonly code: CertificateFailureCode;
    readonly message: string;
    readonly detail: Readonly<Record<string, string | number | boolean | undefined>>;
  };
  /** An RSA key below 2048 bits accepted under legacy (warn). */
  readonly legacyKey?: boolean;
}

const normalizeDn = (dn: string): string =>
  dn
    .split(/\s*,\s*/)
    .join(",")
    .trim();

/**
 * Checks on the peer's certificate beyond its chain (R-ACSE-9, R-CA-2, DECISIONS.md
 * "Binding"): key type and size; allow-list (exact DER); binding to the peer's AP-title and
 * AE-qualifier; equality with the TLS peer certificate.
 */
export function checkPeerCertificate(
  cert: X509Certificate,
  der: Uint8Array,
  key: KeyInfo,
  ctx: AuthenticationContext,
  policy: PeerCheckPolicy,
): PeerCheckResult {
  let legacyKey = false;
  if (key.kind === "rsa") {
    const min = policy.legacy ? MIN_LEGACY_RSA_BITS : MIN_RSA_BITS;
    if (key.modulusBits < min)
      return {
        failure: {
          code: "key-too-small",
          message: `RSA key of ${key.modulusBits} bits (minimum ${min})`,
          detail: { modulusBits: key.modulusBits, minimumBits: min },
        },
      };
    legacyKey = key.modulusBits < MIN_RSA_BITS;
  } else if (key.kind === "ec") {
    if (key.namedCurve !== "P-256")
      return {
        failure: {
          code: "key-too-small",
          message: `curve ${key.namedCurve} not accepted`,
          detail: { curve: key.namedCurve },
        },
      };
  } else
    return {
      failure: {
        code: "key-too-small",
        message: `key ${key.algorithm} not accepted`,
        detail: { algorithm: key.algorithm },
      },
    };

  if (policy.allowList && !policy.allowList.some((a) => bytesEqual(a, der)))
    return {
      failure: { code: "not-allowed", message: `"${cert.subject}" is not in the allow-list`, detail: {} },
    };

  if (policy.binding && policy.binding.length > 0) {
    const apTitle = ctx.peerApTitle;
    const aeq = ctx.peerAeQualifier;
    const mine = policy.binding.filter(
      (b) => b.apTitle === apTitle && (b.aeQualifier === undefined || b.aeQualifier === aeq),
    );
    const subject = normalizeDn(cert.subject);
    const matches = mine.some(
      (b) =>
        (b.subject === undefined || normalizeDn(b.subject) === subject) &&
        (b.certificate === undefined ||
          derBlocks(b.certificate, ["CERTIFICATE"]).some((c) => bytesEqual(c, der))) &&
        (b.subject !== undefined || b.certificate !== undefined),
    );
    if (!matches)
      return {
        failure: {
          code: "binding-mismatch",
          message: `"${cert.subject}" is not bound to AP-title ${apTitle ?? "(none)"} AE-qualifier ${aeq ?? "(none)"}`,
          detail: { apTitle, aeQualifier: aeq },
        },
      };
  }

  if (policy.requireTlsCertificateMatch) {
    const tlsCert = ctx.transport.tls?.peerCertificate;
    if (!tlsCert || !bytesEqual(tlsCert, der))
      return {
        failure: {
          code: "tls-certificate-mismatch",
          message: tlsCert
            ? "the ACSE certificate is not the TLS peer certificate"
            : "no TLS peer certificate",
          detail: { tls: tlsCert !== undefined },
        },
      };
  }
  return { legacyKey };
}
