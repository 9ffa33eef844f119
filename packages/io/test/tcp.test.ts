import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { createServer, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { socketPair } from "./support";
import { type ByteStream, TransportTimeoutError } from "../src/index";
import { connectTcp, fromSocket, KEEPALIVE_IDLE_MS, listenTcp } from "../src/node/index";

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

async function collect(stream: ByteStream, n: number): Promise<number> {
  let have = 0;
  for await (const c of stream) {
    have += c.length;
    if (have >= n) break;
  }
  return have;
}

/** The kernel's view of one local TCP port (`ss`, iproute2), or undefined without `ss`. */
function ssOf(localPort: number): string | undefined {
  try {
    return execFileSync("ss", ["-tnoH", "state", "established", `( sport = :${localPort} )`]).toString();
  } catch {
    return undefined;
  }
}

describe("fromSocket", () => {
  it("turns TCP keep-alive on, so a peer that vanished silently is noticed (both ends)", async (ctx) => {
    const { a, b, server } = await socketPair();
    try {
      fromSocket(a);
      fromSocket(b);
      const ours = ssOf(a.localPort!);
      const theirs = ssOf(b.localPort!);
      if (ours === undefined || theirs === undefined) return ctx.skip(); // no iproute2: nothing to ask
      // ss prints the armed timer: "timer:(keepalive,<time left>,0)".
      expect(ours).toMatch(/timer:\(keepalive,/);
      expect(theirs).toMatch(/timer:\(keepalive,/);
      expect(KEEPALIVE_IDLE_MS).toBe(10_000);
      // A raw socket without fromSocket has no such timer (the check can tell).
      const raw = await socketPair();
      expect(ssOf(raw.a.localPort!)).not.toMatch(/keepalive/);
      raw.a.destroy();
      raw.b.destroy();
      raw.server.close();
    } finally {
      a.destroy();
      b.destroy();
      server.close();
    }
  });

  it("a slow reader stops socket reads (backpressure), then every byte arrives", async () => {
    let serverSocket: Socket | undefined;
    const server = createServer((s) => {
      serverSocket = s;
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const port = (server.address() as { port: number }).port;
    try {
      const client = await connectTcp({ host: "127.0.0.1", port });
      await until(() => serverSocket !== undefined, "accept");
      const sock = serverSocket!;
      const stream = fromSocket(sock);
      const total = 32 * 1024 * 1024;
      const chunk = new Uint8Array(1024 * 1024).fill(7);
      let written = false;
      const writes = (async () => {
        for (let sent = 0; sent < total; sent += chunk.length) await client.write([chunk]);
        written = true;
      })();
      // Nobody reads: the adapter pauses the socket and the writer stops making progress.
      await until(() => sock.isPaused(), "socket paused");
      const readWhilePaused = sock.bytesRead;
      expect(readWhilePaused).toBeLessThan(total);
      expect(written).toBe(false);
      // Reading resumes the socket and everything arrives.
      expect(await collect(stream, total)).toBe(total);
      await writes;
      expect(written).toBe(true);
      await client.end();
      stream.destroy();
    } finally {
      server.close();
    }
  });

  it("writes several chunks in order and reports transport info", async () => {
    const got: Promise<Uint8Array[]>[] = [];
    const listener = await listenTcp({ host: "127.0.0.1", port: 0 }, (s) => {
      got.push(
        (async () => {
          const parts: Uint8Array[] = [];
          for await (const c of s) parts.push(c);
          return parts;
        })(),
      );
    });
    const { port } = listener.address();
    const client = await connectTcp({ host: "127.0.0.1", port });
    expect(client.info.remotePort).toBe(port);
    expect(client.info.remoteAddress).toBe("127.0.0.1");
    expect(client.info.tls).toBeUndefined();
    await client.write([new Uint8Array([1, 2]), new Uint8Array([3]), new Uint8Array([4, 5])]);
    await client.end();
    await until(() => got.length === 1, "accepted");
    const bytes = (await got[0]!).flatMap((c) => [...c]);
    expect(bytes).toEqual([1, 2, 3, 4, 5]);
    await client.closed;
    await listener.close();
  });
});

describe("connectTcp", () => {
  it("rejects with the socket error when nobody listens", async () => {
    const l = await listenTcp({ host: "127.0.0.1", port: 0 }, () => {});
    const { port } = l.address();
    await l.close();
    await expect(connectTcp({ host: "127.0.0.1", port })).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("rejects with the abort reason", async () => {
    const ac = new AbortController();
    const reason = new Error("stop");
    ac.abort(reason);
    await expect(connectTcp({ host: "127.0.0.1", port: 9, signal: ac.signal })).rejects.toBe(reason);
  });

  it("rejects with TransportTimeoutError when the connect does not finish in time", async (ctx) => {
    // 10.255.255.1 is unroutable: the SYN goes nowhere. An immediate EHOSTUNREACH/ENETUNREACH is
    // accepted too; a sandbox that answers every address makes the case untestable here.
    const err = await connectTcp({ host: "10.255.255.1", port: 102, timeoutMs: 50 }).then(
      (s) => {
        s.destroy();
        return undefined;
      },
      (e: unknown) => e,
    );
    if (err === undefined) return ctx.skip();
    expect(err).toBeInstanceOf(Error);
    if (err instanceof TransportTimeoutError) expect(err.code).toBe("transport-timeout");
    else expect((err as { code?: string }).code).toMatch(/^E/);
  });
});

describe("listenTcp", () => {
  it("enforces maxConnections and counts open connections", async () => {
    const streams: ByteStream[] = [];
    const listener = await listenTcp({ host: "127.0.0.1", port: 0, maxConnections: 2 }, (s) => {
      streams.push(s);
    });
    const { port } = listener.address();
    const c1 = await connectTcp({ host: "127.0.0.1", port });
    const c2 = await connectTcp({ host: "127.0.0.1", port });
    await until(() => listener.connections === 2, "two accepted");
    const c3 = await connectTcp({ host: "127.0.0.1", port });
    // The third is closed by the server without data.
    let extra = 0;
    for await (const c of c3) extra += c.length;
    expect(extra).toBe(0);
    expect(listener.connections).toBe(2);
    expect(streams.length).toBe(2);
    // A slot frees up when one closes.
    c1.destroy();
    await until(() => listener.connections === 1, "one closed");
    const c4 = await connectTcp({ host: "127.0.0.1", port });
    await until(() => streams.length === 3, "fourth accepted");
    c2.destroy();
    c4.destroy();
    await listener.close();
    expect(listener.connections).toBe(0);
  });

  it("a throwing onStream closes only that connection", async () => {
    let n = 0;
    const listener = await listenTcp({ host: "127.0.0.1", port: 0 }, (s) => {
      n++;
      if (n === 1) throw new Error("handler bug");
      void s.write([new Uint8Array([42])]);
    });
    const { port } = listener.address();
    const bad = await connectTcp({ host: "127.0.0.1", port });
    for await (const _ of bad);
    const good = await connectTcp({ host: "127.0.0.1", port });
    const first = await good[Symbol.asyncIterator]().next();
    expect(first.value?.[0]).toBe(42);
    good.destroy();
    await listener.close();
  });

  it("close() destroys open connections", async () => {
    const listener = await listenTcp({ host: "127.0.0.1", port: 0 }, () => {});
    const c = await connectTcp({ host: "127.0.0.1", port: listener.address().port });
    await until(() => listener.connections === 1, "accepted");
    await listener.close();
    await c.closed;
  });
});
