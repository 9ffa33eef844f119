import { type ByteStream, memoryPair } from "@mms/io";
import { describe, expect, it } from "vitest";
import {
  acceptCotp,
  type CotpConnection,
  CotpError,
  connect,
  decodeTpdu,
  encodeConnect,
  encodeData,
  listen,
  openCotp,
  type Tpdu,
  TpktFramer,
} from "../src/index";
import { fromHex, toHex, vectorBytes } from "./support";

/** Reads TPDUs a raw peer receives. */
function rawReader(stream: ByteStream): { next(): Promise<Tpdu | undefined> } {
  const framer = new TpktFramer();
  const it = stream[Symbol.asyncIterator]();
  const pending: Uint8Array[] = [];
  return {
    async next() {
      while (!pending.length) {
        const r = await it.next().catch(() => ({ done: true as const, value: undefined }));
        if (r.done) return undefined;
        pending.push(...framer.push(r.value));
      }
      return decodeTpdu(pending.shift()!);
    },
  };
}

async function pair(opts: { size?: number; maxTsduSize?: number } = {}) {
  const [a, b] = memoryPair();
  const [client, server] = await Promise.all([
    openCotp(a, { ...(opts.size ? { maxTpduSize: opts.size } : {}) }),
    acceptCotp(b, { ...(opts.maxTsduSize ? { maxTsduSize: opts.maxTsduSize } : {}) }),
  ]);
  return { client, server, a, b };
}

