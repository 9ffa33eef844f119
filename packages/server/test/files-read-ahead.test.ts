import { randomBytes } from "node:crypto";
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeMmsPdu, encodeMmsPdu } from "@mms/pdu";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The client is a sibling package without a dependency edge to the server: import its source.
import { connect, downloadFile, type MmsClient, readFile } from "../../client/src/index";
import { FileServer, MmsServer, Vmd } from "../src/index";

/** FileRead data of one response with the negotiated 65000 (READ_OVERHEAD 32). */
const ONE_PDU = 65000 - 32;
/** Chunks per fs read and most chunks held ahead (file-server.ts). */
const BATCH = 4;
const DEPTH = 6;

/** Descriptors of this process open on files under `dir` (the FRSMs' handles). */
function fileFds(dir: string): number {
  return readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir);
    } catch {
      return false; // closed meanwhile (the directory's own descriptor)
    }
  }).length;
}

/** Established TCP connections to or from `port` on this host (/proc/net/tcp, state 01). */
function establishedOn(port: number): number {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  return readFileSync("/proc/self/net/tcp", "utf8")
    .split("\n")
    .slice(1)
    .filter((line) => {
      const f = line.trim().split(/\s+/);
      return f[3] === "01" && (f[1]?.endsWith(hex) || f[2]?.endsWith(hex));
    }).length;
}

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 10));
  }
}

