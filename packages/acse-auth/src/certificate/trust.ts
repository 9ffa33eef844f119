import type { CertificateFailureCode } from "./failure";
import { bytesEqual } from "./material";
import {
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  type X509Certificate,
  type X509Crl,
} from "./x509";

/**
 * Path validation of a peer's ACSE certificate (R-ACSE-9, R-CA-1): the end-entity certificate
 * the peer sent, configured intermediates, configured trust anchors (several), CRLs per issuer
 * (`CrlIndex`).
 * The peer supplies only its end-entity certificate in this mechanism, so intermediates come
 * from configuration. Checks, in order: issuer chain to an anchor (signatures, CA flag),
 * validity of every certificate at `now`, revocation of every non-anchor certificate by a CRL of
 * its issuer (verified under the issuer's key), key usage of the end-entity certificate.
 */
export interface TrustStore {
  readonly anchors: readonly X509Certificate[];
  readonly intermediates: readonly X509Certificate[];
}

export interface ChainFailure {
  readonly ok: false;
  readonly code: CertificateFailureCode;
  readonly message: string;
  readonly detail: Readonly<Record<string, string | number | boolean | undefined>>;
}

export interface ChainResult {
  readonly ok: true;
  /** End-entity first, anchor last. */
  readonly chain: readonly X509Certificate[];
  /** Non-fatal findings, raised as warning events by the caller (e.g. an outdated CRL). */
  readonly warnings: readonly { code: string; detail: Record<string, string | number | undefined> }[];
}

/** Longest chain followed (end-entity + intermediates + anchor). */
const MAX_CHAIN = 6;

const fail = (
  code: CertificateFailureCode,
  message: string,
  detail: ChainFailure["detail"] = {},
): ChainFailure => ({ ok: false, code, message, detail });

async function signedBy(cert: X509Certificate, issuer: X509Certificate, crypto: Crypto): Promise<boolean> {
  if (cert.issuer !== issuer.subject) return false;
  try {
    return await cert.verify({ publicKey: issuer.publicKey, signatureOnly: true }, crypto);
  } catch {
    return false;
  }
}

function isCa(cert: X509Certificate): boolean {
  const bc = cert.getExtension(BasicConstraintsExtension);
  return bc?.ca === true;
}

/**
 * The issuer chain of a certificate: signatures, CA flags and the end-entity key usage. These
 * facts do not change while the anchors and intermediates stay the same, so the mechanism
 * caches the result per certificate; `checkChainState` runs on every association.
 */
export async function buildChain(
  endEntity: X509Certificate,
  store: TrustStore,
  crypto: Crypto,
): Promise<ChainResult | ChainFailure> {
  const chain: X509Certificate[] = [endEntity];
  let cur = endEntity;
  let anchored = store.anchors.some((a) =>
    bytesEqual(new Uint8Array(a.rawData), new Uint8Array(cur.rawData)),
  );
  while (!anchored) {
    if (chain.length >= MAX_CHAIN) return fail("unknown-issuer", "certificate chain too long");
    let next: X509Certificate | undefined;
    for (const a of store.anchors)
      if (await signedBy(cur, a, crypto)) {
        next = a;
        anchored = true;
        break;
      }
    if (!next)
      for (const i of store.intermediates)
        if (!chain.includes(i) && isCa(i) && (await signedBy(cur, i, crypto))) {
          next = i;
          break;
        }
    if (!next)
      return fail("unknown-issuer", `no configured trust anchor issued "${cur.subject}"`, {
        issuer: cur.issuer,
      });
    chain.push(next);
    cur = next;
  }
  // The time seal is signed with this key: it must be allowed to sign (RFC 5280 §4.2.1.3).
  const ku = endEntity.getExtension(KeyUsagesExtension);
  if (ku && (ku.usages & (KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation)) === 0)
    return fail("key-usage", `"${endEntity.subject}" may not sign (key usage ${ku.usages})`, {
      keyUsage: ku.usages,
    });
  return { ok: true, chain, warnings: [] };
}

/**
 * CRLs whose signature verified under an issuer, remembered per store (a CRL's signature does
 * not change; `setCrls` builds a new store).
 */
export class CrlIndex {
  private readonly verified = new Map<X509Crl, X509Certificate>();
  readonly crls: readonly X509Crl[];
  /** Issuer names of `crls`, rendered once (the parser renders a name on every access). */
  private readonly issuers: readonly string[];
  constructor(crls: readonly X509Crl[]) {
    this.crls = crls;
    this.issuers = crls.map((c) => c.issuer);
  }

  async of(issuer: X509Certificate, crypto: Crypto): Promise<X509Crl[]> {
    const out: X509Crl[] = [];
    let subject: string | undefined;
    for (let k = 0; k < this.crls.length; k++) {
      const crl = this.crls[k]!;
      subject ??= issuer.subject;
      if (this.issuers[k] !== subject) continue;
      if (this.verified.get(crl) === issuer) {
        out.push(crl);
        continue;
      }
      let valid = false;
      try {
        valid = await crl.verify({ publicKey: issuer }, crypto);
      } catch {
        valid = false;
      }
      if (valid) {
        this.verified.set(crl, issuer);
        out.push(crl);
      }
    }
    return out;
  }
}

/** Validity of every certificate of the chain at `now`, and revocation by the issuers' CRLs. */
export async function checkChainState(
  chain: readonly X509Certificate[],
  crls: CrlIndex,
  now: number,
  crypto: Crypto,
): Promise<ChainResult | ChainFailure> {
  for (let k = 0; k < chain.length; k++) {
    const c = chain[k]!;
    const which = k === 0 ? "end-entity" : k === chain.length - 1 ? "anchor" : "intermediate";
    if (now < c.notBefore.getTime())
      return fail(
        "certificate-not-yet-valid",
        `${which} "${c.subject}" is valid from ${c.notBefore.toISOString()}`,
        {
          which,
          notBefore: c.notBefore.toISOString(),
        },
      );
    if (now > c.notAfter.getTime())
      return fail("certificate-expired", `${which} "${c.subject}" expired ${c.notAfter.toISOString()}`, {
        which,
        notAfter: c.notAfter.toISOString(),
      });
  }
  const warnings: { code: string; detail: Record<string, string | number | undefined> }[] = [];
  for (let k = 0; k + 1 < chain.length; k++) {
    const c = chain[k]!;
    const issuer = chain[k + 1]!;
    const list = await crls.of(issuer, crypto);
    // 62351-3: a missing CRL is a warning, not a refusal. Silent when no CRL is configured at all.
    if (list.length === 0 && crls.crls.length > 0)
      warnings.push({ code: "WRN_CRL_UNAVAILABLE", detail: { issuer: issuer.subject, subject: c.subject } });
    for (const crl of list) {
      const next = crl.nextUpdate;
      if (next && next.getTime() < now)
        warnings.push({
          code: "WRN_CRL_EXPIRED",
          detail: { issuer: issuer.subject, nextUpdate: next.toISOString() },
        });
      const entry = crl.findRevoked(c);
      if (entry && entry.revocationDate.getTime() <= now)
        return fail("certificate-revoked", `"${c.subject}" is revoked`, {
          serial: c.serialNumber,
          revocationDate: entry.revocationDate.toISOString(),
        });
    }
  }
  return { ok: true, chain, warnings };
}
