import {
  type BinaryTime,
  binaryTimeFromDate,
  binaryTimeToDate,
  type ConfirmedServiceRequest,
  type ConfirmedServiceResponse,
  type JournalEntry,
} from "@mms/pdu";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The server is a sibling package: a scripted extension answers as the peer under test does.
import {
  JournalServer,
  type JournalQuery,
  MemoryJournalStore,
  MmsServer,
  MmsServiceFailure,
  type ServiceExtension,
  Vmd,
} from "../../server/src/index";
import { connect, MmsProtocolError, readJournal } from "../src/index";

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const JOURNAL = "LD0/LLN0$EventLog";
const PAGE = 4;
/** 40 entries, one per second; entry i has entryId [i] and carries integer i. */
const ENTRIES = Array.from({ length: 40 }, (_, i) => ({ id: Uint8Array.of(i), time: T0 + i * 1000 }));

const entryOf = (i: number): JournalEntry => ({
  entryIdentifier: ENTRIES[i]!.id,
  originatingApplication: {
    apTitle: undefined,
    apInvocationId: undefined,
    aeQualifier: undefined,
    aeInvocationId: undefined,
  },
  entryContent: {
    occurrenceTime: binaryTimeFromDate(ENTRIES[i]!.time),
    form: {
      kind: "data",
      event: undefined,
      listOfVariables: [{ variableTag: "v", value: { type: "integer", value: i } }],
    },
  },
});
const ms = (t: BinaryTime) => binaryTimeToDate(t).getTime();
const indexOf = (e: { entry: JournalEntry }): number => {
  const f = e.entry.entryContent.form;
  if (f.kind !== "data") throw new Error("not data");
  const v = f.listOfVariables?.[0]?.value;
  if (!v) throw new Error("no variable");
  if (v.type !== "integer") throw new Error("not integer");
  return Number(v.value);
};

type Mode = "libiec61850" | "repeat";
let mode: Mode = "libiec61850";
const seenRequests: Extract<ConfirmedServiceRequest, { service: "readJournal" }>[] = [];

/**
 * ReadJournal as libiec61850's server answers it: with both range times it returns the time
 * range from its start (entryToStartAfter ignored); otherwise entryToStartAfter (its stop time
 * ignored); anything else is refused. Pages of PAGE entries, moreFollows while more exist.
 */
const scripted: ServiceExtension = {
  services: new Set(["readJournal"]),
  supportBits: [],
  open: () => ({
    close: () => undefined,
    handle: (q: ConfirmedServiceRequest): ConfirmedServiceResponse => {
      if (q.service !== "readJournal") throw new Error("unexpected");
      seenRequests.push(q);
      let list: number[];
      if (mode === "repeat") {
        list = [0, 1, 2, 3, 4, 5];
      } else if (q.rangeStart?.kind === "startingTime" && q.rangeStop?.kind === "endingTime") {
        const from = ms(q.rangeStart.time);
        const to = ms(q.rangeStop.time);
        list = ENTRIES.flatMap((e, i) => (e.time >= from && e.time <= to ? [i] : []));
      } else if (q.entryToStartAfter) {
        const id = q.entryToStartAfter.entry[0]!;
        list = ENTRIES.flatMap((_, i) => (i > id ? [i] : []));
      } else {
        throw new MmsServiceFailure("service", 3, "missing valid argument combination");
      }
      return {
        service: "readJournal",
        entries: list.slice(0, PAGE).map(entryOf),
        moreFollows: list.length > PAGE,
      };
    },
  }),
};

/** Our own JournalServer over a memory store; records what the client's pages ask the store. */
const store = new MemoryJournalStore();
const queries: JournalQuery[] = [];
const recording = new Proxy(store, {
  get(target, prop, receiver) {
    if (prop === "query")
      return (journal: string, q: JournalQuery) => {
        queries.push(q);
        return target.query(journal, q);
      };
    return Reflect.get(target, prop, receiver);
  },
});

