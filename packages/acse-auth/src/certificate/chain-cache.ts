import { parsePeerCertificate } from "./material";
import { buildChain, type ChainFailure, type ChainResult, type TrustStore } from "./trust";
import { CertificateValueError } from "./value";

/**
 * Built issuer chains per peer certificate (keyed by the SHA-256 of its DER), so that a peer
 * that associates often costs one certificate parse and chain verification, not one per
 * association. Only successes are kept (a stranger cannot fill the cache), at most
 * `maxEntries`, oldest dropped first. Validity and revocation are checked on every use.
 */
export class ChainCache {
  private readonly entries = new Map<string, ChainResult>();
  readonly maxEntries: number;

  constructor(maxEntries = 256) {
    this.maxEntries = maxEntries;
  }

  async get(
    hash: string,
    der: Uint8Array,
    store: TrustStore,
    crypto: Crypto,
  ): Promise<ChainResult | ChainFailure> {
    const hit = this.entries.get(hash);
    if (hit) return hit;
    let result: ChainResult | ChainFailure;
    try {
      result = await buildChain(parsePeerCertificate(der), store, crypto);
    } catch (e) {
      if (e instanceof CertificateValueError)
        return { ok: false, code: e.code, message: e.message, detail: {} };
      throw e;
    }
    if (result.ok) {
      if (this.entries.size >= this.maxEntries) {
        const oldest = this.entries.keys().next();
        if (!oldest.done) this.entries.delete(oldest.value);
      }
      this.entries.set(hash, result);
    }
    return result;
  }
}
