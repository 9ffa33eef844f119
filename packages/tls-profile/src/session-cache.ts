/**
 * Client-side TLS session cache (resumption, DECISIONS.md "Session resumption"): the latest
 * session ticket per server, kept at most the profile's resumption lifetime. Owned by the
 * application and passed to `connectTls`; nothing is cached globally.
 */
export interface CachedSession {
  readonly session: Buffer;
  /** The server chain verified when the session was made (node gives none on resumption). */
  readonly chain: readonly Uint8Array[];
  readonly time: number;
}

export class TlsSessionCache {
  readonly #entries = new Map<string, CachedSession>();
  readonly #maxEntries: number;

  constructor(options: { maxEntries?: number } = {}) {
    this.#maxEntries = Math.max(1, options.maxEntries ?? 256);
  }

  /** The session for `key` when younger than `lifetimeMs`. */
  get(key: string, now: number, lifetimeMs: number): CachedSession | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    if (now - e.time >= lifetimeMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return e;
  }

  set(key: string, session: Buffer, chain: readonly Uint8Array[], now: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { session, chain, time: now });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  /** Forgets the session of one server (e.g. after its certificate was refused). */
  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
