import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode, runCli } from "../src/index";
import {
  freePort,
  hasPeer,
  type Running,
  runProcess,
  startCapture,
  startProcess,
  tsharkUsable,
  waitForPort,
} from "./interop-env";
import { bin, DOMAIN, dissect, serveInProcess } from "./interop-helpers";

// Opt-in interop with libiec61850's file and log services (issue 8; see tools/cli/README.md):
//   LIBIEC61850_BIN=/path/to/dir/with/example/binaries pnpm vitest run tools/cli/test/interop-files
// server_example_logging needs libiec61850 built with SQLite (libsqlite3-dev).
const work = mkdtempSync(join(tmpdir(), "mms-interop-files-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const withCapture = tsharkUsable();
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const LOG = `${DOMAIN}/LLN0$EventLog`;

async function mms(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** The example servers accept few connections and may still be closing the previous one. */
async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 150));
}

describe.skipIf(!hasPeer("server_example_files"))(
  "interop: mms files against libiec61850 server_example_files",
  () => {
    let port = "";
    let server: Running;
    let cap: Running | undefined;
    const dir = join(work, "server-files");
    const store = join(dir, "vmd-filestore");
    const local = join(work, "client-local");
    const record = randomBytes(150_000);
    const capture = join(work, "mms-files-vs-libiec61850.pcapng");

    beforeAll(async () => {
      mkdirSync(store, { recursive: true });
      mkdirSync(local, { recursive: true });
      writeFileSync(join(store, "record.dat"), record);
      writeFileSync(join(store, "empty.txt"), "");
      writeFileSync(join(store, "IEDSERVER.BIN"), "protected");
      const p = await freePort();
      port = String(p);
      // It serves ./vmd-filestore/ of its working directory.
      server = startProcess(bin("server_example_files"), [port], dir);
      await waitForPort(p);
      if (withCapture) cap = await startCapture(p, capture);
    });

    afterAll(async () => {
      await server?.stop();
      await cap?.stop();
    });

    it("ls lists names and sizes (FileDirectory)", async () => {
      const r = await mms("files", "ls", "--port", port, "--json");
      expect(r.code).toBe(ExitCode.ok);
      const files = JSON.parse(r.out[0]!).files as { name: string; size: number }[];
      expect(files).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: "record.dat", size: 150_000 }),
          expect.objectContaining({ name: "empty.txt", size: 0 }),
          expect.objectContaining({ name: "IEDSERVER.BIN", size: 9 }),
        ]),
      );
    });

    it("get downloads intact (FileOpen / FileRead / FileClose), an empty file too", async () => {
      await settle();
      const to = join(local, "record.dat");
      expect((await mms("files", "get", "record.dat", to, "--port", port)).code).toBe(ExitCode.ok);
      expect(sha(readFileSync(to))).toBe(sha(record));
      await settle();
      const empty = join(local, "empty.txt");
      expect((await mms("files", "get", "empty.txt", empty, "--port", port)).code).toBe(ExitCode.ok);
      expect(readFileSync(empty).length).toBe(0);
    });

    it("put: the libiec61850 server fetches our file by ObtainFile", async () => {
      await settle();
      const src = join(local, "upload.bin");
      const up = randomBytes(40_000);
      writeFileSync(src, up);
      const r = await mms("files", "put", src, "upload.bin", "--port", port);
      expect(r.code).toBe(ExitCode.ok);
      expect(sha(readFileSync(join(store, "upload.bin")))).toBe(sha(up));
    });

    it("rm deletes; its access handler refuses IEDSERVER.BIN (service error, exit 5)", async () => {
      await settle();
      expect((await mms("files", "rm", "upload.bin", "--port", port)).code).toBe(ExitCode.ok);
      expect(existsSync(join(store, "upload.bin"))).toBe(false);
      await settle();
      expect((await mms("files", "rm", "IEDSERVER.BIN", "--port", port)).code).toBe(ExitCode.service);
      expect(existsSync(join(store, "IEDSERVER.BIN"))).toBe(true);
    });

    it("mv is refused: FileRename is not built into libiec61850 by default (reject, exit 5)", async () => {
      await settle();
      const r = await mms("files", "mv", "empty.txt", "renamed.txt", "--port", port);
      expect(r.code).toBe(ExitCode.service);
      expect(existsSync(join(store, "empty.txt"))).toBe(true);
    });

    it.skipIf(!withCapture)("the captured conversation passes dissect-check", async () => {
      await settle();
      await cap?.stop();
      cap = undefined;
      expect(dissect(Number(port), capture)).toEqual([]);
    });
  },
);

