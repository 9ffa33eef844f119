import { acceptAssociation, associate } from "@mms/acse-auth";
import { acceptCotp, openCotp } from "@mms/cotp";
import { type ChunkSink, type MessageChannel, memoryPair } from "@mms/io";
import { describe, expect, it } from "vitest";
import { INITIATE_REQUEST, INITIATE_RESPONSE, toHex } from "./support";

/**
 * A COTP connection seen through a wrapper that can make the transport end in the same
 * synchronous delivery as a TSDU (as when an RLRE and the TCP close arrive in one chunk).
 */
function endAfterNext(inner: MessageChannel): {
  channel: MessageChannel;
  arm(): void;
  subscribed(): boolean;
} {
  let armed = false;
  let subscribed = false;
  const channel: MessageChannel = {
    get info() {
      return inner.info;
    },
    closed: inner.closed,
    send: (m) => inner.send(m),
    close: () => inner.close(),
    destroy: (e) => inner.destroy(e),
    [Symbol.asyncIterator]: () => inner[Symbol.asyncIterator](),
    subscribe(sink: ChunkSink) {
      subscribed = true;
      return inner.subscribe!({
        onChunk: (m) => {
          const more = sink.onChunk(m);
          if (armed) sink.onEnd(undefined);
          return more;
        },
        onEnd: (e) => sink.onEnd(e),
      });
    },
  };
  return { channel, arm: () => (armed = true), subscribed: () => subscribed };
}

describe("association over a channel with synchronous delivery (subscribe)", () => {
  async function pair() {
    const [a, b] = memoryPair();
    const [clientCotp, serverCotp] = await Promise.all([openCotp(a), acceptCotp(b)]);
    const wrapped = endAfterNext(clientCotp);
    const [client, server] = await Promise.all([
      associate(wrapped.channel, {
        authentication: "insecure-none",
        userData: INITIATE_REQUEST,
        timeoutMs: 5000,
      }),
      acceptAssociation(serverCotp, {
        policy: { mechanisms: [], insecureAllowUnauthenticated: true },
        onRequest: () => INITIATE_RESPONSE,
      }),
    ]);
    return { client, server, wrapped };
  }

  it("data flows both ways through the synchronous path, in order", async () => {
    const { client, server, wrapped } = await pair();
    expect(wrapped.subscribed()).toBe(true);
    const echo = (async () => {
      for await (const m of server) await server.send([m]);
    })();
    const it = client[Symbol.asyncIterator]();
    for (let i = 0; i < 20; i++) void client.send([Uint8Array.of(0x80, 0x01, i)]);
    for (let i = 0; i < 20; i++)
      expect(toHex((await it.next()).value!)).toBe(toHex(Uint8Array.of(0x80, 0x01, i)));
    await client.release();
    await echo;
  });

  it("an RLRE delivered together with the transport's end completes the release", async () => {
    const { client, server, wrapped } = await pair();
    const serving = (async () => {
      for await (const m of server) await server.send([m]);
    })();
    wrapped.arm();
    await expect(client.release()).resolves.toBeUndefined();
    expect((await client.closed).reason).toBe("local");
    await serving;
  });

  it("Association.subscribe: PDUs in order, a false return stops reading until resume(), end once", async () => {
    const { client, server } = await pair();
    let accept = false;
    const got: number[] = [];
    const ends: (Error | undefined)[] = [];
    const sub = server.subscribe!({
      onChunk: (m) => {
        got.push(m[2]!);
        return accept;
      },
      onEnd: (e) => ends.push(e),
    });
    // Not awaited: with reading stopped, the sender's transport fills up and its sends wait.
    const sends = Array.from({ length: 40 }, (_, i) => client.send([Uint8Array.of(0x80, 0x01, i)]));
    await new Promise((r) => setTimeout(r, 10));
    // Reading stopped after the first refusal (the transport stops too); nothing is lost.
    expect(got.length).toBeLessThan(40);
    accept = true;
    sub.resume();
    for (let i = 0; i < 100 && got.length < 40; i++) await new Promise((r) => setTimeout(r, 5));
    expect(got).toEqual(Array.from({ length: 40 }, (_, i) => i));
    await Promise.all(sends);
    await client.release();
    await server.closed;
    expect(ends).toEqual([undefined]);
  });

  it("send is not an async function yet never throws: after the end it returns a rejection", async () => {
    const { client, server } = await pair();
    await client.release();
    await server.closed;
    let result: Promise<void> | undefined;
    expect(() => {
      result = client.send([Uint8Array.of(0xa0, 0x00)]);
    }).not.toThrow();
    await expect(result).rejects.toThrow(/ended/);
  });
});
