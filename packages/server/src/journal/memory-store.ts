import type { JournalVariable } from "@mms/pdu";
import {
  compareEntryIds,
  comparePositions,
  entryIdOf,
  type JournalLimit,
  type JournalQuery,
  type JournalStore,
  type StoredJournalEntry,
} from "./journal-store";

export interface MemoryJournalStoreOptions {
  /** Entries kept per journal; the oldest are dropped beyond it (default 100 000). */
  readonly maxEntriesPerJournal?: number;
}

/** Journals in memory: entries sorted by (time, entryId), bounded per journal. */
export class MemoryJournalStore implements JournalStore {
  private readonly data = new Map<string, StoredJournalEntry[]>();
  private seq = 0;
  private readonly max: number;

  constructor(options: MemoryJournalStoreOptions = {}) {
    this.max = options.maxEntriesPerJournal ?? 100_000;
  }

  journals(): readonly string[] {
    return [...this.data.keys()];
  }

  create(journal: string): void {
    if (!this.data.has(journal)) this.data.set(journal, []);
  }

  append(
    journal: string,
    entry: { time: number; variables: readonly JournalVariable[] },
  ): StoredJournalEntry {
    let list = this.data.get(journal);
    if (!list) {
      list = [];
      this.data.set(journal, list);
    }
    const stored: StoredJournalEntry = {
      entryId: entryIdOf(++this.seq),
      time: entry.time,
      variables: entry.variables,
    };
    let i = list.length;
    while (i > 0 && comparePositions(list[i - 1]!, stored) > 0) i--;
    list.splice(i, 0, stored);
    if (list.length > this.max) list.splice(0, list.length - this.max);
    return stored;
  }

  query(journal: string, q: JournalQuery): readonly StoredJournalEntry[] | undefined {
    const list = this.data.get(journal);
    if (!list) return undefined;
    let i = 0;
    if (q.startingEntry !== undefined) {
      const start = q.startingEntry;
      i = list.findIndex((e) => compareEntryIds(e.entryId, start) === 0);
      if (i < 0) return [];
    }
    const out: StoredJournalEntry[] = [];
    for (; i < list.length && out.length < q.limit; i++) {
      const e = list[i]!;
      if (q.from !== undefined && e.time < q.from) continue;
      if (q.to !== undefined && e.time > q.to) break;
      if (q.after !== undefined && comparePositions(e, q.after) <= 0) continue;
      out.push(e);
    }
    return out;
  }

  clear(journal: string, limit?: JournalLimit): number | undefined {
    const list = this.data.get(journal);
    if (!list) return undefined;
    const keep = list.filter((e) => !covered(e, limit));
    const n = list.length - keep.length;
    this.data.set(journal, keep);
    return n;
  }
}

/** Whether InitializeJournal's limit covers an entry (ISO 9506-1 §17.5: up to and including it). */
export function covered(e: StoredJournalEntry, limit: JournalLimit | undefined): boolean {
  if (limit === undefined) return true;
  if (e.time !== limit.time) return e.time < limit.time;
  return limit.entryId === undefined || compareEntryIds(e.entryId, limit.entryId) <= 0;
}
