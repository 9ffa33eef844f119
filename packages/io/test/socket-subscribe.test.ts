import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { TransportUsageError } from "../src/index";
import { fromSocket } from "../src/node/index";
import { socketPair } from "./support";

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

describe("fromSocket subscribe (synchronous reader)", () => {
  it("hands over chunks that arrived before, then each new chunk, in order, then the end once", async () => {
    const { a, b, server } = await socketPair();
    const stream = fromSocket(a);
    b.write(Buffer.from([1, 2]));
    await until(() => a.bytesRead >= 2, "first bytes read");
    const got: number[] = [];
    const ends: (Error | undefined)[] = [];
    stream.subscribe!({
      onChunk: (c) => {
        got.push(...c);
        return true;
      },
      onEnd: (e) => ends.push(e),
    });
    // Handed over synchronously, inside subscribe().
    expect(got).toEqual([1, 2]);
    b.write(Buffer.from([3]));
    await until(() => got.length === 3, "third byte");
    b.end(Buffer.from([4, 5]));
    await stream.closed;
    expect(got).toEqual([1, 2, 3, 4, 5]);
    expect(ends).toEqual([undefined]);
    expect(() => stream.subscribe!({ onChunk: () => true, onEnd: () => undefined })).toThrow(
      TransportUsageError,
    );
    server.close();
  });

  it("a reader returning false pauses the socket until resume()", async () => {
    const { a, b, server } = await socketPair();
    const stream = fromSocket(a);
    let have = 0;
    let accept = false;
    const sub = stream.subscribe!({
      onChunk: (c) => {
        have += c.length;
        return accept;
      },
      onEnd: () => undefined,
    });
    const total = 8 * 1024 * 1024;
    let written = 0;
    const chunk = Buffer.alloc(64 * 1024, 1);
    const writer = (async () => {
      while (written < total) {
        written += chunk.length;
        if (!b.write(chunk)) await once(b, "drain");
      }
    })();
    await until(() => a.isPaused(), "socket paused");
    const seen = have;
    await new Promise((r) => setTimeout(r, 30));
    expect(have).toBe(seen);
    expect(have).toBeLessThan(total);
    accept = true;
    sub.resume();
    await writer;
    await until(() => have === total, "every byte");
    stream.destroy();
    b.destroy();
    server.close();
  });

  it("a throwing reader destroys the stream, not the process", async () => {
    const { a, b, server } = await socketPair();
    const stream = fromSocket(a);
    const ends: (Error | undefined)[] = [];
    stream.subscribe!({
      onChunk: () => {
        throw new Error("reader bug");
      },
      onEnd: (e) => ends.push(e),
    });
    b.write(Buffer.from([1]));
    await stream.closed;
    expect(ends.length).toBe(1);
    expect(ends[0]?.message).toBe("reader bug");
    b.destroy();
    server.close();
  });
});
