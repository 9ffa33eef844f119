import { X509Certificate } from "node:crypto";
import type { DetailedPeerCertificate, TLSSocket } from "node:tls";
import { TlsEventCode } from "./events";
import { bytesEqual, namesOf, signatureHashOf } from "./pem";
import type { TlsProfile } from "./profile";

/** The outcome of the checks on a peer after its handshake. */
export type PeerVerdict =
  | {
      readonly ok: true;
      readonly chain: readonly Uint8Array[];
      readonly subject: string;
      readonly warnings: readonly PeerWarning[];
    }
  | {
      readonly ok: false;
      readonly code: TlsEventCode;
      readonly reason: string;
      readonly subject: string | undefined;
    };

export interface PeerWarning {
  readonly code: TlsEventCode;
  readonly detail: Readonly<Record<string, string | number>>;
}

/** OpenSSL verification results (node's `authorizationError` codes) to event codes. */
const OPENSSL_TO_EVENT: Readonly<Record<string, TlsEventCode>> = {
  CERT_HAS_EXPIRED: TlsEventCode.CERT_EXPIRED,
  CERT_NOT_YET_VALID: TlsEventCode.CERT_NOT_YET_VALID,
  CERT_REVOKED: TlsEventCode.CERT_REVOKED,
  UNABLE_TO_GET_ISSUER_CERT: TlsEventCode.CERT_UNKNOWN_ISSUER,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: TlsEventCode.CERT_UNKNOWN_ISSUER,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: TlsEventCode.CERT_UNKNOWN_ISSUER,
  SELF_SIGNED_CERT_IN_CHAIN: TlsEventCode.CERT_UNKNOWN_ISSUER,
  DEPTH_ZERO_SELF_SIGNED_CERT: TlsEventCode.CERT_UNKNOWN_ISSUER,
  CERT_SIGNATURE_FAILURE: TlsEventCode.CERT_UNKNOWN_ISSUER,
  CERT_UNTRUSTED: TlsEventCode.CERT_UNKNOWN_ISSUER,
  CRL_HAS_EXPIRED: TlsEventCode.CRL_EXPIRED,
  CRL_NOT_YET_VALID: TlsEventCode.CRL_EXPIRED,
  UNABLE_TO_GET_CRL: TlsEventCode.CRL_MISSING,
  INVALID_PURPOSE: TlsEventCode.CERT_WRONG_USAGE,
  EE_KEY_TOO_SMALL: TlsEventCode.CERT_WEAK_KEY,
  CA_KEY_TOO_SMALL: TlsEventCode.CERT_WEAK_KEY,
  CA_MD_TOO_WEAK: TlsEventCode.CERT_WEAK_KEY,
  ERR_TLS_CERT_ALTNAME_INVALID: TlsEventCode.CERT_NAME_MISMATCH,
};

/**
 * The peer's chain as presented/built, end-entity first (DER). `detailed`: what
 * `socket.getPeerCertificate(true)` answered already during this handshake (node:tls hands it to
 * a client's `checkServerIdentity`); building it again costs about as much as a signature.
 */
export function peerChainOf(socket: TLSSocket, detailed?: DetailedPeerCertificate): Uint8Array[] {
  const chain: Uint8Array[] = [];
  const peer = detailed ?? socket.getPeerCertificate(true);
  let c: typeof peer | undefined = peer && Object.keys(peer).length > 0 ? peer : undefined;
  const seen = new Set<unknown>();
  while (c?.raw && !seen.has(c)) {
    seen.add(c);
    chain.push(new Uint8Array(c.raw));
    c = c.issuerCertificate as typeof peer | undefined;
  }
  return chain;
}

/**
 * The checks of DECISIONS.md "Mutual authentication", in order: certificate present, size
 * (IEC 62351-3 / R-TLS-5), OpenSSL's chain verification (trust anchors, validity, CRLs, purpose),
 * key strength, allow-list (R-CA-2). Also collects non-fatal warnings (expiry soon).
 * `resumedChain`: the chain verified when a resumed session was made (client side);
 * `detailed`: the peer certificate node:tls already read in this handshake (see `peerChainOf`).
 */
export function verifyPeer(
  socket: TLSSocket,
  profile: TlsProfile,
  resumedChain?: readonly Uint8Array[],
  detailed?: DetailedPeerCertificate,
): PeerVerdict {
  try {
    return checkPeer(socket, profile, resumedChain, detailed);
  } catch (e) {
    // A certificate node accepted but a parser here did not: refuse, never throw from a handler.
    return {
      ok: false,
      code: TlsEventCode.CERT_INVALID,
      reason: `unreadable certificate: ${(e as Error)?.message}`,
      subject: undefined,
    };
  }
}

