import { once } from "node:events";
import type { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { fromSocket } from "../src/node/index";
import { socketPair } from "./support";

/** Counts how the socket hands buffers to its handle: `_write` (one) or `_writev` (several). */
function spyWrites(sock: Socket): { singles: number; batches: number[] } {
  const seen = { singles: 0, batches: [] as number[] };
  const s = sock as unknown as {
    _write: (...a: unknown[]) => unknown;
    _writev: (chunks: unknown[], cb: unknown) => unknown;
  };
  const write = s._write.bind(sock);
  const writev = s._writev.bind(sock);
  s._write = (...a: unknown[]) => {
    seen.singles++;
    return write(...a);
  };
  s._writev = (chunks: unknown[], cb: unknown) => {
    seen.batches.push(chunks.length);
    return writev(chunks, cb);
  };
  return seen;
}

async function readBytes(sock: Socket, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  while (have < n) {
    const [d] = (await once(sock, "data")) as [Buffer];
    parts.push(d);
    have += d.length;
  }
  return Buffer.concat(parts);
}

describe("fromSocket write coalescing", () => {
  it("turns Nagle off", async () => {
    const { a, b, server } = await socketPair();
    let noDelay: boolean | undefined;
    const original = a.setNoDelay.bind(a);
    a.setNoDelay = (v?: boolean) => {
      noDelay = v;
      return original(v);
    };
    const stream = fromSocket(a);
    expect(noDelay).toBe(true);
    stream.destroy();
    b.destroy();
    server.close();
  });

  it("the first message of a tick leaves at once, the rest of the tick in one batch, in order", async () => {
    const { a, b, server } = await socketPair();
    const stream = fromSocket(a);
    const seen = spyWrites(a);
    const arrived = readBytes(b, 8 * 5 + 2 * 3);
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 8; i++) writes.push(stream.write([new Uint8Array(5).fill(i)]));
    // A small multi-piece chain is joined into one buffer, still in the same batch.
    writes.push(stream.write([Uint8Array.of(8, 8), Uint8Array.of(8)]));
    writes.push(stream.write([Uint8Array.of(9, 9), Uint8Array.of(9)]));
    // Only the first message reached the handle: the socket is corked until the tick ends.
    expect(seen.singles).toBe(1);
    expect(seen.batches).toEqual([]);
    await Promise.all(writes);
    const bytes = await arrived;
    expect(seen.singles).toBe(1);
    expect(seen.batches).toEqual([9]);
    const expected = [...Array.from({ length: 8 }, (_, i) => Array(5).fill(i)).flat(), 8, 8, 8, 9, 9, 9];
    expect([...bytes]).toEqual(expected);
    stream.destroy();
    b.destroy();
    server.close();
  });

  it("each tick gets its own batch (the cork is re-armed)", async () => {
    const { a, b, server } = await socketPair();
    const stream = fromSocket(a);
    const seen = spyWrites(a);
    const arrived = readBytes(b, 5);
    await stream.write([Uint8Array.of(1)]);
    await new Promise((r) => setImmediate(r));
    await Promise.all([2, 3, 4].map((v) => stream.write([Uint8Array.of(v)])));
    await new Promise((r) => setImmediate(r));
    await stream.write([Uint8Array.of(5)]);
    expect([...(await arrived)]).toEqual([1, 2, 3, 4, 5]);
    // 1, 2 and 5 open their tick; 3 and 4 follow 2 in one batch.
    expect(seen.singles).toBe(3);
    expect(seen.batches).toEqual([2]);
    stream.destroy();
    b.destroy();
    server.close();
  });

  it("a long chain leaves in one batch even as the first write of its tick", async () => {
    const { a, b, server } = await socketPair();
    const stream = fromSocket(a);
    const seen = spyWrites(a);
    const pieces = Array.from({ length: 6 }, (_, i) => new Uint8Array(2000).fill(i));
    const arrived = readBytes(b, 12_000);
    await stream.write(pieces);
    const bytes = await arrived;
    expect(seen.singles).toBe(0);
    expect(seen.batches).toEqual([6]);
    for (let i = 0; i < 6; i++) expect(bytes[i * 2000]).toBe(i);
    stream.destroy();
    b.destroy();
    server.close();
  });

  it("a corked burst larger than the socket buffer waits for 'drain' and keeps order", async () => {
    const { a, b, server } = await socketPair();
    const stream = fromSocket(a);
    b.pause();
    const chunk = 256 * 1024;
    const n = 64;
    let settled = 0;
    const writes: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      const c = new Uint8Array(chunk).fill(i);
      // Large chains are written piece by piece under the same cork.
      writes.push(stream.write([c.subarray(0, 10), c.subarray(10)]).then(() => void settled++));
    }
    // The peer reads nothing: the kernel buffers fill and the last writes stay pending.
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBeLessThan(n);
    expect(a.writableLength).toBeGreaterThan(0);
    b.resume();
    const bytes = await readBytes(b, chunk * n);
    await Promise.all(writes);
    expect(settled).toBe(n);
    for (let i = 0; i < n; i++) {
      expect(bytes[i * chunk]).toBe(i);
      expect(bytes[i * chunk + chunk - 1]).toBe(i);
    }
    stream.destroy();
    b.destroy();
    server.close();
  });

  it("destroy() right after writes in the same tick still sends them", async () => {
    const { a, b, server } = await socketPair();
    const stream = fromSocket(a);
    const parts: Buffer[] = [];
    b.on("data", (d: Buffer) => parts.push(d));
    const closed = once(b, "close");
    void stream.write([Uint8Array.of(1)]);
    void stream.write([Uint8Array.of(2, 3)]).catch(() => undefined);
    stream.destroy();
    await closed;
    expect([...Buffer.concat(parts)]).toEqual([1, 2, 3]);
    server.close();
  });

  it("end() after writes in the same tick delivers them before the FIN", async () => {
    const { a, b, server } = await socketPair();
    const stream = fromSocket(a);
    const parts: Buffer[] = [];
    b.on("data", (d: Buffer) => parts.push(d));
    const ended = once(b, "end");
    void stream.write([Uint8Array.of(1, 2)]);
    void stream.write([Uint8Array.of(3)]);
    await stream.end();
    await ended;
    expect([...Buffer.concat(parts)]).toEqual([1, 2, 3]);
    b.destroy();
    server.close();
  });

  it("answers written while one received chunk is handed over leave as one batch when it returns", async () => {
    const { a, b, server } = await socketPair();
    const stream = fromSocket(a);
    const seen = spyWrites(a);
    let atReturn: { singles: number; batches: number } | undefined;
    stream.subscribe?.({
      onChunk: (chunk) => {
        // Three answers per received chunk: the first leaves at once, the others are held.
        for (let i = 0; i < 3; i++) void stream.write([Uint8Array.of(chunk[0]!, i)]);
        atReturn = { singles: seen.singles, batches: seen.batches.length };
        return true;
      },
      onEnd: () => undefined,
    });
    b.write(Uint8Array.of(7));
    const bytes = await readBytes(b, 2 * 3);
    expect(atReturn).toEqual({ singles: 1, batches: 0 });
    expect(seen.singles).toBe(1);
    expect(seen.batches).toEqual([2]);
    expect([...bytes]).toEqual([7, 0, 7, 1, 7, 2]);
    // Writes outside a delivery follow the per-tick rule again.
    void stream.write([Uint8Array.of(1, 1, 1)]);
    void stream.write([Uint8Array.of(2, 2, 2, 2)]);
    expect(seen.singles).toBe(2);
    expect([...(await readBytes(b, 7))]).toEqual([1, 1, 1, 2, 2, 2, 2]);
    stream.destroy();
    b.destroy();
    server.close();
  });
});
