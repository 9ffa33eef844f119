import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { binaryTimeFromDate } from "@mms/pdu";
import { SqliteJournalStore } from "@mms/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseServeArgs } from "../src/commands/serve";
import { DEMO_JOURNAL, serveExtensions, serveFileAccess } from "../src/commands/serve-files";
import { DEMO_DOMAIN } from "../src/model/demo-model";
import { createDemoDevice } from "../src/model/demo-vmd";
import { ExitCode, runCli } from "../src/index";
import { freePort } from "./interop-env";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const SEEDED = 230; // entries written before the first start: three ReadJournal pages of 100

async function mms(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

interface JournalJson {
  journal: string;
  entries: { time: string; entryId: string; variables: { tag: string; value: unknown }[] }[];
}

/** `mms serve` in this process until `stop()`; resolves once the banner is out. */
async function serve(args: string[]) {
  const stop = new AbortController();
  const out: string[] = [];
  const err: string[] = [];
  const done = runCli(["serve", "--host", "127.0.0.1", ...args], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    signal: stop.signal,
  });
  for (let i = 0; i < 500 && !out.some((l) => l.startsWith("serving")); i++) {
    if (await Promise.race([done.then(() => true), new Promise((r) => setTimeout(() => r(false), 20))]))
      break;
  }
  return {
    out,
    err,
    stop: async () => {
      stop.abort();
      return await done;
    },
  };
}

