import { encode } from "@mms/asn1";
import {
  AccessErrorCode,
  binaryTimeFromDate,
  binaryTimeToDate,
  type ConfirmedServiceRequest,
  type ConfirmedServiceResponse,
  dataCodec,
  type JournalEntry,
  ObjectClass,
  ServiceSupport,
} from "@mms/pdu";
import { MmsServiceFailure } from "../errors";
import type { ExtensionContext, ExtensionSession, ServiceExtension } from "../extension";
import { compareCodeUnits } from "../files/file-store";
import { type AccessMatcher, matches } from "../vmd/access";
import { type JournalQuery, journalKey, type JournalStore, type StoredJournalEntry } from "./journal-store";

export interface JournalServerOptions {
  readonly store: JournalStore;
  /** Most entries in one ReadJournal response (default 100; also cut to the PDU size). */
  readonly maxEntriesPerPage?: number;
  /** Who may read journals (default everyone). */
  readonly read?: AccessMatcher;
  /** Who may InitializeJournal (default nobody). */
  readonly initialize?: AccessMatcher;
}

type Req<S> = Extract<ConfirmedServiceRequest, { service: S }>;

const NO_APPLICATION = Object.freeze({
  apTitle: undefined,
  apInvocationId: undefined,
  aeQualifier: undefined,
  aeInvocationId: undefined,
});

/** Octets one entry costs in a response (framing plus its variables' encodings). */
function entryCost(e: StoredJournalEntry): number {
  let n = 40 + e.entryId.length;
  for (const v of e.variables) n += 12 + v.variableTag.length + encode(dataCodec, v.value).length;
  return n;
}

function toJournalEntry(e: StoredJournalEntry, only: ReadonlySet<string> | undefined): JournalEntry {
  return {
    entryIdentifier: e.entryId,
    originatingApplication: NO_APPLICATION,
    entryContent: {
      occurrenceTime: binaryTimeFromDate(e.time),
      form: {
        kind: "data",
        event: undefined,
        listOfVariables: only ? e.variables.filter((v) => only.has(v.variableTag)) : e.variables,
      },
    },
  };
}

/**
 * Journal services of ISO 9506-2 §20 (ReadJournal, InitializeJournal) over a `JournalStore`, as
 * a server extension (`new MmsServer({ journals: new JournalServer({ store }) })`). ReadJournal
 * answers in pages (moreFollows) that fit the negotiated PDU size; the client continues with
 * entryToStartAfter.
 */
export class JournalServer implements ServiceExtension {
  readonly store: JournalStore;
  readonly services: ReadonlySet<string> = new Set(["readJournal", "initializeJournal"]);
  readonly supportBits: readonly number[] = [ServiceSupport.readJournal, ServiceSupport.initializeJournal];
  private readonly maxPage: number;
  private readonly readers: AccessMatcher;
  private readonly initializers: AccessMatcher;

  constructor(options: JournalServerOptions) {
    this.store = options.store;
    this.maxPage = options.maxEntriesPerPage ?? 100;
    this.readers = options.read ?? "any";
    this.initializers = options.initialize ?? "none";
  }

  open(context: ExtensionContext): ExtensionSession {
    const readJournal = async (q: Req<"readJournal">): Promise<ConfirmedServiceResponse> => {
      if (!matches(this.readers, context.identity)) {
        throw new MmsServiceFailure("access", AccessErrorCode.objectAccessDenied);
      }
      let limit = this.maxPage;
      if (q.rangeStop?.kind === "numberOfEntries") {
        if (q.rangeStop.count < 0) throw new MmsServiceFailure("service", 3, "negative numberOfEntries"); // parameter-value-inappropriate
        limit = Math.min(limit, q.rangeStop.count);
      }
      const query: JournalQuery = {
        from:
          q.rangeStart?.kind === "startingTime" ? binaryTimeToDate(q.rangeStart.time).getTime() : undefined,
        startingEntry: q.rangeStart?.kind === "startingEntry" ? q.rangeStart.entry : undefined,
        to: q.rangeStop?.kind === "endingTime" ? binaryTimeToDate(q.rangeStop.time).getTime() : undefined,
        after:
          q.entryToStartAfter === undefined
            ? undefined
            : {
                time: binaryTimeToDate(q.entryToStartAfter.time).getTime(),
                entryId: q.entryToStartAfter.entry,
              },
        limit: limit + 1,
      };
      const found = await this.store.query(journalKey(q.journalName), query);
      if (found === undefined)
        throw new MmsServiceFailure("access", AccessErrorCode.objectNonExistent, "no such journal");
      const only = q.listOfVariables ? new Set(q.listOfVariables) : undefined;
      const entries: JournalEntry[] = [];
      let budget = context.maxPduSize - 48;
      for (const e of found.slice(0, limit)) {
        const cost = entryCost(e);
        if (cost > budget) break;
        budget -= cost;
        entries.push(toJournalEntry(e, only));
      }
      if (entries.length === 0 && found.length > 0 && limit > 0) {
        throw new MmsServiceFailure("resource", 0, "a journal entry exceeds the negotiated PDU size");
      }
      const stopCount = q.rangeStop?.kind === "numberOfEntries";
      const moreFollows = entries.length < found.length && !(stopCount && entries.length === limit);
      return { service: "readJournal", entries, moreFollows };
    };

    const initializeJournal = async (q: Req<"initializeJournal">): Promise<ConfirmedServiceResponse> => {
      if (!matches(this.initializers, context.identity)) {
        throw new MmsServiceFailure("access", AccessErrorCode.objectAccessDenied);
      }
      const l = q.limitSpecification;
      const n = await this.store.clear(
        journalKey(q.journalName),
        l === undefined
          ? undefined
          : { time: binaryTimeToDate(l.limitingTime).getTime(), entryId: l.limitingEntry },
      );
      if (n === undefined)
        throw new MmsServiceFailure("access", AccessErrorCode.objectNonExistent, "no such journal");
      return { service: "initializeJournal", entriesDeleted: n };
    };

    const nameList = async (
      q: Extract<ConfirmedServiceRequest, { service: "getNameList" }>,
    ): Promise<ConfirmedServiceResponse> => {
      // ISO 9506-2 §10.5: journals of a domain (IEC 61850 logs) or of the VMD, sorted, paged.
      const scope = q.scope;
      const names: string[] = [];
      for (const key of await this.store.journals()) {
        const slash = key.indexOf("/");
        if (scope.kind === "domain" && slash > 0 && key.slice(0, slash) === scope.domainId) {
          names.push(key.slice(slash + 1));
        } else if (scope.kind === "vmd" && slash < 0 && !key.startsWith("@")) names.push(key);
      }
      names.sort(compareCodeUnits);
      let i = 0;
      if (q.continueAfter !== undefined) {
        const after = q.continueAfter;
        while (i < names.length && compareCodeUnits(names[i]!, after) <= 0) i++;
      }
      const identifiers: string[] = [];
      let budget = context.maxPduSize - 32;
      for (; i < names.length; i++) {
        const cost = names[i]!.length + 4;
        if (cost > budget && identifiers.length > 0) break;
        budget -= cost;
        identifiers.push(names[i]!);
      }
      return { service: "getNameList", identifiers, moreFollows: i < names.length };
    };

    return {
      getNameList: (request) => (request.objectClass === ObjectClass.journal ? nameList(request) : undefined),
      handle: (request) => {
        if (request.service === "readJournal") return readJournal(request);
        if (request.service === "initializeJournal") return initializeJournal(request);
        throw new MmsServiceFailure("service", 0, `${request.service} is not a journal service`);
      },
      close: () => undefined,
    };
  }
}
