/**
 * The replay cache of R-ACSE-8 (DECISIONS.md "Replay"): a (certificate, time seal) pair seen
 * within the window is refused. Entries expire when their time seal leaves the window (after
 * that the window check alone refuses the value). Bounded: when full after purging expired
 * entries, `claim` fails closed (`"full"`) rather than forgetting a live entry, which would
 * reopen a replay; entries are only added after a value verified, so filling it needs valid
 * credentials.
 */
export interface ReplayCacheOptions {
  /** Most entries held (default 10 000). */
  readonly maxEntries?: number;
}

export type ClaimResult = "fresh" | "replay" | "full";

export class ReplayCache {
  readonly maxEntries: number;
  /** key → expiry (epoch ms). Insertion order is expiry order within one window length. */
  private readonly entries = new Map<string, number>();

  constructor(options: ReplayCacheOptions = {}) {
    const max = options.maxEntries ?? 10_000;
    if (!Number.isInteger(max) || max < 1) throw new RangeError("ReplayCache: maxEntries must be >= 1");
    this.maxEntries = max;
  }

  get size(): number {
    return this.entries.size;
  }

  /** True when the key is held and not expired at `now`. */
  has(key: string, now: number): boolean {
    const exp = this.entries.get(key);
    return exp !== undefined && exp > now;
  }

  /**
   * Records `key` until `expiresAt` unless it is already held (atomic check-and-set: JavaScript
   * runs this synchronously, so two concurrent verifications of one value cannot both succeed).
   */
  claim(key: string, expiresAt: number, now: number): ClaimResult {
    if (this.has(key, now)) return "replay";
    if (this.entries.size >= this.maxEntries) this.purge(now);
    if (this.entries.size >= this.maxEntries) return "full";
    this.entries.delete(key);
    this.entries.set(key, expiresAt);
    return "fresh";
  }

  /** Drops expired entries. */
  purge(now: number): void {
    for (const [k, exp] of this.entries) if (exp <= now) this.entries.delete(k);
  }

  clear(): void {
    this.entries.clear();
  }
}