describe("openCotp / acceptCotp over a memory pair", () => {
  it("negotiates, then carries TSDUs both ways with boundaries kept", async () => {
    const { client, server } = await pair();
    expect(client.params.tpduSize).toBe(8192);
    expect(toHex(server.params.calledTsap!)).toBe("0001");
    await client.send([fromHex("0102"), fromHex("03")]);
    await client.send([new Uint8Array(0)]);
    const it = server[Symbol.asyncIterator]();
    expect(toHex((await it.next()).value!)).toBe("010203");
    expect((await it.next()).value!.length).toBe(0);
    await server.send([fromHex("ff")]);
    expect(toHex((await client[Symbol.asyncIterator]().next()).value!)).toBe("ff");
    await client.close();
  });

  it("segments a 60 000-octet TSDU at TPDU size 128 and reassembles it", async () => {
    const { client, server } = await pair({ size: 128 });
    expect(server.params.tpduSize).toBe(128);
    const big = new Uint8Array(60_000).map((_, i) => i * 7);
    void client.send([big]);
    const got = (await server[Symbol.asyncIterator]().next()).value!;
    expect(got.length).toBe(big.length);
    expect(toHex(got.subarray(59_990))).toBe(toHex(big.subarray(59_990)));
    client.destroy();
  });

  it("close() sends DR: the peer's iteration ends and it sees a remote close", async () => {
    const { client, server } = await pair();
    await client.send([fromHex("aa")]);
    await client.close();
    const got: string[] = [];
    for await (const m of server) got.push(toHex(m));
    expect(got).toEqual(["aa"]);
    expect(await client.closed).toEqual({ reason: "local", error: undefined });
    expect(await server.closed).toEqual({ reason: "remote", error: undefined });
    await expect(client.send([fromHex("00")])).rejects.toMatchObject({ code: "not-connected" });
  });

  it("a peer that just closes the byte stream (RFC 1006 release) ends the connection as remote", async () => {
    const { server, a } = await pair();
    await a.end();
    for await (const _ of server);
    expect((await server.closed).reason).toBe("remote");
  });

  it("a refused CR rejects both sides with CotpError refused and the DR reason", async () => {
    const [a, b] = memoryPair();
    const [c, s] = await Promise.allSettled([openCotp(a), acceptCotp(b, { accept: () => 2 })]);
    expect(c.status === "rejected" && c.reason).toMatchObject({ code: "refused", drReason: 2 });
    expect(s.status === "rejected" && s.reason).toMatchObject({ code: "refused", drReason: 2 });
  });

  it("acceptCotp rejects with timeout when no CR arrives in time, and closes the stream", async () => {
    const [, b] = memoryPair();
    await expect(acceptCotp(b, { timeoutMs: 20 })).rejects.toMatchObject({ code: "timeout" });
    await b.closed;
  });

  it("openCotp rejects with timeout when no CC arrives in time", async () => {
    const [a, b] = memoryPair();
    const peer = rawReader(b);
    const p = openCotp(a, { timeoutMs: 20 });
    expect((await peer.next())?.type).toBe("CR");
    await expect(p).rejects.toMatchObject({ code: "timeout" });
  });

  it("openCotp rejects with the abort reason", async () => {
    const [a] = memoryPair();
    const ac = new AbortController();
    const p = openCotp(a, { signal: ac.signal });
    const reason = new Error("user abort");
    ac.abort(reason);
    await expect(p).rejects.toBe(reason);
    await a.closed;
  });

  it("a second CR in the data phase → ER, and the iterator throws the CotpError", async () => {
    const [a, b] = memoryPair();
    const peer = rawReader(a);
    const accepted = acceptCotp(b);
    await a.write([vectorBytes("V01")]);
    const server = await accepted;
    expect((await peer.next())?.type).toBe("CC");
    await a.write([vectorBytes("V01")]);
    await expect(server[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: "unexpected-tpdu" });
    expect(await peer.next()).toMatchObject({ type: "ER", cause: 2 });
    expect((await server.closed).reason).toBe("error");
  });

  it("a TPKT larger than the negotiated size is refused with ER before it is buffered", async () => {
    const [a, b] = memoryPair();
    const peer = rawReader(a);
    const accepted = acceptCotp(b);
    await a.write([vectorBytes("V46a")]); // proposes 128
    const server = await accepted;
    await peer.next();
    await a.write([fromHex("0300ffff02f080")]);
    const info = await server.closed;
    expect(info.error).toBeInstanceOf(CotpError);
    expect((info.error as CotpError).code).toBe("tpkt-length");
    expect(await peer.next()).toMatchObject({ type: "ER", cause: 0 });
  });

  it("a slow reader stops the connection from reading its stream (backpressure)", async () => {
    const [a, b] = memoryPair({ highWaterMark: 4 });
    const [client, server] = await Promise.all([openCotp(a), acceptCotp(b)]);
    let sent = 0;
    const sends = Array.from({ length: 200 }, () => client.send([new Uint8Array(100)]).then(() => sent++));
    // In memory every step is a promise job: after a few turns of the event loop all progress
    // that can happen has happened.
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    // Nobody reads on the server: its inbox filled, it stopped pulling the stream, the sender waits.
    expect(sent).toBeLessThan(sends.length);
    let received = 0;
    for await (const _ of server) if (++received === sends.length) break;
    await Promise.all(sends);
    expect(sent).toBe(sends.length);
    client.destroy();
  });

  it("idleTimeoutMs closes a connection on which no TPDU arrives", async () => {
    const [a, b] = memoryPair();
    const [client, server] = await Promise.all([openCotp(a), acceptCotp(b, { idleTimeoutMs: 30 })]);
    const info = await server.closed;
    expect(info.reason).toBe("error");
    expect((info.error as CotpError).code).toBe("idle-timeout");
    await client.closed;
  });

  it("idleTimeoutMs counts TPDUs as activity on the synchronous (socket) path, and closes once they stop", async () => {
    let server: CotpConnection | undefined;
    const listener = await listen({ host: "127.0.0.1", port: 0, idleTimeoutMs: 500 }, (c) => {
      server = c;
      c.subscribe?.({ onChunk: () => true, onEnd: () => undefined });
    });
    const client = await connect({ host: "127.0.0.1", port: listener.address().port });
    let closed = false;
    // One whole-DT TSDU every 40 ms for 1 s: two idle periods, never 500 ms of silence.
    for (let i = 0; i < 25; i++) {
      await client.send([Uint8Array.of(i)]);
      await new Promise((r) => setTimeout(r, 40));
      void server?.closed.then(() => {
        closed = true;
      });
    }
    expect(server).toBeDefined();
    expect(closed).toBe(false);
    // Silence: now the server gives up.
    const info = await server!.closed;
    expect(info.reason).toBe("error");
    expect((info.error as CotpError).code).toBe("idle-timeout");
    client.destroy();
    await listener.close();
  });

  it("idleTimeoutMs does not blame the peer for our slow reader", async () => {
    const [a, b] = memoryPair();
    const [client, server] = await Promise.all([openCotp(a), acceptCotp(b, { idleTimeoutMs: 40 })]);
    const sends = Array.from({ length: 40 }, (_, i) => client.send([new Uint8Array([i])]));
    let closed = false;
    void server.closed.then(() => {
      closed = true;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(closed).toBe(false);
    let n = 0;
    for await (const _ of server) if (++n === 40) break;
    await Promise.all(sends);
    client.destroy();
  });

  it("leaving a for-await early keeps the connection and the following TSDUs", async () => {
    const { client, server } = await pair();
    for (const b of [1, 2, 3]) await client.send([new Uint8Array([b])]);
    for await (const m of server) {
      expect(m[0]).toBe(1);
      break;
    }
    const rest: number[] = [];
    for await (const m of server) {
      rest.push(m[0]!);
      if (rest.length === 2) break;
    }
    expect(rest).toEqual([2, 3]);
    await client.close();
  });

  it("destroy() closes both directions at once", async () => {
    const { client, server } = await pair();
    client.destroy(new Error("bye"));
    expect((await client.closed).reason).toBe("error");
    expect((await server.closed).reason).toBe("remote");
  });

  it("a peer that sends DTs right behind the CC in one chunk loses nothing", async () => {
    const [a, b] = memoryPair();
    const raw = rawReader(b);
    const opening = openCotp(a);
    expect((await raw.next())?.type).toBe("CR");
    const cc = encodeConnect("CC", { dstRef: 1, srcRef: 1, tpduSize: 1024 });
    const chunk = new Uint8Array(cc.length + 23);
    chunk.set(cc);
    chunk.set(encodeData(fromHex("01020304050607"), true), cc.length);
    chunk.set(encodeData(fromHex("0809"), true), cc.length + 14);
    await b.write([chunk]);
    const client = await opening;
    const it = client[Symbol.asyncIterator]();
    expect(toHex((await it.next()).value!)).toBe("01020304050607");
    expect(toHex((await it.next()).value!)).toBe("0809");
    client.destroy();
  });
});
