import { once } from "node:events";
import { createServer, type Socket, connect as netConnect } from "node:net";
import { memoryPair } from "@mms/io";
import { fromSocket } from "@mms/io/node";
import { describe, expect, it } from "vitest";
import { acceptCotp, CotpUsageError, openCotp } from "../src/index";

const tick = () => new Promise((r) => setTimeout(r, 5));

async function memoryConnections() {
  const [a, b] = memoryPair();
  const [client, server] = await Promise.all([openCotp(a), acceptCotp(b)]);
  return { client, server };
}

describe("CotpConnection.subscribe (synchronous TSDU reader)", () => {
  it("hands over TSDUs received before, then each new one, in order; ends once on close", async () => {
    const { client, server } = await memoryConnections();
    await client.send([Uint8Array.of(1)]);
    await tick();
    const got: number[] = [];
    const ends: (Error | undefined)[] = [];
    server.subscribe!({
      onChunk: (m) => {
        got.push(...m);
        return true;
      },
      onEnd: (e) => ends.push(e),
    });
    expect(got).toEqual([1]);
    await client.send([Uint8Array.of(2), Uint8Array.of(3)]);
    await client.send([Uint8Array.of(4)]);
    await tick();
    expect(got).toEqual([1, 2, 3, 4]);
    await client.close();
    expect((await server.closed).reason).toBe("remote");
    expect(ends).toEqual([undefined]);
    expect(() => server.subscribe!({ onChunk: () => true, onEnd: () => undefined })).toThrow(CotpUsageError);
  });

  it("a reader returning false stops reading until resume()", async () => {
    const { client, server } = await memoryConnections();
    let accept = false;
    const got: number[] = [];
    const sub = server.subscribe!({
      onChunk: (m) => {
        got.push(m[0]!);
        return accept;
      },
      onEnd: () => undefined,
    });
    for (let i = 0; i < 5; i++) await client.send([Uint8Array.of(i)]);
    await tick();
    expect(got).toEqual([0]);
    accept = true;
    sub.resume();
    await tick();
    expect(got).toEqual([0, 1, 2, 3, 4]);
    await client.close();
  });

  it("over TCP (a stream with subscribe): TSDUs split across chunks arrive whole, in order", async () => {
    const net = createServer();
    net.listen(0, "127.0.0.1");
    await once(net, "listening");
    const port = (net.address() as { port: number }).port;
    const accepted = once(net, "connection") as Promise<[Socket]>;
    const sock = netConnect(port, "127.0.0.1");
    await once(sock, "connect");
    const [peer] = await accepted;
    const [client, server] = await Promise.all([
      openCotp(fromSocket(sock), { maxTpduSize: 128 }),
      acceptCotp(fromSocket(peer)),
    ]);
    const got: Uint8Array[] = [];
    server.subscribe!({
      onChunk: (m) => {
        got.push(m);
        return true;
      },
      onEnd: () => undefined,
    });
    const big = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
    await client.send([big]);
    await client.send([Uint8Array.of(9)]);
    for (let i = 0; i < 100 && got.length < 2; i++) await tick();
    expect(got.map((m) => m.length)).toEqual([1000, 1]);
    expect([...got[0]!]).toEqual([...big]);
    await client.close();
    net.close();
  });
});