// The read-ahead reads BATCH chunks with one preadv into one buffer each: the data of every
// chunk, the chunk where a batch ends, a file ending inside a batch and the FRSM's handle.
describe("FileServer read-ahead in batches (one fs read per several FileReads)", () => {
  let root: string;
  let server: MmsServer;
  let files: FileServer;
  let port: number;
  /** Sizes around the ends of the first batches (in chunks) and around a chunk. */
  const sizes = [
    0,
    1,
    ONE_PDU - 1,
    ONE_PDU,
    ONE_PDU + 1,
    ...[BATCH - 1, BATCH, BATCH + 1, DEPTH, 2 * BATCH, 2 * BATCH + 1, 3 * BATCH].flatMap((k) => [
      k * ONE_PDU - 1,
      k * ONE_PDU,
      k * ONE_PDU + 1,
    ]),
  ];
  const content = new Map<number, Uint8Array>();

  beforeAll(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), "mms-read-ahead-")));
    for (const n of sizes) {
      const data = randomBytes(n);
      content.set(n, data);
      writeFileSync(join(root, `f${n}.bin`), data);
    }
    files = new FileServer({ root });
    server = new MmsServer({ vmd: new Vmd(), files });
    const ports = await server.listen({
      plain: { host: "127.0.0.1", port: 0, policy: { mechanisms: [], insecureAllowUnauthenticated: true } },
    });
    port = ports.plain!;
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  const open = (): Promise<MmsClient> =>
    connect({
      transport: { kind: "insecure-tcp", host: "127.0.0.1", port },
      authentication: "insecure-none",
      requireServerAuthentication: false,
      initiate: { maxServOutstandingCalling: 8 },
    });

  it("FileRead data sits in a buffer of its own with room for its PDU: encoded without a copy", async () => {
    const session = files.open({ associationId: 1, identity: undefined, maxPduSize: 65000 });
    try {
      const n = 2 * BATCH * ONE_PDU + 1;
      const o = await session.handle({ service: "fileOpen", fileName: [`f${n}.bin`], initialPosition: 0 });
      if (o.service !== "fileOpen") throw new Error();
      const data = content.get(n)!;
      let at = 0;
      for (let invokeId = 1; ; invokeId++) {
        const r = await session.handle({ service: "fileRead", frsmId: o.frsmId });
        if (r.service !== "fileRead") throw new Error();
        const bytes = encodeMmsPdu({ type: "confirmedResponse", invokeId, response: r });
        expect(bytes.buffer).toBe(r.fileData.buffer); // written around the data, in place
        expect(bytes.length).toBeLessThanOrEqual(65000);
        const back = decodeMmsPdu(bytes);
        if (back.type !== "confirmedResponse" || back.response.service !== "fileRead") throw new Error();
        expect(
          Buffer.from(back.response.fileData).equals(Buffer.from(data.subarray(at, at + r.fileData.length))),
        ).toBe(true);
        expect(back.response.moreFollows).toBe(r.moreFollows);
        at += r.fileData.length;
        if (!r.moreFollows) break;
      }
      expect(at).toBe(n);
      await session.handle({ service: "fileClose", frsmId: o.frsmId });
    } finally {
      session.close();
    }
  });

  it("every size around a batch end, from any initial position, with 1 to 8 FileReads in flight", async () => {
    const c = await open();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...sizes),
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (n, readAhead, startAt) => {
          const data = content.get(n)!;
          const initialPosition = Math.floor(startAt * n);
          const got = await readFile(c, `f${n}.bin`, { readAhead, initialPosition });
          expect(Buffer.from(got).equals(Buffer.from(data.subarray(initialPosition)))).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
    // Each size whole with the deepest pipeline as well.
    for (const n of sizes) {
      const got = await readFile(c, `f${n}.bin`, { readAhead: 8 });
      expect(got.length).toBe(n);
      expect(Buffer.from(got).equals(Buffer.from(content.get(n)!))).toBe(true);
    }
    await until(() => files.openFileCount === 0);
    await c.conclude();
  });

  it("responses carry full chunks until the last (no short chunk where a batch ends)", async () => {
    const c = await open();
    const n = 3 * BATCH * ONE_PDU + 1;
    const lengths: number[] = [];
    for await (const chunk of downloadFile(c, `f${n}.bin`, { readAhead: 8 })) lengths.push(chunk.length);
    expect(lengths).toEqual([...new Array<number>(3 * BATCH).fill(ONE_PDU), 1]);
    await c.conclude();
  });

  it("reads the file with one fs call per batch of FileReads", async () => {
    const store = files.store;
    const openRead = store.openRead.bind(store);
    const calls = { read: 0, readv: 0 };
    store.openRead = async (name) => {
      const f = await openRead(name);
      const { handle } = f;
      const read = handle.read.bind(handle);
      const readv = handle.readv.bind(handle);
      handle.read = ((...a: Parameters<typeof read>) => {
        calls.read++;
        return read(...a);
      }) as typeof handle.read;
      handle.readv = ((...a: Parameters<typeof readv>) => {
        calls.readv++;
        return readv(...a);
      }) as typeof handle.readv;
      return f;
    };
    try {
      const c = await open();
      const n = 3 * BATCH * ONE_PDU;
      const got = await readFile(c, `f${n}.bin`, { readAhead: 8 });
      expect(got.length).toBe(n);
      await c.conclude();
    } finally {
      store.openRead = openRead;
    }
    expect(calls).toEqual({ read: 0, readv: 3 });
  });

  it("a download stopped mid-batch releases the FRSM and its handle once its reads are over", async () => {
    const c = await open();
    const n = 3 * BATCH * ONE_PDU;
    let got = 0;
    for await (const chunk of downloadFile(c, `f${n}.bin`, { readAhead: 8 })) {
      got += chunk.length;
      if (got >= (BATCH + 1) * ONE_PDU) break; // read-ahead of the next batch is in flight
    }
    await until(() => files.openFileCount === 0);
    await until(() => fileFds(root) === 0);
    await c.conclude();
  });

  it("an association aborted while batches are being read closes every FRSM it held", async () => {
    const c = await open();
    const n = 3 * BATCH * ONE_PDU;
    const its = [0, 1, 2].map(() => downloadFile(c, `f${n}.bin`, { readAhead: 3 })[Symbol.asyncIterator]());
    await Promise.all(its.map((it) => it.next()));
    expect(files.openFileCount).toBe(3);
    expect(fileFds(root)).toBe(3);
    c.abort();
    await Promise.allSettled(its.map((it) => it.next()));
    await until(() => files.openFileCount === 0);
    await until(() => fileFds(root) === 0);
    // The association itself is gone on both ends: no server association, no open connection.
    await until(() => server.associations.size === 0);
    await until(() => establishedOn(port) === 0);
  });
});
