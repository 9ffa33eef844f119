import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AccessErrorCode, type Data, ObjectClass } from "@mms/pdu";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connect,
  initializeJournal,
  type MmsClient,
  MmsServiceError,
  readJournal,
} from "../../client/src/index";
import {
  entryIdOf,
  JournalServer,
  type JournalStore,
  MemoryJournalStore,
  MmsServer,
  SqliteJournalStore,
  seqOf,
  Vmd,
} from "../src/index";

const sqlite = await SqliteJournalStore.open(":memory:").then(
  (s) => {
    s.close();
    return true;
  },
  () => false,
);

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const JOURNAL = "LD0/LLN0$EventLog";
const value = (i: number): Data => ({ type: "integer", value: i });

function fill(store: JournalStore): void | Promise<void> {
  // 250 entries, one per second; entries 100..109 share one timestamp (ties ordered by entryId).
  let p: Promise<unknown> = Promise.resolve();
  for (let i = 0; i < 250; i++) {
    const time = i >= 100 && i < 110 ? T0 + 100_000 : T0 + i * 1000;
    p = p.then(() =>
      store.append(JOURNAL, {
        time,
        variables: [
          { variableTag: "LD0/GGIO1$ST$Ind1$stVal", value: value(i) },
          {
            variableTag: "ReasonCode",
            value: { type: "bitString", value: { bytes: Uint8Array.of(0x40), bitLength: 7 } },
          },
        ],
      }),
    );
  }
  return p.then(() => undefined);
}

const indexOf = (e: { entry: { entryContent: { form: unknown } } }): number => {
  const f = e.entry.entryContent.form as { listOfVariables: { value: { value: number } }[] };
  return f.listOfVariables[0]!.value.value;
};

const stores: [string, () => Promise<JournalStore>, boolean][] = [
  ["memory", async () => new MemoryJournalStore(), true],
  ["sqlite", () => SqliteJournalStore.open(":memory:"), sqlite],
];

