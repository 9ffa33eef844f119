import { copy, parsePeerCertificate, toHexString } from "./material";
import { type KeyInfo, keyInfoOf } from "./signature";
import { buildChain, type ChainFailure, type ChainResult, type TrustStore } from "./trust";
import { CertificateValueError } from "./value";

/** A verified issuer chain and what every later association needs from its end-entity. */
export interface CachedChain extends ChainResult {
  /** SHA-256 of the end-entity DER (hex): the replay-cache and key-cache key. */
  readonly hash: string;
  readonly subject: string;
  readonly key: KeyInfo;
  /** The end-entity SubjectPublicKeyInfo (DER). */
  readonly spki: ArrayBuffer;
}

/** Octets as a one-byte string (an exact Map key). */
function octetKey(der: Uint8Array): string {
  let s = "";
  for (let i = 0; i < der.length; i += 4096)
    s += String.fromCharCode.apply(null, der.subarray(i, i + 4096) as unknown as number[]);
  return s;
}

/**
 * Built issuer chains per peer certificate (keyed by its exact DER), so that a peer that
 * associates often costs one certificate parse, hash and chain verification, not one per
 * association. Only successes are kept (a stranger cannot fill the cache), at most
 * `maxEntries`, oldest dropped first. Validity and revocation are checked on every use
 * (`checkChainState`); the chain itself depends only on the configured anchors and
 * intermediates, which a mechanism never changes.
 */
export class ChainCache {
  private readonly entries = new Map<string, CachedChain>();
  readonly maxEntries: number;

  constructor(maxEntries = 256) {
    this.maxEntries = maxEntries;
  }

  get size(): number {
    return this.entries.size;
  }

  async get(der: Uint8Array, store: TrustStore, crypto: Crypto): Promise<CachedChain | ChainFailure> {
    const id = octetKey(der);
    const hit = this.entries.get(id);
    if (hit) return hit;
    let result: ChainResult | ChainFailure;
    let cert: ReturnType<typeof parsePeerCertificate>;
    try {
      cert = parsePeerCertificate(der);
      result = await buildChain(cert, store, crypto);
    } catch (e) {
      if (e instanceof CertificateValueError)
        return { ok: false, code: e.code, message: e.message, detail: {} };
      throw e;
    }
    if (!result.ok) return result;
    const publicKey = cert.publicKey;
    const entry: CachedChain = {
      ...result,
      hash: toHexString(new Uint8Array(await crypto.subtle.digest("SHA-256", copy(der)))),
      subject: cert.subject,
      key: keyInfoOf(publicKey.algorithm),
      spki: publicKey.rawData,
    };
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(id, entry);
    return entry;
  }
}