const policy = { mechanisms: [], insecureAllowUnauthenticated: true } as const;
const servers: MmsServer[] = [];
async function start(journals: ServiceExtension): Promise<number> {
  const server = new MmsServer({
    vmd: new Vmd({ vendorName: "T", modelName: "J", revision: "1" }),
    journals,
  });
  servers.push(server);
  return (await server.listen({ plain: { host: "127.0.0.1", port: 0, policy } })).plain!;
}
const open = (port: number) =>
  connect({
    transport: { kind: "insecure-tcp", host: "127.0.0.1", port },
    authentication: "insecure-none",
    requireServerAuthentication: false,
  });

let scriptedPort: number;
let ownPort: number;
beforeAll(async () => {
  for (const e of ENTRIES)
    await store.append(JOURNAL, {
      time: e.time,
      variables: [{ variableTag: "v", value: { type: "integer", value: 0 } }],
    });
  scriptedPort = await start(scripted);
  ownPort = await start(new JournalServer({ store: recording, maxEntriesPerPage: PAGE }));
});
afterAll(async () => {
  for (const s of servers) await s.close();
});

describe("ReadJournal paging of a time range", () => {
  it("a server that ignores entryToStartAfter when both times are given: every entry exactly once", async () => {
    mode = "libiec61850";
    seenRequests.length = 0;
    const c = await open(scriptedPort);
    const r = await readJournal(c, JOURNAL, { from: T0 + 5000, to: T0 + 22_000 });
    expect(r.map(indexOf)).toEqual(Array.from({ length: 18 }, (_, i) => 5 + i));
    // First page: both times; follow-ups: entryToStartAfter with the stop time only.
    expect(seenRequests[0]!.rangeStart?.kind).toBe("startingTime");
    expect(seenRequests[0]!.entryToStartAfter).toBeUndefined();
    for (const q of seenRequests.slice(1)) {
      expect(q.rangeStart).toBeUndefined();
      expect(q.rangeStop?.kind).toBe("endingTime");
      expect(q.entryToStartAfter).toBeDefined();
    }
    expect(seenRequests.length).toBe(5); // 18 entries in pages of 4; the 5th page passes the stop time
    await c.conclude();
  });

  it("a server that repeats the same page fails with MmsProtocolError (no progress), not a loop", async () => {
    mode = "repeat";
    seenRequests.length = 0;
    const c = await open(scriptedPort);
    const e = await readJournal(c, JOURNAL, { from: T0, to: T0 + 39_000 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MmsProtocolError);
    expect((e as MmsProtocolError).code).toBe("protocol-error");
    expect(String(e)).toMatch(/without progress/);
    expect(seenRequests.length).toBe(2);
    await c.conclude();
  });

  it("our own JournalServer across pages: the range once, then entryToStartAfter", async () => {
    queries.length = 0;
    const c = await open(ownPort);
    const r = await readJournal(c, JOURNAL, { from: T0 + 3000, to: T0 + 30_000 });
    expect(r.map((e) => e.time.getTime())).toEqual(Array.from({ length: 28 }, (_, i) => T0 + (3 + i) * 1000));
    expect(new Set(r.map((e) => e.time.getTime())).size).toBe(28);
    expect(queries.length).toBe(7);
    expect(queries[0]).toMatchObject({ from: T0 + 3000, to: T0 + 30_000, after: undefined });
    for (const q of queries.slice(1)) {
      expect(q.from).toBeUndefined();
      expect(q.to).toBe(T0 + 30_000);
      expect(q.after).toBeDefined();
    }
    // All entries, and a start-after read, still work.
    expect((await readJournal(c, JOURNAL)).length).toBe(40);
    const tail = await readJournal(c, JOURNAL, { startAfter: { time: r[0]!.time, entryId: r[0]!.entryId } });
    expect(tail.length).toBe(40 - 4);
    await c.conclude();
  });
});
