import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SecurityEvent } from "@mms/io";
import { FileErrorCode } from "@mms/pdu";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The client is a sibling package without a dependency edge to the server: import its source.
import {
  connect,
  deleteFile,
  downloadFile,
  listFiles,
  type MmsClient,
  MmsRejectError,
  MmsServiceError,
  putFile,
  readFile,
  renameFile,
} from "../../client/src/index";
import { FileServer, MmsServer, Vmd } from "../src/index";

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const openFds = () => readdirSync("/proc/self/fd").length;

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function serviceError(p: Promise<unknown>): Promise<MmsServiceError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MmsServiceError) return e;
    throw e;
  }
  throw new Error("expected a service error");
}

/** 8 MiB keeps the test fast; the 50 MiB transfer is the files.download-* benchmark. */
const BIG = 8 * 1024 * 1024;
/** FileRead data that fits one response with the negotiated 65000 (see READ_OVERHEAD). */
const ONE_PDU = 65000 - 32;

describe("file services over loopback (FileServer + client functions)", () => {
  let root: string;
  let outside: string;
  let server: MmsServer;
  let files: FileServer;
  let port: number;
  const content = new Map<string, Uint8Array>();
  const events: SecurityEvent[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "mms-files-"));
    outside = mkdtempSync(join(tmpdir(), "mms-outside-"));
    writeFileSync(join(outside, "secret.txt"), "do not serve");
    const put = (name: string, data: Uint8Array) => {
      writeFileSync(join(root, name), data);
      content.set(name, data);
    };
    put("empty.bin", new Uint8Array(0));
    put("one.bin", Uint8Array.of(0x5a));
    put("exact.bin", randomBytes(ONE_PDU));
    put("exact1.bin", randomBytes(ONE_PDU + 1));
    put("big.bin", randomBytes(BIG));
    put("keep.txt", new TextEncoder().encode("protected"));
    mkdirSync(join(root, "sub"));
    put("sub/nested.txt", new TextEncoder().encode("nested"));
    mkdirSync(join(root, "many"));
    for (let i = 0; i < 3000; i++)
      writeFileSync(join(root, "many", `f${String(i).padStart(5, "0")}.dat`), "x");
    symlinkSync(join(outside, "secret.txt"), join(root, "link-out"));
    symlinkSync(outside, join(root, "dir-out"));
    symlinkSync(join(root, "one.bin"), join(root, "link-in"));
    files = new FileServer({
      root,
      maxOpenFiles: 4,
      allowRename: true,
      access: (_id, op, path) => op !== "delete" || !path.startsWith("keep"),
    });
    server = new MmsServer({
      vmd: new Vmd({ vendorName: "ACME", modelName: "F", revision: "1" }),
      files,
      onSecurityEvent: (e) => events.push(e),
    });
    const ports = await server.listen({
      plain: { host: "127.0.0.1", port: 0, policy: { mechanisms: [], insecureAllowUnauthenticated: true } },
    });
    port = ports.plain!;
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  const open = (): Promise<MmsClient> =>
    connect({
      transport: { kind: "insecure-tcp", host: "127.0.0.1", port },
      authentication: "insecure-none",
      requireServerAuthentication: false,
    });

  it("announces the file services it offers in servicesSupportedCalled", async () => {
    const c = await open();
    const bit = (n: number) =>
      ((c.negotiated.servicesSupported.bytes[n >> 3] ?? 0) & (0x80 >> (n & 7))) !== 0;
    expect([72, 73, 74, 75, 76, 77].map(bit)).toEqual([true, true, true, true, true, true]);
    await c.conclude();
  });

  for (const name of ["empty.bin", "one.bin", "exact.bin", "exact1.bin", "big.bin", "sub/nested.txt"]) {
    it(`downloads ${name} intact (SHA-256)`, async () => {
      const c = await open();
      let size = -1;
      const data = await readFile(c, name, { onOpen: (f) => (size = f.sizeOfFile) });
      expect(size).toBe(content.get(name)!.length);
      expect(sha256(data)).toBe(sha256(content.get(name)!));
      await until(() => files.openFileCount === 0);
      await c.conclude();
    });
  }

  it("pipelined FileReads (readAhead 4) keep their order; reads past the end are dropped", async () => {
    const c = await open();
    for (const name of ["big.bin", "exact.bin", "empty.bin", "one.bin"]) {
      const data = await readFile(c, name, { readAhead: 4 });
      expect(sha256(data)).toBe(sha256(content.get(name)!));
    }
    await until(() => files.openFileCount === 0);
    expect(c.pending.outstanding).toBe(0);
    await c.conclude();
  });

  it("a file that shrinks mid-download: read-ahead past the new end is dropped, data is a prefix", async () => {
    const fds = openFds();
    const original = randomBytes(10 * ONE_PDU);
    writeFileSync(join(root, "shrink.bin"), original);
    const c = await open();
    const o = await c.request({ service: "fileOpen", fileName: ["shrink.bin"], initialPosition: 0 });
    if (o.service !== "fileOpen") throw new Error();
    const got: Uint8Array[] = [];
    const read = async () => {
      const r = await c.request({ service: "fileRead", frsmId: o.frsmId });
      if (r.service !== "fileRead") throw new Error();
      got.push(r.fileData);
      return r;
    };
    await read(); // the server now reads ahead of the position
    truncateSync(join(root, "shrink.bin"), Math.floor(2.5 * ONE_PDU));
    let more = true;
    for (let i = 0; i < 20 && more; i++) more = (await read()).moreFollows;
    expect(more).toBe(false);
    const served = Buffer.concat(got);
    expect(served.length).toBeGreaterThanOrEqual(Math.floor(2.5 * ONE_PDU));
    expect(served.equals(original.subarray(0, served.length))).toBe(true);
    // A read after the end (the stale read-ahead is dropped): no data, moreFollows false.
    const after = await c.request({ service: "fileRead", frsmId: o.frsmId });
    expect(after).toMatchObject({ service: "fileRead", moreFollows: false });
    if (after.service === "fileRead") expect(after.fileData.length).toBe(0);
    await c.request({ service: "fileClose", frsmId: o.frsmId });
    await until(() => files.openFileCount === 0);
    await until(() => openFds() <= fds);
    await c.conclude();
  });

  it("exactly one PDU of data: a single FileRead with moreFollows false", async () => {
    const c = await open();
    const o = await c.request({ service: "fileOpen", fileName: ["exact.bin"], initialPosition: 0 });
    if (o.service !== "fileOpen") throw new Error();
    const r = await c.request({ service: "fileRead", frsmId: o.frsmId });
    expect(r).toMatchObject({ service: "fileRead", moreFollows: false });
    if (r.service === "fileRead") expect(r.fileData.length).toBe(ONE_PDU);
    await c.request({ service: "fileClose", frsmId: o.frsmId });
    await c.conclude();
  });

  it("path traversal, NUL, over-long names and links out are refused", async () => {
    const c = await open();
    const cases: [string[], number][] = [
      [["../etc/passwd"], FileErrorCode.filenameSyntaxError],
      [["sub/../../x"], FileErrorCode.filenameSyntaxError],
      [["/../etc/passwd"], FileErrorCode.filenameSyntaxError],
      [["sub", "..", "..", "x"], FileErrorCode.filenameSyntaxError],
      [["one.bin\u0000.txt"], FileErrorCode.filenameSyntaxError],
      [["sub\\..\\..\\x"], FileErrorCode.filenameSyntaxError],
      [["C:/x"], FileErrorCode.filenameSyntaxError],
      [["a".repeat(300)], FileErrorCode.filenameSyntaxError],
      [["link-out"], FileErrorCode.fileAccessDenied],
      [["dir-out/secret.txt"], FileErrorCode.fileAccessDenied],
      [["nope.bin"], FileErrorCode.fileNonExistent],
      [["sub"], FileErrorCode.fileAccessDenied],
    ];
    for (const [fileName, code] of cases) {
      const e = await serviceError(c.request({ service: "fileOpen", fileName, initialPosition: 0 }));
      expect([fileName, e.errorClass, e.errorCode]).toEqual([fileName, "file", code]);
    }
    const e = await serviceError(listFiles(c, "dir-out"));
    expect(e.errorCode).toBe(FileErrorCode.fileAccessDenied);
    // Every refusal is a security event with the peer and the name asked for.
    const refused = events.filter((x) => x.code === "WRN_MMS_FILE_ACCESS_REFUSED");
    expect(refused.length).toBe(cases.length); // not the missing file, but the listing of dir-out
    expect(refused[0]).toMatchObject({
      severity: "warning",
      peer: "127.0.0.1",
      detail: { service: "fileOpen", name: "../etc/passwd" },
    });
    // A link that stays inside is served.
    expect(await readFile(c, "link-in")).toEqual(Uint8Array.of(0x5a));
    expect(files.openFileCount).toBe(0);
    await c.conclude();
  });

  it("a leading '/' names the store's root, never the host's", async () => {
    const c = await open();
    // libiec61850 appends such names to its store path; IEDs list `/COMTRADE/...`.
    expect(await readFile(c, "/one.bin")).toEqual(Uint8Array.of(0x5a));
    expect(await readFile(c, "//sub/nested.txt")).toEqual(await readFile(c, "sub/nested.txt"));
    const e = await serviceError(
      c.request({ service: "fileOpen", fileName: ["/etc/passwd"], initialPosition: 0 }),
    );
    expect([e.errorClass, e.errorCode]).toEqual(["file", FileErrorCode.fileNonExistent]);
    expect(await listFiles(c, "/sub")).toMatchObject([{ fileName: ["sub/nested.txt"], sizeOfFile: 6 }]);
    expect(files.openFileCount).toBe(0);
    await c.conclude();
  });

  it("lists size and modification time; links out of the store are not listed", async () => {
    const c = await open();
    const entries = await listFiles(c);
    const names = entries.map((e) => e.fileName.join("/"));
    expect(names).toContain("big.bin");
    expect(names).toContain("link-in");
    expect(names).not.toContain("link-out");
    expect(names).not.toContain("dir-out");
    const big = entries.find((e) => e.fileName[0] === "big.bin")!;
    expect(big.sizeOfFile).toBe(BIG);
    expect(big.lastModified).toBeInstanceOf(Date);
    expect(await listFiles(c, "sub")).toMatchObject([{ fileName: ["sub/nested.txt"], sizeOfFile: 6 }]);
    await c.conclude();
  });

  it("a huge directory is paged (continueAfter) and the client collects every page", async () => {
    const c = await open();
    const first = await c.request({
      service: "fileDirectory",
      fileSpecification: ["many"],
      continueAfter: undefined,
    });
    if (first.service !== "fileDirectory") throw new Error();
    expect(first.moreFollows).toBe(true);
    expect(first.entries.length).toBeLessThanOrEqual(256);
    const all = await listFiles(c, "many");
    expect(all.length).toBe(3000);
    const names = all.map((e) => e.fileName[0]!);
    expect(new Set(names).size).toBe(3000);
    expect([...names].sort()).toEqual(names);
    await expect(listFiles(c, "many", { maxEntries: 1000 })).rejects.toThrow(/more than 1000/);
    await c.conclude();
  });

  it("out-of-range initialPosition is file/position-invalid, never data", async () => {
    const c = await open();
    const size = content.get("one.bin")!.length;
    const e = await serviceError(
      c.request({ service: "fileOpen", fileName: ["one.bin"], initialPosition: size + 1 }),
    );
    expect([e.errorClass, e.errorCode]).toEqual(["file", FileErrorCode.positionInvalid]);
    const e2 = await serviceError(
      c.request({ service: "fileOpen", fileName: ["one.bin"], initialPosition: 0xffff_ffff }),
    );
    expect(e2.errorCode).toBe(FileErrorCode.positionInvalid);
    // At the end: an empty read, moreFollows false.
    expect(await readFile(c, "one.bin", { initialPosition: size })).toEqual(new Uint8Array(0));
    const tail = await readFile(c, "exact1.bin", { initialPosition: ONE_PDU });
    expect(tail).toEqual(Uint8Array.from(content.get("exact1.bin")!.subarray(ONE_PDU)));
    expect(files.openFileCount).toBe(0);
    await c.conclude();
  });

  it("a client that opens files and never closes them hits the limit; all released when it goes", async () => {
    const fds = openFds();
    const c = await open();
    for (let i = 0; i < 4; i++)
      await c.request({ service: "fileOpen", fileName: ["one.bin"], initialPosition: 0 });
    const e = await serviceError(
      c.request({ service: "fileOpen", fileName: ["one.bin"], initialPosition: 0 }),
    );
    expect([e.errorClass, e.errorCode]).toEqual(["resource", 4]);
    expect(files.openFileCount).toBe(4);
    // Another association has its own FRSMs.
    const d = await open();
    expect(await readFile(d, "one.bin")).toEqual(Uint8Array.of(0x5a));
    await d.conclude();
    c.abort();
    await until(() => files.openFileCount === 0);
    await until(() => openFds() <= fds);
  });

  it("connection dropped mid-transfer: no FRSM or fs handle left on the server", async () => {
    const fds = openFds();
    const c = await open();
    let chunks = 0;
    await expect(
      (async () => {
        for await (const _ of downloadFile(c, "big.bin")) {
          if (++chunks === 3) c.association.destroy(new Error("cable pulled"));
        }
      })(),
    ).rejects.toThrow();
    await until(() => files.openFileCount === 0);
    await until(() => openFds() <= fds);
  });

  it("abort (signal) and early exit close the FRSM while the association lives on", async () => {
    const c = await open();
    const ac = new AbortController();
    let n = 0;
    await expect(
      (async () => {
        for await (const _ of downloadFile(c, "big.bin", { signal: ac.signal })) if (++n === 2) ac.abort();
      })(),
    ).rejects.toThrow();
    await until(() => files.openFileCount === 0);
    for await (const _ of downloadFile(c, "big.bin")) break;
    await until(() => files.openFileCount === 0);
    const r = await c.request({ service: "fileRead", frsmId: 1 }).catch((e: unknown) => e);
    expect(r).toBeInstanceOf(MmsServiceError);
    await c.conclude();
  });

  it("delete and rename follow the access policy and refuse clashes", async () => {
    const c = await open();
    writeFileSync(join(root, "tmp-a.txt"), "a");
    writeFileSync(join(root, "tmp-b.txt"), "b");
    const e = await serviceError(deleteFile(c, "keep.txt"));
    expect([e.errorClass, e.errorCode]).toEqual(["file", FileErrorCode.fileAccessDenied]);
    const dup = await serviceError(renameFile(c, "tmp-a.txt", "tmp-b.txt"));
    expect(dup.errorCode).toBe(FileErrorCode.duplicateFilename);
    const esc = await serviceError(renameFile(c, "tmp-a.txt", "../escaped.txt"));
    expect(esc.errorCode).toBe(FileErrorCode.filenameSyntaxError);
    await renameFile(c, "tmp-a.txt", "sub/tmp-c.txt");
    expect(await readFile(c, "sub/tmp-c.txt")).toEqual(new TextEncoder().encode("a"));
    await deleteFile(c, "sub/tmp-c.txt");
    await deleteFile(c, "tmp-b.txt");
    expect((await serviceError(deleteFile(c, "tmp-b.txt"))).errorCode).toBe(FileErrorCode.fileNonExistent);
    await c.conclude();
  });
});

