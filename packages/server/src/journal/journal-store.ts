import type { JournalVariable, ObjectName } from "@mms/pdu";

/** One journal entry as stored (ISO 9506-1 §17: entry identifier, occurrence time, variables). */
export interface StoredJournalEntry {
  /** Unique in its journal; 8 octets (big-endian sequence number) in the stores of this package. */
  readonly entryId: Uint8Array;
  /** Occurrence time, epoch milliseconds. */
  readonly time: number;
  readonly variables: readonly JournalVariable[];
}

/** A position in a journal: entries are ordered by (time, entryId). */
export interface JournalPosition {
  readonly time: number;
  readonly entryId: Uint8Array;
}

/** What ReadJournal asks a store for (all given conditions apply together). */
export interface JournalQuery {
  /** Entries at or after this time (rangeStartSpecification startingTime). */
  readonly from?: number | undefined;
  /** Entries at or before this time (rangeStopSpecification endingTime). */
  readonly to?: number | undefined;
  /** Entries from this one on, inclusive (rangeStartSpecification startingEntry). */
  readonly startingEntry?: Uint8Array | undefined;
  /** Entries strictly after this position (entryToStartAfter). */
  readonly after?: JournalPosition | undefined;
  /** Most entries returned. */
  readonly limit: number;
}

/** Storage of journals; methods may be synchronous or return promises. */
export interface JournalStore {
  /** Journal names (see `journalKey`) that exist. */
  journals(): readonly string[] | Promise<readonly string[]>;
  /** Creates an empty journal (no-op when it exists). */
  create(journal: string): void | Promise<void>;
  /** Appends an entry (the journal is created when missing); the store assigns the entryId. */
  append(
    journal: string,
    entry: { readonly time: number; readonly variables: readonly JournalVariable[] },
  ): StoredJournalEntry | Promise<StoredJournalEntry>;
  /** Entries in (time, entryId) order; undefined when the journal does not exist. */
  query(
    journal: string,
    query: JournalQuery,
  ): readonly StoredJournalEntry[] | undefined | Promise<readonly StoredJournalEntry[] | undefined>;
  /**
   * InitializeJournal: deletes every entry, or those up to `limit` (time, and when given the
   * entry at that time, inclusive). Returns how many were deleted; undefined when no journal.
   */
  clear(journal: string, limit?: JournalLimit): number | undefined | Promise<number | undefined>;
}

/** InitializeJournal limitSpecification. */
export interface JournalLimit {
  readonly time: number;
  readonly entryId?: Uint8Array | undefined;
}

/** The store key of a journal name: `DOMAIN/ITEM`, `ITEM` (VMD), `@ITEM` (association). */
export function journalKey(name: ObjectName): string {
  if (name.scope === "domain") return `${name.domainId}/${name.itemId}`;
  return name.scope === "aa" ? `@${name.itemId}` : name.itemId;
}

/** Byte order of entry identifiers (8-octet big-endian ids sort as numbers). */
export function compareEntryIds(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Order of journal positions: time, then entry identifier. */
export function comparePositions(a: JournalPosition, b: JournalPosition): number {
  return a.time - b.time || compareEntryIds(a.entryId, b.entryId);
}

/** An 8-octet big-endian entry identifier for a sequence number. */
export function entryIdOf(seq: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(seq));
  return out;
}

/** The sequence number of an 8-octet entry identifier (undefined for other shapes). */
export function seqOf(entryId: Uint8Array): number | undefined {
  if (entryId.length !== 8) return undefined;
  const n = new DataView(entryId.buffer, entryId.byteOffset, 8).getBigUint64(0);
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(n);
}