describe.skipIf(!hasPeer("server_example_logging"))(
  "interop: mms journal read against libiec61850 server_example_logging",
  () => {
    let port = "";
    let server: Running;

    beforeAll(async () => {
      const dir = mkdtempSync(join(work, "server-logging-"));
      const p = await freePort();
      port = String(p);
      // It keeps its log in ./log_status.db and writes one entry at start-up.
      server = startProcess(bin("server_example_logging"), [port], dir);
      await waitForPort(p);
    });

    afterAll(async () => {
      await server?.stop();
    });

    it("lists the journal and reads the log control block", async () => {
      const r = await mms("ls", DOMAIN, "--port", port);
      expect(r.code).toBe(ExitCode.ok);
      expect(r.out).toContain("LLN0$LG$EventLog$OldEntr");
      await settle();
      const lcb = await mms("read", `${DOMAIN}/LLN0$LG$EventLog$LogRef`, "--port", port);
      expect(lcb.out.join("\n")).toContain(LOG);
    });

    it("reads its entry by time range: value and ReasonCode variables", async () => {
      await settle();
      const r = await mms(
        "journal",
        "read",
        LOG,
        "--from",
        "2000-01-01T00:00:00Z",
        "--to",
        "2100-01-01T00:00:00Z",
        "--port",
        port,
        "--json",
      );
      expect(r.code).toBe(ExitCode.ok);
      const j = JSON.parse(r.out[0]!) as {
        entries: { entryId: string; variables: { tag: string; value: unknown }[] }[];
      };
      expect(j.entries.length).toBeGreaterThanOrEqual(1);
      const tags = j.entries[0]!.variables.map((v) => v.tag);
      // The example's own tags (with its spelling).
      expect(tags).toEqual([
        "simpleIOGenerioIO/GPIO1$ST$SPCSO1$stVal",
        "ReasonCode",
        "simpleIOGenerioIO/GPIO1$ST$SPCSO1$t",
        "ReasonCode",
      ]);
      expect(j.entries[0]!.variables[0]!.value).toEqual({ type: "integer", value: 123 });
      expect(j.entries[0]!.entryId).toMatch(/^[0-9a-f]{16}$/);
    });

    it("without a range it rejects the ReadJournal (libiec61850 needs start and stop, or entryToStartAfter)", async () => {
      await settle();
      const r = await mms("journal", "read", LOG, "--port", port);
      expect(r.code).toBe(ExitCode.service);
      expect(r.err.join("\n")).toMatch(/rejected/);
    });
  },
);

