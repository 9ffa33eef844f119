import { describe, expect, it } from "vitest";
import { chainLength, concatChain, memoryPair, TransportClosedError } from "../src/index";

async function readN(it: AsyncIterator<Uint8Array>, n: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let have = 0;
  while (have < n) {
    const r = await it.next();
    if (r.done) break;
    parts.push(r.value);
    have += r.value.length;
  }
  return concatChain(parts);
}

describe("memoryPair", () => {
  it("what one side writes the other reads, in order, copied", async () => {
    const [a, b] = memoryPair();
    const src = new Uint8Array([1, 2, 3]);
    await a.write([src, new Uint8Array([4]), new Uint8Array(0)]);
    src[0] = 99;
    const got = await readN(b[Symbol.asyncIterator](), 4);
    expect([...got]).toEqual([1, 2, 3, 4]);
    await b.write([new Uint8Array([5])]);
    expect([...(await readN(a[Symbol.asyncIterator](), 1))]).toEqual([5]);
  });

  it("a write waits while the reader lags (backpressure) and resumes when it reads", async () => {
    const [a, b] = memoryPair({ highWaterMark: 2 });
    let done = false;
    const w = a.write([new Uint8Array(1), new Uint8Array(1), new Uint8Array(1)]).then(() => {
      done = true;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(done).toBe(false);
    const it = b[Symbol.asyncIterator]();
    await it.next();
    await it.next();
    await w;
    expect(done).toBe(true);
  });

  it("end on one side ends both iterations after the queued bytes and settles closed", async () => {
    const [a, b] = memoryPair();
    await a.write([new Uint8Array([1])]);
    await a.end();
    const got: number[] = [];
    for await (const c of b) got.push(...c);
    expect(got).toEqual([1]);
    await a.closed;
    await b.closed;
    await expect(b.write([new Uint8Array([1])])).rejects.toBeInstanceOf(TransportClosedError);
  });

  it("destroy with a reason makes the local reader throw it; the peer sees an end", async () => {
    const [a, b] = memoryPair();
    const boom = new Error("boom");
    a.destroy(boom);
    await expect(a[Symbol.asyncIterator]().next()).rejects.toBe(boom);
    expect((await b[Symbol.asyncIterator]().next()).done).toBe(true);
  });

  it("a writer blocked on backpressure is released with TransportClosedError when its side closes", async () => {
    const [a] = memoryPair({ highWaterMark: 1 });
    const w = a.write([new Uint8Array(1), new Uint8Array(1)]);
    a.destroy();
    await expect(w).rejects.toBeInstanceOf(TransportClosedError);
  });

  it("chain helpers", () => {
    const one = new Uint8Array([1, 2]);
    expect(concatChain([one])).toBe(one);
    expect([...concatChain([one, new Uint8Array([3])])]).toEqual([1, 2, 3]);
    expect(chainLength([one, new Uint8Array(5)])).toBe(7);
  });
});
