/**
 * Scatter/gather output (the same shape as `@mms/io`'s `ByteChain`, declared here so that this
 * sans-IO package depends on @mms/asn1 only): each layer prepends its header as its own chunk.
 */
export type ByteChain = readonly Uint8Array[];

/** Total length of a chain. */
export function chainLength(chain: ByteChain): number {
  let n = 0;
  for (const c of chain) n += c.length;
  return n;
}

/** Joins a chain into one buffer (no copy when it has a single chunk). */
export function concatChain(chain: ByteChain): Uint8Array {
  if (chain.length === 1) return chain[0]!;
  const out = new Uint8Array(chainLength(chain));
  let p = 0;
  for (const c of chain) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}