for (const [kind, make, available] of stores) {
  describe.skipIf(!available)(`journals over loopback (${kind} store)`, () => {
    let server: MmsServer;
    let port: number;
    let store: JournalStore;
    beforeAll(async () => {
      store = await make();
      await fill(store);
      await store.create("LD0/Empty");
      server = new MmsServer({
        vmd: new Vmd({ vendorName: "A", modelName: "J", revision: "1" }),
        journals: new JournalServer({ store, maxEntriesPerPage: 16, initialize: "any" }),
      });
      port = (
        await server.listen({
          plain: {
            host: "127.0.0.1",
            port: 0,
            policy: { mechanisms: [], insecureAllowUnauthenticated: true },
          },
        })
      ).plain!;
    });
    afterAll(async () => {
      await server.close();
      if (store instanceof SqliteJournalStore) store.close();
    });
    const open = (): Promise<MmsClient> =>
      connect({
        transport: { kind: "insecure-tcp", host: "127.0.0.1", port },
        authentication: "insecure-none",
        requireServerAuthentication: false,
      });

    it("GetNameList of class journal names the journals of a domain; other classes stay with the VMD", async () => {
      const c = await open();
      expect(await c.getNameList(ObjectClass.journal, { kind: "domain", domainId: "LD0" })).toEqual([
        "Empty",
        "LLN0$EventLog",
      ]);
      expect(await c.getNameList(ObjectClass.journal, { kind: "domain", domainId: "LD9" })).toEqual([]);
      expect(await c.getDomainNames()).toEqual([]);
      await c.conclude();
    });

    it("reads every entry across pages in (time, entryId) order", async () => {
      const c = await open();
      const all = await readJournal(c, JOURNAL);
      expect(all.map(indexOf)).toEqual([...Array(250).keys()]);
      const first = await c.request({
        service: "readJournal",
        journalName: { scope: "domain", domainId: "LD0", itemId: "LLN0$EventLog" },
        rangeStart: undefined,
        rangeStop: undefined,
        listOfVariables: undefined,
        entryToStartAfter: undefined,
      });
      expect(first).toMatchObject({ service: "readJournal", moreFollows: true });
      if (first.service === "readJournal") expect(first.entries.length).toBe(16);
      await c.conclude();
    });

    it("reads by time range, pages crossing entries with equal times", async () => {
      const c = await open();
      const r = await readJournal(c, JOURNAL, { from: T0 + 90_000, to: T0 + 140_000 });
      // 90..99, the ten tied entries 100..109 (at 100 s), then 110..140 (100 s is also entry 100's slot)
      expect(r.map(indexOf)).toEqual([...Array(51).keys()].map((i) => i + 90));
      expect(r.every((e) => e.time.getTime() >= T0 + 90_000 && e.time.getTime() <= T0 + 140_000)).toBe(true);
      await c.conclude();
    });

    it("reads entries after a given entry (entryToStartAfter), including inside a tie", async () => {
      const c = await open();
      const all = await readJournal(c, JOURNAL);
      const pivot = all[104]!;
      const after = await readJournal(c, JOURNAL, {
        startAfter: { time: pivot.time, entryId: pivot.entryId },
      });
      expect(after.map(indexOf)).toEqual([...Array(145).keys()].map((i) => i + 105));
      await c.conclude();
    });

    it("listOfVariables filters, numberOfEntries stops, unknown journal is access/object-non-existent", async () => {
      const c = await open();
      const r = await readJournal(c, JOURNAL, { from: T0, to: T0 + 5000 }, { variables: ["ReasonCode"] });
      expect(r.length).toBe(6);
      const form = r[0]!.entry.entryContent.form;
      if (form.kind !== "data") throw new Error();
      expect(form.listOfVariables?.map((v) => v.variableTag)).toEqual(["ReasonCode"]);
      const n = await c.request({
        service: "readJournal",
        journalName: { scope: "domain", domainId: "LD0", itemId: "LLN0$EventLog" },
        rangeStart: undefined,
        rangeStop: { kind: "numberOfEntries", count: 5 },
        listOfVariables: undefined,
        entryToStartAfter: undefined,
      });
      expect(n).toMatchObject({ moreFollows: false });
      if (n.service === "readJournal") expect(n.entries.length).toBe(5);
      const e = await readJournal(c, "LD0/Nope").catch((x: unknown) => x);
      expect(e).toBeInstanceOf(MmsServiceError);
      expect((e as MmsServiceError).errorCode).toBe(AccessErrorCode.objectNonExistent);
      expect(await readJournal(c, "LD0/Empty")).toEqual([]);
      await c.conclude();
    });

    it("InitializeJournal up to a limit, then all", async () => {
      const c = await open();
      const all = await readJournal(c, JOURNAL);
      const limit = all[9]!;
      expect(await initializeJournal(c, JOURNAL, { time: limit.time, entryId: limit.entryId })).toBe(10);
      expect((await readJournal(c, JOURNAL)).map(indexOf)[0]).toBe(10);
      expect(await initializeJournal(c, JOURNAL)).toBe(240);
      expect(await readJournal(c, JOURNAL)).toEqual([]);
      await c.conclude();
    });
  });
}

describe("journal store units", () => {
  it("entry identifiers are 8-octet big-endian sequence numbers", () => {
    expect([...entryIdOf(258)]).toEqual([0, 0, 0, 0, 0, 0, 1, 2]);
    expect(seqOf(entryIdOf(123456789))).toBe(123456789);
    expect(seqOf(Uint8Array.of(1, 2))).toBeUndefined();
  });
  it("the memory store is bounded per journal (oldest dropped)", () => {
    const s = new MemoryJournalStore({ maxEntriesPerJournal: 3 });
    for (let i = 0; i < 5; i++) s.append("J", { time: i, variables: [] });
    expect(s.query("J", { limit: 10 })!.map((e) => e.time)).toEqual([2, 3, 4]);
  });
  it.skipIf(!sqlite)("the SQLite store keeps journals across a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mms-journal-"));
    const file = join(dir, "journal.db");
    try {
      const a = await SqliteJournalStore.open(file);
      const e = a.append(JOURNAL, {
        time: T0,
        variables: [{ variableTag: "x", value: { type: "visibleString", value: "kept" } }],
      });
      a.append(JOURNAL, { time: T0 + 1, variables: [] });
      a.create("LD0/Other");
      a.close();
      const b = await SqliteJournalStore.open(file);
      expect(b.journals()).toEqual(["LD0/LLN0$EventLog", "LD0/Other"]);
      const got = b.query(JOURNAL, { limit: 10 })!;
      expect(got.map((x) => x.time)).toEqual([T0, T0 + 1]);
      expect(got[0]!.entryId).toEqual(e.entryId);
      expect(got[0]!.variables).toEqual([
        { variableTag: "x", value: { type: "visibleString", value: "kept" } },
      ]);
      const next = b.append(JOURNAL, { time: T0 + 2, variables: [] });
      expect(seqOf(next.entryId)).toBeGreaterThan(seqOf(e.entryId)!);
      b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