describe.skipIf(!hasPeer("file-tool"))("interop: libiec61850 file-tool against mms serve --files", () => {
  const root = join(work, "serve-root");
  const cwd = join(work, "file-tool-cwd");
  const content = randomBytes(90_000);

  beforeAll(() => {
    mkdirSync(root, { recursive: true });
    mkdirSync(cwd, { recursive: true });
    writeFileSync(join(root, "served.bin"), content);
    writeFileSync(join(root, "doomed.txt"), "bye\n");
    writeFileSync(join(cwd, "from-tool.txt"), "uploaded by file-tool\n");
  });

  const tool = (port: number, ...args: string[]) =>
    runProcess(bin("file-tool"), ["-h", "127.0.0.1", "-p", String(port), ...args], 20_000, cwd);

  it("dir and get work on the plain port; set (ObtainFile) and del are refused there", async () => {
    const port = await freePort();
    const s = await serveInProcess(["--port", String(port), "--files", root]);
    try {
      const dir = await tool(port, "dir");
      expect(dir.output).toMatch(/served\.bin 90000/);
      expect(dir.output).toMatch(/doomed\.txt 4/);
      const get = await tool(port, "get", "served.bin");
      // It prints one line per FileRead (the data arrives in PDU-sized chunks).
      const got = [...get.output.matchAll(/received (\d+) bytes/g)].map((m) => Number(m[1]));
      expect(got.length).toBeGreaterThan(1);
      expect(got.reduce((a, b) => a + b, 0)).toBe(90_000);
      expect(sha(readFileSync(join(cwd, "served.bin")))).toBe(sha(content));
      const set = await tool(port, "set", "from-tool.txt");
      expect(set.output).toMatch(/Failed to set file/);
      expect(existsSync(join(root, "from-tool.txt"))).toBe(false);
      const del = await tool(port, "del", "doomed.txt");
      expect(del.output).toMatch(/Failed to delete file/);
      expect(existsSync(join(root, "doomed.txt"))).toBe(true);
    } finally {
      await s.stop();
    }
  });

  it("with --insecure-plain-file-write: set uploads by ObtainFile and del deletes", async () => {
    const port = await freePort();
    const s = await serveInProcess(["--port", String(port), "--files", root, "--insecure-plain-file-write"]);
    try {
      const set = await tool(port, "set", "from-tool.txt");
      expect(set.output).not.toMatch(/Failed/);
      expect(readFileSync(join(root, "from-tool.txt"), "utf8")).toBe("uploaded by file-tool\n");
      const del = await tool(port, "del", "doomed.txt");
      expect(del.output).not.toMatch(/Failed/);
      expect(existsSync(join(root, "doomed.txt"))).toBe(false);
    } finally {
      await s.stop();
    }
  });
});

/** iec61850_client_file_async connects to the fixed port 102; skip when it is taken. */
async function port102Free(): Promise<boolean> {
  return await new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(102, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}
const can102 = hasPeer("iec61850_client_file_async") && (await port102Free());

describe.skipIf(!can102)("interop: libiec61850 iec61850_client_file_async against mms serve --files", () => {
  it("downloads a file with asynchronous FileReads (port 102)", async () => {
    const root = mkdtempSync(join(work, "serve-async-"));
    const data = randomBytes(120_000);
    writeFileSync(join(root, "async.bin"), data);
    const s = await serveInProcess(["--port", "102", "--files", root]);
    try {
      const r = await runProcess(bin("iec61850_client_file_async"), ["127.0.0.1", "async.bin"]);
      expect(r.output).toMatch(/File transfer complete \(err:0\)/);
      const got = [...r.output.matchAll(/Received (\d+) bytes/g)].map((m) => Number(m[1]));
      expect(got.reduce((a, b) => a + b, 0)).toBe(data.length);
    } finally {
      await s.stop();
    }
  });
});

describe.skipIf(!hasPeer("iec61850_client_example_log"))(
  "interop: libiec61850 iec61850_client_example_log against mms serve --journal-db",
  () => {
    it("finds the log, reads the log control block and the entries after the oldest", async () => {
      const port = await freePort();
      const db = join(work, "journal.db");
      const s = await serveInProcess(["--port", String(port), "--journal-db", db, "--tick", "20"]);
      try {
        await new Promise((r) => setTimeout(r, 300)); // a few status changes are logged
        const r = await runProcess(bin("iec61850_client_example_log"), ["127.0.0.1", String(port)]);
        expect(r.output).toMatch(/Found logs in LN simpleIOGenericIO\/LLN0:\n\s+EventLog/);
        expect(r.output).toMatch(
          /LCB values: \{true,simpleIOGenericIO\/LLN0\$EventLog,simpleIOGenericIO\/LLN0\$Events,/,
        );
        expect(r.output).toMatch(/EntryID: 0{15}[1-9a-f]/);
        expect(r.output).toMatch(
          /variable-tag: simpleIOGenericIO\/GGIO1\$ST\$Ind\d\$stVal\n\s+variable-value: (true|false)/,
        );
        expect(r.output).toMatch(/variable-tag: ReasonCode/);
        expect(r.output).not.toMatch(/QueryLog failed|Read LCB failed/);
      } finally {
        await s.stop();
      }
    });
  },
);
