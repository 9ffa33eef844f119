import { once } from "node:events";
import { createServer, type Socket } from "node:net";
import { type ByteChain, type ByteStream, memoryPair } from "@mms/io";
import { describe, expect, it } from "vitest";
import { connect, encodeConnect, encodeData, openCotp, TpduCode, TpktFramer } from "../src/index";
import { fromHex, toHex } from "./support";

// After an orderly end by the peer (libiec61850 closes TCP right after its session DN), a DR
// would reach a closed socket and draw a TCP RST. RFC 1006 §5 releases a class 0 connection by
// closing TCP, so no DR is due then; on an active connection close() still sends one.

const CC = encodeConnect("CC", { dstRef: 1, srcRef: 2, tpduSize: 8192 });

/** Codes of the TPDUs in `bytes` (whole TPKTs). */
function codes(bytes: Uint8Array): number[] {
  return new TpktFramer().push(bytes).map((t) => t[1]! & 0xf0);
}

/** A ByteStream that records every chunk written through it. */
function recording(inner: ByteStream): { stream: ByteStream; written: Uint8Array[] } {
  const written: Uint8Array[] = [];
  const stream: ByteStream = {
    write: (chunks: ByteChain) => {
      for (const c of chunks) written.push(c.slice());
      return inner.write(chunks);
    },
    end: () => inner.end(),
    destroy: (reason?: Error) => inner.destroy(reason),
    get closed() {
      return inner.closed;
    },
    get info() {
      return inner.info;
    },
    [Symbol.asyncIterator]: () => inner[Symbol.asyncIterator](),
  };
  return { stream, written };
}

const concat = (parts: readonly Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

describe("close(): DR only on an active connection (memory pair)", () => {
  it("no DR after the peer's orderly end: the last TSDU and the end arrive together, close() follows at once", async () => {
    const [a, b] = memoryPair();
    const { stream, written } = recording(a);
    const opening = openCotp(stream);
    await b[Symbol.asyncIterator]().next(); // the CR
    await b.write([CC]);
    const client = await opening;
    await b.write([encodeData(fromHex("0e01"))]);
    await b.end();
    const r = await client[Symbol.asyncIterator]().next();
    expect(toHex(r.value!)).toBe("0e01");
    await client.close();
    expect(codes(concat(written))).toEqual([TpduCode.CR]);
    expect((await client.closed).reason).toBe("remote");
  });

  it("close() on an active connection sends DR (reason 128 normal) and closes as local", async () => {
    const [a, b] = memoryPair();
    const { stream, written } = recording(a);
    const opening = openCotp(stream);
    await b[Symbol.asyncIterator]().next();
    await b.write([CC]);
    const client = await opening;
    await client.close();
    const all = concat(written);
    expect(codes(all)).toEqual([TpduCode.CR, TpduCode.DR]);
    expect(toHex(all.subarray(all.length - 11))).toBe("0300000b06800002000180");
    expect((await client.closed).reason).toBe("local");
  });
});

/** A raw TCP peer: answers the CR with a CC, then runs `script`; records what it receives. */
async function rawPeer(script: (socket: Socket) => void) {
  const received: Uint8Array[] = [];
  let resets = 0;
  const server = createServer((socket) => {
    socket.on("error", () => resets++);
    let answered = false;
    socket.on("data", (d) => {
      received.push(Uint8Array.from(d));
      if (!answered) {
        answered = true;
        socket.write(CC);
        script(socket);
      }
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;
  return {
    port,
    received,
    resets: () => resets,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe("close(): DR only on an active connection (TCP loopback)", () => {
  it("a peer that sends its last TSDU and closes TCP (as libiec61850 after DN) receives no DR", async () => {
    const peer = await rawPeer((s) => {
      s.end(encodeData(fromHex("0e01")));
    });
    // Ten connections: the close races the peer's FIN each time.
    for (let i = 0; i < 10; i++) {
      const client = await connect({ host: "127.0.0.1", port: peer.port });
      const r = await client[Symbol.asyncIterator]().next();
      expect(toHex(r.value!)).toBe("0e01");
      await client.close();
      expect((await client.closed).reason).toBe("remote");
    }
    await new Promise((r) => setTimeout(r, 20)); // let any stray bytes reach the peer
    expect(codes(concat(peer.received))).toEqual(Array(10).fill(TpduCode.CR));
    expect(peer.resets()).toBe(0);
    await peer.close();
  });

  it("close() on an active TCP connection sends DR to the peer", async () => {
    const peer = await rawPeer(() => undefined);
    const client = await connect({ host: "127.0.0.1", port: peer.port });
    await client.close();
    for (let i = 0; i < 100 && codes(concat(peer.received)).length < 2; i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(codes(concat(peer.received))).toEqual([TpduCode.CR, TpduCode.DR]);
    await peer.close();
  });
});