function checkPeer(
  socket: TLSSocket,
  profile: TlsProfile,
  resumedChain: readonly Uint8Array[] | undefined,
  detailed: DetailedPeerCertificate | undefined,
): PeerVerdict {
  let chain = peerChainOf(socket, detailed);
  // node:tls gives a client no peer certificate on a resumed session: use the chain verified
  // when the session was made (from the session cache) and check it again below.
  if (chain.length === 0 && resumedChain && socket.isSessionReused()) chain = [...resumedChain];
  const leaf = chain[0];
  if (!leaf)
    return { ok: false, code: TlsEventCode.CERT_MISSING, reason: "no certificate", subject: undefined };
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(leaf));
  } catch {
    return {
      ok: false,
      code: TlsEventCode.CERT_INVALID,
      reason: "unreadable certificate",
      subject: undefined,
    };
  }
  const subject = cert.subject.replace(/\n/g, ", ");
  for (const der of chain) {
    if (der.length > profile.maxCertificateSize) {
      return {
        ok: false,
        code: TlsEventCode.CERT_TOO_LARGE,
        reason: `certificate of ${der.length} octets (max ${profile.maxCertificateSize})`,
        subject,
      };
    }
  }
  const authError = socket.authorizationError as unknown as Error | string | null | undefined;
  if (authError) {
    // OpenSSL reports only its last verification error (e.g. a missing CRL for an unknown CA):
    // an unanchored chain is named as such first.
    const root = chain[chain.length - 1];
    if (root && !profile.trustAnchorsDer.some((a) => bytesEqual(a, root))) {
      const name = authErrorName(authError);
      return { ok: false, code: TlsEventCode.CERT_UNKNOWN_ISSUER, reason: name, subject };
    }
  }
  // Key strength: ours, because OpenSSL's security-level refusal reads only "UNSPECIFIED".
  const key = cert.publicKey;
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if ((key.asymmetricKeyType === "rsa" || key.asymmetricKeyType === "rsa-pss") && (bits ?? 0) < 2048) {
    return { ok: false, code: TlsEventCode.CERT_WEAK_KEY, reason: `RSA key of ${bits} bits`, subject };
  }
  if (profile.legacy2007 || authError) {
    // SHA-1 / MD5 certificate signatures: OpenSSL's security level 2 refuses them with a vague
    // code, and at level 0 (legacy2007, needed for TLS 1.0/1.1) accepts them. legacy2007 relaxes
    // the protocol version only, so they are refused here by name.
    for (const der of chain) {
      if (profile.trustAnchorsDer.some((a) => bytesEqual(a, der))) continue;
      const hash = signatureHashOf(der);
      if (hash === "sha-1" || hash === "md5") {
        return {
          ok: false,
          code: TlsEventCode.CERT_WEAK_KEY,
          reason: `${hash} certificate signature`,
          subject,
        };
      }
    }
  }
  if (authError) {
    const name = authErrorName(authError);
    return { ok: false, code: OPENSSL_TO_EVENT[name] ?? TlsEventCode.CERT_INVALID, reason: name, subject };
  }
  if (socket.isSessionReused()) {
    // OpenSSL keeps the verification result of the original handshake: check again what may
    // have changed since (validity period, CRLs reloaded on a running listener).
    const now = profile.clock.now();
    if (Date.parse(cert.validTo) < now)
      return { ok: false, code: TlsEventCode.CERT_EXPIRED, reason: "resumed", subject };
    const revoked = revokedSubject(profile, chain);
    if (revoked !== undefined)
      return { ok: false, code: TlsEventCode.CERT_REVOKED, reason: `resumed: ${revoked}`, subject };
  }
  if (profile.allowList !== undefined && !profile.allowList.some((d) => bytesEqual(d, leaf))) {
    return { ok: false, code: TlsEventCode.CERT_NOT_ALLOWED, reason: "not in the allow-list", subject };
  }
  const warnings: PeerWarning[] = [];
  const notAfter = Date.parse(cert.validTo);
  const left = notAfter - profile.clock.now();
  if (left < profile.certificateExpiryWarningDays * 86_400_000) {
    warnings.push({
      code: TlsEventCode.CERT_EXPIRES_SOON,
      detail: { whose: "peer", subject, notAfter: cert.validTo, daysLeft: Math.floor(left / 86_400_000) },
    });
  }
  return { ok: true, chain, subject, warnings };
}

function authErrorName(e: Error | string): string {
  return typeof e === "string" ? e : ((e as { code?: string }).code ?? e.message);
}

/** The subject of the first certificate of `chain` that the profile's CRLs list, if any. */
export function revokedSubject(profile: TlsProfile, chain: readonly Uint8Array[]): string | undefined {
  if (profile.crls.length === 0) return undefined;
  for (const der of chain) {
    let n: ReturnType<typeof namesOf>;
    try {
      n = namesOf(der);
    } catch {
      continue; // unreadable here: OpenSSL's own CRL check still applies at handshakes
    }
    for (const crl of profile.crls) {
      if (crl.issuer === n.issuer && crl.revokedSerials.has(n.serial)) return n.subject;
    }
  }
  return undefined;
}
