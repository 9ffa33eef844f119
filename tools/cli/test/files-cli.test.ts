import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileServer, JournalServer, MemoryJournalStore, MmsServer, Vmd } from "@mms/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filesCommand } from "../src/commands/files";
import { openClient } from "../src/commands/open-client";
import { formatDuration, ProgressBar, progressLine } from "../src/format/progress";
import { ExitCode, runCli } from "../src/index";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

describe("mms files / mms journal against an @mms/server with files and journals", () => {
  const root = mkdtempSync(join(tmpdir(), "mms-cli-files-"));
  const local = mkdtempSync(join(tmpdir(), "mms-cli-local-"));
  const big = randomBytes(300_000);
  let server: MmsServer;
  let port = "";
  beforeAll(async () => {
    writeFileSync(join(root, "big.bin"), big);
    writeFileSync(join(root, "old.txt"), "old");
    const store = new MemoryJournalStore();
    for (let i = 0; i < 40; i++) {
      store.append("LD0/LLN0$Log", {
        time: T0 + i * 1000,
        variables: [
          { variableTag: "LD0/GGIO1$ST$Ind1$stVal", value: { type: "boolean", value: i % 2 === 0 } },
        ],
      });
    }
    server = new MmsServer({
      vmd: new Vmd({ vendorName: "A", modelName: "CLI", revision: "1" }),
      files: new FileServer({ root, allowRename: true, access: () => true }),
      journals: new JournalServer({ store, maxEntriesPerPage: 7 }),
    });
    port = String(
      (
        await server.listen({
          plain: {
            host: "127.0.0.1",
            port: 0,
            policy: { mechanisms: [], insecureAllowUnauthenticated: true },
          },
        })
      ).plain,
    );
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(local, { recursive: true, force: true });
  });

  async function mms(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli([...args, "--port", port], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    return { code, out, err };
  }

  it("ls prints size, time and name; --json one document", async () => {
    const r = await mms("files", "ls");
    expect(r.code).toBe(ExitCode.ok);
    expect(r.out.some((l) => /^\s+300000 {2}\d{4}-\d\d-\d\dT[\d:]+Z {2}big\.bin$/.test(l))).toBe(true);
    const j = await mms("files", "ls", "--json");
    expect(JSON.parse(j.out[0]!).files).toContainEqual(
      expect.objectContaining({ name: "big.bin", size: 300000 }),
    );
  });

  it("get downloads intact; an existing target is refused; a missing file is a service error", async () => {
    const to = join(local, "got.bin");
    const r = await mms("files", "get", "big.bin", to);
    expect(r.code).toBe(ExitCode.ok);
    expect(sha(readFileSync(to))).toBe(sha(big));
    const piped = join(local, "got4.bin");
    expect((await mms("files", "get", "big.bin", piped, "--read-ahead", "4")).code).toBe(ExitCode.ok);
    expect(sha(readFileSync(piped))).toBe(sha(big));
    expect((await mms("files", "get", "big.bin", join(local, "x"), "--read-ahead", "0")).code).toBe(
      ExitCode.usage,
    );
    expect(r.out[0]).toMatch(/^big\.bin -> .*got\.bin: 293\.0 KiB in/);
    expect((await mms("files", "get", "big.bin", to)).code).toBe(ExitCode.file);
    const missing = await mms("files", "get", "nope.bin", join(local, "nope.bin"));
    expect(missing.code).toBe(ExitCode.service);
    expect(existsSync(join(local, "nope.bin"))).toBe(false);
  });

  it("put uploads by ObtainFile; rm and mv", async () => {
    const src = join(local, "up.txt");
    writeFileSync(src, "uploaded");
    const r = await mms("files", "put", src, "up-remote.txt", "--json");
    expect(r.code).toBe(ExitCode.ok);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ to: "up-remote.txt", bytes: 8, size: 8 });
    expect(readFileSync(join(root, "up-remote.txt"), "utf8")).toBe("uploaded");
    expect((await mms("files", "mv", "old.txt", "new.txt")).code).toBe(ExitCode.ok);
    expect(existsSync(join(root, "new.txt"))).toBe(true);
    expect((await mms("files", "rm", "new.txt")).code).toBe(ExitCode.ok);
    expect(existsSync(join(root, "new.txt"))).toBe(false);
  });

  it("usage errors are exit code 2", async () => {
    expect((await mms("files")).code).toBe(ExitCode.usage);
    expect((await mms("files", "mv", "a")).code).toBe(ExitCode.usage);
    expect((await mms("journal", "read")).code).toBe(ExitCode.usage);
    expect((await mms("journal", "read", "LD0/LLN0$Log", "--after-time", "2026-11-25T12:00:00Z")).code).toBe(
      ExitCode.usage,
    );
  });

  it("journal read: all pages, time range, after an entry, --json", async () => {
    const all = await mms("journal", "read", "LD0/LLN0$Log");
    expect(all.code).toBe(ExitCode.ok);
    expect(all.out.length).toBe(40);
    expect(all.out[0]).toMatch(
      /^2026-11-25T12:00:00\.000Z {2}[0-9a-f]{16} {2}LD0\/GGIO1\$ST\$Ind1\$stVal=true$/,
    );
    const range = await mms(
      "journal",
      "read",
      "LD0/LLN0$Log",
      "--from",
      "2026-11-25T12:00:10Z",
      "--to",
      "2026-11-25T12:00:19Z",
    );
    expect(range.out.length).toBe(10);
    const [time, id] = all.out[29]!.split(/\s+/);
    const after = await mms(
      "journal",
      "read",
      "LD0/LLN0$Log",
      "--after-time",
      time!,
      "--after-entry",
      id!,
      "--json",
    );
    const doc = JSON.parse(after.out[0]!);
    expect(doc.entries.length).toBe(10);
    expect(doc.entries[0].variables[0]).toEqual({
      tag: "LD0/GGIO1$ST$Ind1$stVal",
      value: { type: "boolean", value: true },
    });
  });

  it("draws a progress bar on a TTY, nothing when piped or with --json", async () => {
    const drawn: string[] = [];
    const tty = { isTTY: true, columns: 100, write: (t: string) => drawn.push(t) };
    const to = join(local, "tty.bin");
    const io = { out: () => undefined, err: () => undefined };
    expect(await filesCommand(["get", "big.bin", to, "--port", port], io, openClient, tty)).toBe(0);
    expect(drawn.join("")).toMatch(/\[#+\] 100% 293\.0 KiB\/293\.0 KiB .*\/s ETA 0:00/);
    expect(drawn.at(-1)).toBe("\n");
    const piped: string[] = [];
    const pipe = { isTTY: false, write: (t: string) => piped.push(t) };
    expect(
      await filesCommand(["get", "big.bin", join(local, "p.bin"), "--port", port], io, openClient, pipe),
    ).toBe(0);
    const json: string[] = [];
    const tty2 = { isTTY: true, write: (t: string) => json.push(t) };
    expect(
      await filesCommand(
        ["get", "big.bin", join(local, "j.bin"), "--json", "--port", port],
        io,
        openClient,
        tty2,
      ),
    ).toBe(0);
    expect([piped, json]).toEqual([[], []]);
  });
});

describe("progress formatting", () => {
  it("shows bytes, rate and ETA", () => {
    expect(progressLine(512 * 1024, 1024 * 1024, 1000, 100)).toMatch(
      /^\[#{20}-{20}\] {2}50% 512\.0 KiB\/1\.0 MiB 512\.0 KiB\/s ETA 0:01$/,
    );
    expect(progressLine(100, undefined, 1000, 80)).toBe("100 B  100 B/s");
    expect(formatDuration(3725)).toBe("1:02:05");
    expect(formatDuration(Number.NaN)).toBe("--:--");
  });
  it("is silent when disabled", () => {
    const w: string[] = [];
    const b = new ProgressBar({ isTTY: true, write: (t) => w.push(t) }, false, 10);
    b.update(5, true);
    b.finish(10);
    expect(w).toEqual([]);
  });
});