describe("ObtainFile: the server fetches a file from the client on the same association", () => {
  let root: string;
  let local: string;
  let server: MmsServer;
  let files: FileServer;
  let port: number;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "mms-obtain-"));
    local = mkdtempSync(join(tmpdir(), "mms-local-"));
    writeFileSync(join(root, "taken.txt"), "x");
    files = new FileServer({ root, access: (_id, op, path) => op !== "write" || !path.startsWith("ro") });
    server = new MmsServer({ vmd: new Vmd({ vendorName: "A", modelName: "O", revision: "1" }), files });
    port = (
      await server.listen({
        plain: { host: "127.0.0.1", port: 0, policy: { mechanisms: [], insecureAllowUnauthenticated: true } },
      })
    ).plain!;
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(local, { recursive: true, force: true });
  });
  const open = () =>
    connect({
      transport: { kind: "insecure-tcp", host: "127.0.0.1", port },
      authentication: "insecure-none",
      requireServerAuthentication: false,
    });

  for (const size of [0, 1, ONE_PDU, 3 * 1024 * 1024 + 7]) {
    it(`uploads ${size} octets intact, then the client downloads them back`, async () => {
      const data = randomBytes(size);
      const path = join(local, `up-${size}.bin`);
      writeFileSync(path, data);
      const c = await open();
      let progress = 0;
      await putFile(c, path, `got-${size}.bin`, { onProgress: (n) => (progress = n) });
      expect(progress).toBe(size);
      expect(sha256(readFileSync(join(root, `got-${size}.bin`)))).toBe(sha256(data));
      expect(sha256(await readFile(c, `got-${size}.bin`))).toBe(sha256(data));
      expect(readdirSync(root).filter((n) => n.includes(".obtain-"))).toEqual([]);
      await c.conclude();
    });
  }

  it("refuses an existing destination, traversal, a write-protected name; leaves no temporary file", async () => {
    const path = join(local, "small.txt");
    writeFileSync(path, "small");
    const c = await open();
    const dup = await serviceError(putFile(c, path, "taken.txt"));
    expect([dup.errorClass, dup.errorCode]).toEqual(["file", FileErrorCode.duplicateFilename]);
    expect((await serviceError(putFile(c, path, "../evil.txt"))).errorCode).toBe(
      FileErrorCode.filenameSyntaxError,
    );
    expect((await serviceError(putFile(c, path, "ro-file.txt"))).errorCode).toBe(
      FileErrorCode.fileAccessDenied,
    );
    expect(readFileSync(join(root, "taken.txt"), "utf8")).toBe("x");
    expect(existsSync(join(root, "ro-file.txt"))).toBe(false);
    // Refused uploads leave nothing: the server still does not have the file.
    const other = await c
      .request({ service: "fileOpen", fileName: ["small.txt"], initialPosition: 0 })
      .catch((e: unknown) => e);
    expect(other).toBeInstanceOf(MmsServiceError);
    expect(readdirSync(root).filter((n) => n.includes(".obtain-"))).toEqual([]);
    await c.conclude();
  });

  it("connection dropped mid-ObtainFile: no handle left on either side, no partial file", async () => {
    const path = join(local, "drop.bin");
    writeFileSync(path, randomBytes(4 * 1024 * 1024));
    const fds = openFds();
    const c = await open();
    let reads = 0;
    await expect(
      putFile(c, path, "dropped.bin", {
        onProgress: () => {
          if (++reads === 3) c.association.destroy(new Error("cable pulled"));
        },
      }),
    ).rejects.toThrow();
    await until(() => readdirSync(root).filter((n) => n.includes("dropped")).length === 0);
    await until(() => openFds() <= fds);
    expect(files.openFileCount).toBe(0);
  });

  it("a client without a handler rejects the server's FileOpen: ObtainFile fails cleanly", async () => {
    const c = await open();
    const e = await serviceError(
      c.request({
        service: "obtainFile",
        sourceFileServer: undefined,
        sourceFile: ["a"],
        destinationFile: ["b"],
      }),
    );
    expect(e.errorClass).toBe("file");
    expect(existsSync(join(root, "b"))).toBe(false);
    expect(readdirSync(root).filter((n) => n.includes(".obtain-"))).toEqual([]);
    await c.conclude();
  });
});

describe("file server defaults", () => {
  it("rename is not offered unless enabled (unrecognized-service); delete denied by default", async () => {
    const root = mkdtempSync(join(tmpdir(), "mms-files-"));
    writeFileSync(join(root, "a.txt"), "a");
    const files = new FileServer({ root });
    const server = new MmsServer({ vmd: new Vmd({ vendorName: "A", modelName: "B", revision: "1" }), files });
    const { plain } = await server.listen({
      plain: { host: "127.0.0.1", port: 0, policy: { mechanisms: [], insecureAllowUnauthenticated: true } },
    });
    try {
      const c = await connect({
        transport: { kind: "insecure-tcp", host: "127.0.0.1", port: plain! },
        authentication: "insecure-none",
        requireServerAuthentication: false,
      });
      await expect(renameFile(c, "a.txt", "b.txt")).rejects.toBeInstanceOf(MmsRejectError);
      const e = await serviceError(deleteFile(c, "a.txt"));
      expect([e.errorClass, e.errorCode]).toEqual(["file", FileErrorCode.fileAccessDenied]);
      await c.conclude();
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
