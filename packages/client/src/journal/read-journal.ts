import {
  type BinaryTime,
  binaryTimeFromDate,
  binaryTimeToDate,
  type JournalEntry,
  type JournalRangeStart,
  type JournalRangeStop,
} from "@mms/pdu";
import { type CallOptions, type MmsClient, objectName, type VariableRef } from "../client";
import { MmsProtocolError } from "../errors";

/** Which entries: a time range (either end open), or those after a known entry. */
export type JournalRange =
  | { readonly from?: Date | number; readonly to?: Date | number }
  | { readonly startAfter: { readonly time: Date | number; readonly entryId: Uint8Array } };

export interface ReadJournalOptions extends CallOptions {
  /** Only these variables of each entry (listOfVariables). */
  readonly variables?: readonly string[];
  /** Most entries accepted over all pages (default 1 000 000). */
  readonly maxEntries?: number;
  /** Most ReadJournal requests (default 100 000). */
  readonly maxPages?: number;
}

/** A journal entry in plain form. */
export interface JournalRecord {
  readonly entryId: Uint8Array;
  readonly time: Date;
  readonly entry: JournalEntry;
}

const toDate = (t: Date | number) => (typeof t === "number" ? t : t.getTime());

/** Identity of an entry for the no-progress check: its time and entryIdentifier. */
function entryKey(time: BinaryTime, id: Uint8Array): string {
  let k = `${time.days ?? -1}.${time.msSinceMidnight}.`;
  for (const b of id) k += b.toString(16).padStart(2, "0");
  return k;
}

/**
 * ReadJournal (ISO 9506-2 §20.4) page after page until moreFollows is false. The first request
 * carries the time range; each next one names the last entry received in entryToStartAfter and
 * repeats only rangeStopSpecification: entryToStartAfter takes the place of the range start. A server that still sees a start and stop time applies the time range and ignores
 * entryToStartAfter (libiec61850 does), which would repeat the first page forever. Entries after
 * the stop time are dropped here, since a server may ignore the stop time on later pages. Bounded
 * by `maxEntries` / `maxPages`; an entry received twice (no progress) throws `MmsProtocolError`.
 */
export async function* journalEntries(
  client: MmsClient,
  journal: VariableRef,
  range: JournalRange = {},
  options: ReadJournalOptions = {},
): AsyncGenerator<JournalRecord, void, undefined> {
  const journalName = objectName(journal);
  let rangeStart: JournalRangeStart | undefined;
  let rangeStop: JournalRangeStop | undefined;
  let stopMs: number | undefined;
  let after: { time: ReturnType<typeof binaryTimeFromDate>; entry: Uint8Array } | undefined;
  if ("startAfter" in range) {
    after = { time: binaryTimeFromDate(toDate(range.startAfter.time)), entry: range.startAfter.entryId };
  } else {
    if (range.from !== undefined)
      rangeStart = { kind: "startingTime", time: binaryTimeFromDate(toDate(range.from)) };
    if (range.to !== undefined) {
      stopMs = toDate(range.to);
      rangeStop = { kind: "endingTime", time: binaryTimeFromDate(stopMs) };
    }
  }
  const maxEntries = options.maxEntries ?? 1_000_000;
  const maxPages = options.maxPages ?? 100_000;
  // Bounded by maxEntries: every key stands for an entry already counted.
  const seen = new Set<string>();
  if (after) seen.add(entryKey(after.time, after.entry));
  let count = 0;
  for (let page = 0; page < maxPages; page++) {
    const r = await client.request(
      {
        service: "readJournal",
        journalName,
        // A follow-up page starts after the last entry, not at the range start (see above).
        rangeStart: after === undefined ? rangeStart : undefined,
        rangeStop,
        listOfVariables: options.variables,
        entryToStartAfter: after,
      },
      options,
    );
    if (r.service !== "readJournal") throw new MmsProtocolError(`readJournal answered with ${r.service}`);
    count += r.entries.length;
    if (count > maxEntries) throw new MmsProtocolError(`readJournal: more than ${maxEntries} entries`);
    let pastStop = false;
    for (const entry of r.entries) {
      const key = entryKey(entry.entryContent.occurrenceTime, entry.entryIdentifier);
      if (seen.has(key)) {
        throw new MmsProtocolError(
          "readJournal: a page repeats an entry already received (without progress)",
        );
      }
      seen.add(key);
      const time = binaryTimeToDate(entry.entryContent.occurrenceTime);
      if (stopMs !== undefined && time.getTime() > stopMs) {
        // Journal entries come in time order: nothing later is in the range.
        pastStop = true;
        break;
      }
      yield { entryId: entry.entryIdentifier, time, entry };
    }
    if (!r.moreFollows || pastStop) return;
    const last = r.entries[r.entries.length - 1];
    if (!last) throw new MmsProtocolError("readJournal: moreFollows without entries");
    after = { time: last.entryContent.occurrenceTime, entry: last.entryIdentifier };
  }
  throw new MmsProtocolError(`readJournal: more than ${maxPages} pages`);
}

/** Every entry of the range (all pages) in an array. */
export async function readJournal(
  client: MmsClient,
  journal: VariableRef,
  range: JournalRange = {},
  options: ReadJournalOptions = {},
): Promise<JournalRecord[]> {
  const out: JournalRecord[] = [];
  for await (const e of journalEntries(client, journal, range, options)) out.push(e);
  return out;
}

/**
 * InitializeJournal (ISO 9506-2 §20.6): deletes every entry, or those up to `limit`; resolves
 * with the number deleted.
 */
export async function initializeJournal(
  client: MmsClient,
  journal: VariableRef,
  limit?: { readonly time: Date | number; readonly entryId?: Uint8Array },
  options?: CallOptions,
): Promise<number> {
  const r = await client.request(
    {
      service: "initializeJournal",
      journalName: objectName(journal),
      limitSpecification:
        limit === undefined
          ? undefined
          : { limitingTime: binaryTimeFromDate(toDate(limit.time)), limitingEntry: limit.entryId },
    },
    options,
  );
  if (r.service !== "initializeJournal")
    throw new MmsProtocolError(`initializeJournal answered with ${r.service}`);
  return r.entriesDeleted;
}