describe("mms serve --files --journal-db: files and journals end to end through the CLI", () => {
  const dir = mkdtempSync(join(tmpdir(), "mms-serve-files-"));
  const pki = join(dir, "pki");
  const root = join(dir, "root");
  const local = join(dir, "local");
  const db = join(dir, "journal.db");
  const payload = randomBytes(200_000);
  let plain = "";
  let tls = "";
  let server: Awaited<ReturnType<typeof serve>>;
  const tlsArgs = () => ["--tls", "--pki", pki, "--port", tls];
  let firstRun: JournalJson | undefined;

  beforeAll(async () => {
    expect((await mms("pki", "init", pki)).code).toBe(0);
    for (const d of [root, local]) rmSync(d, { recursive: true, force: true });
    mkdirSync(root);
    mkdirSync(local);
    writeFileSync(join(root, "record.dat"), payload);
    writeFileSync(join(root, "cfg.txt"), "config v1\n");
    writeFileSync(join(root, "old.txt"), "old\n");
    // An existing journal database: entries logged before this start must be served.
    const store = await SqliteJournalStore.open(db);
    for (let i = 0; i < SEEDED; i++) {
      store.append(DEMO_JOURNAL, {
        time: T0 + i * 1000,
        variables: [
          {
            variableTag: "simpleIOGenericIO/GGIO1$ST$Ind1$stVal",
            value: { type: "boolean", value: i % 2 === 0 },
          },
        ],
      });
    }
    store.close();
    plain = String(await freePort());
    tls = String(await freePort());
    server = await serve([
      "--port",
      plain,
      "--tls-port",
      tls,
      "--pki",
      pki,
      "--files",
      root,
      "--journal-db",
      db,
      "--tick",
      "50",
    ]);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the banner names the files directory, its rights and the journal store", () => {
    expect(server.out.find((l) => l.startsWith("files"))).toMatch(
      /list\/read: everyone; write\/delete\/ObtainFile: authenticated TLS identities; plain port read-only; rename off/,
    );
    expect(server.out.find((l) => l.startsWith("journal"))).toContain(
      `simpleIOGenericIO/LLN0$EventLog  SQLite ${db} (kept across restarts)`,
    );
  });

  it("files ls on the plain port lists size and name; --json one document", async () => {
    const r = await mms("files", "ls", "--port", plain);
    expect(r.code).toBe(ExitCode.ok);
    expect(r.out.some((l) => /^\s+200000 {2}\S+Z {2}record\.dat$/.test(l))).toBe(true);
    const j = await mms("files", "ls", "--port", plain, "--json");
    const names = (JSON.parse(j.out[0]!).files as { name: string; size: number }[]).map((f) => f.name);
    expect(names.sort()).toEqual(["cfg.txt", "old.txt", "record.dat"]);
  });

  it("files get (plain and TLS) downloads intact", async () => {
    const a = join(local, "a.dat");
    expect((await mms("files", "get", "record.dat", a, "--port", plain)).code).toBe(ExitCode.ok);
    expect(sha(readFileSync(a))).toBe(sha(payload));
    const b = join(local, "b.dat");
    expect((await mms("files", "get", "record.dat", b, ...tlsArgs(), "--read-ahead", "3")).code).toBe(
      ExitCode.ok,
    );
    expect(sha(readFileSync(b))).toBe(sha(payload));
  });

  it("put (ObtainFile) and rm: refused on the plain port, done over TLS with a certificate", async () => {
    const src = join(local, "upload.bin");
    const up = randomBytes(70_000);
    writeFileSync(src, up);
    const refused = await mms("files", "put", src, "up.bin", "--port", plain);
    expect(refused.code).toBe(ExitCode.service);
    expect(existsSync(join(root, "up.bin"))).toBe(false);
    const ok = await mms("files", "put", src, "up.bin", ...tlsArgs(), "--json");
    expect(ok.code).toBe(ExitCode.ok);
    expect(sha(readFileSync(join(root, "up.bin")))).toBe(sha(up));

    expect((await mms("files", "rm", "cfg.txt", "--port", plain)).code).toBe(ExitCode.service);
    expect(existsSync(join(root, "cfg.txt"))).toBe(true);
    expect((await mms("files", "rm", "cfg.txt", ...tlsArgs())).code).toBe(ExitCode.ok);
    expect(existsSync(join(root, "cfg.txt"))).toBe(false);
    expect(server.err.some((l) => l.includes("WRN_MMS_FILE_ACCESS_REFUSED"))).toBe(true);
  });

  it("mv is refused without --allow-rename, even over TLS", async () => {
    const r = await mms("files", "mv", "old.txt", "new.txt", ...tlsArgs());
    expect(r.code).not.toBe(ExitCode.ok);
    expect(existsSync(join(root, "old.txt"))).toBe(true);
    expect(existsSync(join(root, "new.txt"))).toBe(false);
  });

  it("journal read --json returns the seeded entries across pages, then the live status changes", async () => {
    let j: JournalJson | undefined;
    for (let i = 0; i < 100; i++) {
      const r = await mms("journal", "read", DEMO_JOURNAL, "--port", plain, "--json");
      expect(r.code).toBe(ExitCode.ok);
      j = JSON.parse(r.out[0]!) as JournalJson;
      const live = j.entries.slice(SEEDED);
      if (live.length >= 4) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(j!.journal).toBe(DEMO_JOURNAL);
    const seeded = j!.entries.slice(0, SEEDED);
    expect(seeded.map((e) => Date.parse(e.time))).toEqual(
      Array.from({ length: SEEDED }, (_, i) => T0 + i * 1000),
    );
    expect(seeded[1]!.variables).toEqual([
      { tag: "simpleIOGenericIO/GGIO1$ST$Ind1$stVal", value: { type: "boolean", value: false } },
    ]);
    const ids = j!.entries.map((e) => BigInt(`0x${e.entryId}`));
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    const live = j!.entries.slice(SEEDED);
    expect(live.length).toBeGreaterThanOrEqual(4);
    for (const e of live) {
      expect(e.variables).toHaveLength(2);
      expect(e.variables[1]).toEqual({ tag: "ReasonCode", value: { type: "bitString", value: "0100000" } });
      expect(e.variables[0]!.tag).toMatch(/^simpleIOGenericIO\/GGIO1\$ST\$Ind\d\$stVal$/);
      expect(e.variables[0]!.value).toMatchObject({ type: "boolean" });
    }
    firstRun = j;

    // Continue after a known entry (entryToStartAfter), and a time range.
    const after = seeded[149]!;
    const rest = await mms(
      "journal",
      "read",
      DEMO_JOURNAL,
      "--after-time",
      after.time,
      "--after-entry",
      after.entryId,
      "--port",
      plain,
      "--json",
    );
    const restJ = JSON.parse(rest.out[0]!) as JournalJson;
    expect(restJ.entries[0]!.entryId).toBe(seeded[150]!.entryId);
    const range = await mms(
      "journal",
      "read",
      DEMO_JOURNAL,
      "--from",
      new Date(T0 + 10_000).toISOString(),
      "--to",
      new Date(T0 + 119_000).toISOString(),
      "--port",
      plain,
      "--json",
    );
    expect((JSON.parse(range.out[0]!) as JournalJson).entries).toHaveLength(110);
  });

  it("the SQLite journal survives a restart; --allow-rename then lets an authenticated peer rename", async () => {
    expect(firstRun).toBeDefined();
    expect(await server.stop()).toBe(0);
    server = await serve([
      "--port",
      plain,
      "--tls-port",
      tls,
      "--pki",
      pki,
      "--files",
      root,
      "--journal-db",
      db,
      "--allow-rename",
      "--tick",
      "1000",
    ]);
    expect(server.out.find((l) => l.startsWith("files"))).toMatch(/rename on$/);
    const r = await mms("journal", "read", DEMO_JOURNAL, "--port", plain, "--json");
    expect(r.code).toBe(ExitCode.ok);
    const after = JSON.parse(r.out[0]!) as JournalJson;
    const before = firstRun!.entries;
    expect(after.entries.slice(0, before.length)).toEqual(before);

    expect((await mms("files", "mv", "old.txt", "new.txt", "--port", plain)).code).toBe(ExitCode.service);
    expect((await mms("files", "mv", "old.txt", "new.txt", ...tlsArgs())).code).toBe(ExitCode.ok);
    expect(readFileSync(join(root, "new.txt"), "utf8")).toBe("old\n");
  });
});

describe("mms serve journal feed", () => {
  it("logs each Ind toggle and each SPCSO operate of the demo device in LLN0$EventLog", async () => {
    const d = createDemoDevice(0);
    const settings = await parseServeArgs(["--port", "0"]);
    if (settings === "help") throw new Error("help");
    const x = await serveExtensions(settings, true);
    await x.attach(d);
    expect(x.files).toBeUndefined();
    expect(await x.store.journals()).toEqual([DEMO_JOURNAL]);
    d.tick(1000);
    d.tick(2000);
    const oper = d.vmd.findVariable({
      scope: "domain",
      domainId: DEMO_DOMAIN,
      itemId: "GGIO1$CO$SPCSO2$Oper",
    });
    const ctx = { associationId: 1, identity: undefined };
    const v = oper?.read(ctx);
    if (!oper || v?.type !== "structure") throw new Error("no Oper");
    oper.write({ type: "structure", value: [{ type: "boolean", value: true }, ...v.value.slice(1)] }, ctx);
    const entries = (await x.store.query(DEMO_JOURNAL, { limit: 10 })) ?? [];
    expect(entries.map((e) => [e.time, e.variables.map((v) => v.variableTag)])).toEqual([
      [1000, ["simpleIOGenericIO/GGIO1$ST$Ind1$stVal", "ReasonCode"]],
      [2000, ["simpleIOGenericIO/GGIO1$ST$Ind2$stVal", "ReasonCode"]],
      [expect.any(Number), ["simpleIOGenericIO/GGIO1$ST$SPCSO2$stVal", "ReasonCode"]],
    ]);
    expect(entries[2]!.variables[0]!.value).toEqual({ type: "boolean", value: true });
    expect(new Set(entries.map((e) => Buffer.from(e.entryId).toString("hex"))).size).toBe(3);
    // The log control block LLN0$LG$EventLog follows the journal (oldest and newest entry).
    await new Promise((r) => setTimeout(r, 10));
    const lcb = (a: string) =>
      d.vmd.getValue({ scope: "domain", domainId: DEMO_DOMAIN, itemId: `LLN0$LG$EventLog$${a}` });
    expect(lcb("OldEntr")).toEqual({ type: "octetString", value: entries[0]!.entryId });
    expect(lcb("NewEntr")).toEqual({ type: "octetString", value: entries[2]!.entryId });
    expect(lcb("OldEntrTm")).toEqual({ type: "binaryTime", value: binaryTimeFromDate(Date.UTC(1984, 0, 1)) });
    expect(lcb("LogRef")).toEqual({ type: "visibleString", value: DEMO_JOURNAL });
    x.close();
  });
});

describe("mms serve file options", () => {
  it("--allow-rename and --insecure-plain-file-write need --files", async () => {
    await expect(parseServeArgs(["--allow-rename"])).rejects.toMatchObject({ exitCode: ExitCode.usage });
    await expect(parseServeArgs(["--insecure-plain-file-write"])).rejects.toMatchObject({
      exitCode: ExitCode.usage,
    });
    const s = await parseServeArgs(["--files", "/x", "--journal-db", "/y.db"]);
    expect(s).toMatchObject({ filesRoot: "/x", journalDb: "/y.db", allowRename: false });
  });

  it("a --files that is not a directory is a file error (exit 8)", async () => {
    const r = await mms("serve", "--port", "0", "--files", join(tmpdir(), "no-such-dir-mms-h13"));
    expect(r.code).toBe(ExitCode.file);
  });

  it("rights: read for all; write for certificate / TLS identities; password only when TLS-only", () => {
    const base = {
      filesRoot: "/x",
      allowRename: true,
      insecurePlainFileWrite: false,
      insecurePasswordWithoutTls: false,
    };
    const p = serveFileAccess(base);
    const cert = { mechanism: "certificate", name: "CN=a" };
    const pw = { mechanism: "password", name: "password" };
    expect(p(undefined, "read", "a")).toBe(true);
    expect(p(undefined, "list", "")).toBe(true);
    for (const op of ["write", "delete", "rename"] as const) {
      expect(p(undefined, op, "a")).toBe(false);
      expect(p(cert, op, "a")).toBe(true);
      expect(p({ mechanism: "tls", name: "tls-peer" }, op, "a")).toBe(true);
      expect(p(pw, op, "a")).toBe(true);
      expect(serveFileAccess({ ...base, insecurePasswordWithoutTls: true })(pw, op, "a")).toBe(false);
      expect(serveFileAccess({ ...base, insecurePlainFileWrite: true })(undefined, op, "a")).toBe(true);
    }
  });
});
