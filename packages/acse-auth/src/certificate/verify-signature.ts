import { copy } from "./material";
import { type HashName, type KeyInfo, signatureCandidates } from "./signature";
import type { DecodedCertificateValue } from "./value";

/** Which reading of the time-seal signature verified. */
export interface VerifiedSignature {
  readonly hash: HashName;
  readonly covers: "time-content" | "time-tlv";
}

/**
 * Verifies the time-seal signature under every accepted reading (reference Q2; DECISIONS.md
 * "Signature"): SHA-256 over the time content octets, then over the `[1]` TLV; SHA-1 the same
 * two ways only when legacy peers are accepted. Returns the reading that verified, if any.
 */
export async function verifyTimeSealSignature(
  crypto: Crypto,
  spki: ArrayBuffer,
  key: KeyInfo,
  value: DecodedCertificateValue,
  allowSha1: boolean,
  keys?: PublicKeyCache,
  certHash?: string,
): Promise<VerifiedSignature | undefined> {
  const hashes: HashName[] = allowSha1 ? ["SHA-256", "SHA-1"] : ["SHA-256"];
  const sigs = signatureCandidates(key, value.signature).map(copy);
  if (sigs.length === 0) return undefined;
  const content = copy(value.timeContent);
  const tlv = copy(value.timeTlv);
  for (const hash of hashes) {
    const params: AlgorithmIdentifier | EcdsaParams =
      key.kind === "ec" ? { name: "ECDSA", hash } : { name: "RSASSA-PKCS1-v1_5" };
    const load = (): Promise<CryptoKey> =>
      key.kind === "ec"
        ? crypto.subtle.importKey("spki", spki, { name: "ECDSA", namedCurve: key.namedCurve }, false, [
            "verify",
          ])
        : crypto.subtle.importKey("spki", spki, { name: "RSASSA-PKCS1-v1_5", hash }, false, ["verify"]);
    let publicKey: CryptoKey;
    try {
      publicKey = await (keys && certHash !== undefined ? keys.get(`${certHash}|${hash}`, load) : load());
    } catch {
      return undefined;
    }
    for (const [covers, data] of [
      ["time-content", content],
      ["time-tlv", tlv],
    ] as const)
      for (const sig of sigs) {
        let ok = false;
        try {
          ok = await crypto.subtle.verify(params, publicKey, sig, data);
        } catch {
          ok = false;
        }
        if (ok) return { hash, covers };
      }
  }
  return undefined;
}

/**
 * Imported public keys of peers whose chain verified (WebCrypto import is slower than the RSA
 * verification itself), keyed by certificate hash and hash algorithm; bounded, oldest dropped.
 * A failed import is not kept.
 */
export class PublicKeyCache {
  private readonly entries = new Map<string, Promise<CryptoKey>>();
  readonly maxEntries: number;

  constructor(maxEntries = 512) {
    this.maxEntries = maxEntries;
  }

  get(key: string, load: () => Promise<CryptoKey>): Promise<CryptoKey> {
    const hit = this.entries.get(key);
    if (hit) return hit;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    const p = load();
    this.entries.set(key, p);
    p.catch(() => this.entries.delete(key));
    return p;
  }
}
