import { connect as netConnect, type Socket } from "node:net";
import type { SecurityEvent } from "@mms/io";
import { subscribeSecurityEvents } from "@mms/io/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CotpConnection,
  CotpError,
  type CotpListener,
  type CotpListenOptions,
  connect,
  decodeTpdu,
  encodeData,
  listen,
  type Tpdu,
  TpktFramer,
} from "../src/index";
import { fromHex, toHex, vectorBytes } from "./support";

const HOST = "127.0.0.1";
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown): void => {
  unhandled.push(e);
};
beforeAll(() => {
  process.on("unhandledRejection", onUnhandled);
  process.on("uncaughtException", onUnhandled);
});
afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
  process.off("uncaughtException", onUnhandled);
  expect(unhandled).toEqual([]);
});

interface Echo {
  listener: CotpListener;
  port: number;
  rejected: Error[];
  accepted: CotpConnection[];
  events: SecurityEvent[];
}

async function echoServer(options: Partial<CotpListenOptions> = {}): Promise<Echo> {
  const rejected: Error[] = [];
  const accepted: CotpConnection[] = [];
  const events: SecurityEvent[] = [];
  const listener = await listen(
    {
      host: HOST,
      port: 0,
      timeoutMs: 300,
      onRejected: (e) => rejected.push(e),
      onSecurityEvent: (e) => events.push(e),
      ...options,
    },
    (c) => {
      accepted.push(c);
      void (async () => {
        try {
          for await (const m of c) await c.send([m]);
        } catch {
          // closed with an error: reported through c.closed
        }
      })();
    },
  );
  return { listener, port: listener.address().port, rejected, accepted, events };
}

/** A well-behaved client still gets served. */
async function roundTrip(port: number): Promise<void> {
  const c = await connect({ host: HOST, port, timeoutMs: 2000 });
  await c.send([fromHex("0100010061")]);
  const r = await c[Symbol.asyncIterator]().next();
  expect(toHex(r.value!)).toBe("0100010061");
  await c.close();
}

/** A raw TCP peer that records the TPDUs it receives and when the server closed. */
function raw(port: number): { socket: Socket; tpdus: Tpdu[]; closed: Promise<void>; ready: Promise<void> } {
  const socket = netConnect({ host: HOST, port });
  const framer = new TpktFramer();
  const tpdus: Tpdu[] = [];
  socket.on("data", (d) => {
    try {
      for (const t of framer.push(d)) tpdus.push(decodeTpdu(t));
    } catch {
      // not our concern here
    }
  });
  socket.on("error", () => {});
  const closed = new Promise<void>((r) => socket.once("close", () => r()));
  const ready = new Promise<void>((r) => socket.once("connect", () => r()));
  return { socket, tpdus, closed, ready };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

function codes(errors: Error[]): string[] {
  return errors.map((e) => (e instanceof CotpError ? e.code : e.name));
}

function eventsOf(s: Echo): string[] {
  return s.events.map((e) => `${e.code} ${e.detail.reason} ${e.detail.phase}`);
}

describe("listen() on 127.0.0.1 against bad peers", () => {
  it("serves a good client end to end (CR/CC, DT echo, DR) and raises no event", async () => {
    const s = await echoServer();
    await roundTrip(s.port);
    await s.listener.close();
    expect(s.events).toEqual([]);
  });

  it("a refused CR → DR, WRN_COTP_REFUSED with the reason, also on the mms:security channel", async () => {
    const seen: SecurityEvent[] = [];
    const unsubscribe = subscribeSecurityEvents((e) => {
      if (e.code.startsWith("WRN_COTP_")) seen.push(e);
    });
    try {
      const s = await echoServer({ accept: (r) => (r.calledTsap?.[1] === 1 ? undefined : 2) });
      const refused = await connect({ host: HOST, port: s.port, calledTsap: fromHex("0002") }).catch(
        (e: unknown) => e,
      );
      expect(refused).toMatchObject({ code: "refused", drReason: 2 });
      await until(() => s.events.length === 1);
      expect(eventsOf(s)).toEqual(["WRN_COTP_REFUSED refused connect"]);
      expect(s.events[0]?.detail.drReason).toBe(2);
      expect(s.events[0]?.severity).toBe("warning");
      expect(seen.map((e) => e.code)).toContain("WRN_COTP_REFUSED");
      await roundTrip(s.port);
      await s.listener.close();
    } finally {
      unsubscribe();
    }
  });

  it("garbage (an HTTP request) → ER, closed, others still served", async () => {
    const s = await echoServer();
    const r = raw(s.port);
    await r.ready;
    r.socket.write("GET / HTTP/1.0\r\n\r\n");
    await r.closed;
    expect(r.tpdus.map((t) => t.type)).toEqual(["ER"]);
    expect(codes(s.rejected)).toEqual(["tpkt-version"]);
    expect(eventsOf(s)).toEqual(["WRN_COTP_PROTOCOL_ERROR tpkt-version connect"]);
    expect(s.events[0]?.peer).toMatch(/^127\.0\.0\.1:\d+$/);
    await roundTrip(s.port);
    await s.listener.close();
  });

  it("truncated CR then FIN → closed without a connection, others still served", async () => {
    const s = await echoServer();
    const r = raw(s.port);
    await r.ready;
    r.socket.end(vectorBytes("V01").subarray(0, 10));
    await r.closed;
    await until(() => s.rejected.length === 1);
    expect(codes(s.rejected)).toEqual(["closed"]);
    expect(eventsOf(s)).toEqual(["WRN_COTP_PROTOCOL_ERROR closed connect"]);
    expect(s.accepted).toHaveLength(0);
    await roundTrip(s.port);
    await s.listener.close();
  });

  it("truncated CR then silence → closed at the CR timeout", async () => {
    const s = await echoServer({ timeoutMs: 100 });
    const r = raw(s.port);
    await r.ready;
    r.socket.write(vectorBytes("V01").subarray(0, 10));
    await r.closed;
    expect(codes(s.rejected)).toEqual(["timeout"]);
    await s.listener.close();
  });

  it("oversized TPKT (length 65 535 announced before the CR) → ER and closed", async () => {
    const s = await echoServer({ maxTpduSize: 1024 });
    const r = raw(s.port);
    await r.ready;
    r.socket.write(fromHex("0300ffff02f080"));
    await r.closed;
    expect(r.tpdus.map((t) => t.type)).toEqual(["ER"]);
    expect(codes(s.rejected)).toEqual(["tpkt-length"]);
    expect(eventsOf(s)).toEqual(["WRN_COTP_PROTOCOL_ERROR tpkt-length connect"]);
    await roundTrip(s.port);
    await s.listener.close();
  });

  it("oversized TSDU (endless EOT=0 DTs) → ER and closed after maxTsduSize", async () => {
    const s = await echoServer({ maxTsduSize: 4096 });
    const r = raw(s.port);
    await r.ready;
    r.socket.write(vectorBytes("V46a")); // TPDU size 128
    const seg = encodeData(new Uint8Array(125), false);
    for (let i = 0; i < 40; i++) r.socket.write(seg);
    await r.closed;
    expect(r.tpdus.map((t) => t.type)).toEqual(["CC", "ER"]);
    await until(() => s.accepted.length === 1);
    expect(((await s.accepted[0]!.closed).error as CotpError)?.code).toBe("tsdu-too-large");
    await roundTrip(s.port);
    await s.listener.close();
  });

  it("slow CR (one byte at a time, slowloris style) → closed at the CR timeout while others are served", async () => {
    const s = await echoServer({ timeoutMs: 200 });
    const r = raw(s.port);
    await r.ready;
    const cr = vectorBytes("V01");
    let i = 0;
    const drip = setInterval(() => {
      if (i < cr.length && !r.socket.destroyed) r.socket.write(cr.subarray(i, ++i));
    }, 40);
    await roundTrip(s.port);
    await r.closed;
    clearInterval(drip);
    expect(codes(s.rejected)).toEqual(["timeout"]);
    expect(eventsOf(s)).toEqual(["WRN_COTP_TIMEOUT timeout connect"]);
    expect(r.tpdus).toEqual([]);
    await s.listener.close();
  });

  it("slow DT in the data phase (bytes trickle, no whole TPDU) → closed at the idle timeout", async () => {
    const s = await echoServer({ idleTimeoutMs: 150 });
    const r = raw(s.port);
    await r.ready;
    r.socket.write(vectorBytes("V01"));
    const dt = encodeData(new Uint8Array(100));
    let i = 0;
    const drip = setInterval(() => {
      if (i < dt.length && !r.socket.destroyed) r.socket.write(dt.subarray(i, ++i));
    }, 20);
    await r.closed;
    clearInterval(drip);
    await until(() => s.accepted.length === 1);
    expect(((await s.accepted[0]!.closed).error as CotpError).code).toBe("idle-timeout");
    await until(() => s.events.length === 1);
    expect(eventsOf(s)).toEqual(["WRN_COTP_TIMEOUT idle-timeout data"]);
    await s.listener.close();
  });

  it("idle timeout closes a silent connection; an active one stays", async () => {
    const s = await echoServer({ idleTimeoutMs: 500 });
    const silent = await connect({ host: HOST, port: s.port });
    const active = await connect({ host: HOST, port: s.port });
    const it = active[Symbol.asyncIterator]();
    let silentClosed = false;
    void silent.closed.then(() => {
      silentClosed = true;
    });
    while (!silentClosed) {
      await active.send([fromHex("01")]);
      await it.next();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await silent.closed).reason).toBe("remote");
    await active.send([fromHex("02")]);
    expect(toHex((await it.next()).value!)).toBe("02");
    await active.close();
    await s.listener.close();
  });

  it("maxConnections: the connection beyond the limit is closed, a freed slot is reused", async () => {
    const s = await echoServer({ maxConnections: 2 });
    const c1 = await connect({ host: HOST, port: s.port });
    const c2 = await connect({ host: HOST, port: s.port });
    expect(s.listener.connections).toBe(2);
    await expect(connect({ host: HOST, port: s.port, timeoutMs: 2000 })).rejects.toMatchObject({
      code: "closed",
    });
    expect(s.listener.connections).toBe(2);
    expect(eventsOf(s)).toEqual(["WRN_COTP_CONNECTION_LIMIT connection-limit connect"]);
    await c1.close();
    await until(() => s.listener.connections === 1);
    await roundTrip(s.port);
    await c2.close();
    await s.listener.close();
  });

  it("a throwing onConnection closes only that connection", async () => {
    let n = 0;
    const listener = await listen({ host: HOST, port: 0 }, (c) => {
      if (++n === 1) throw new Error("application bug");
      void (async () => {
        for await (const m of c) await c.send([m]);
      })();
    });
    const port = listener.address().port;
    const first = await connect({ host: HOST, port });
    expect((await first.closed).reason).toBe("remote");
    await roundTrip(port);
    await listener.close();
  });

  it("close() of the listener ends open connections", async () => {
    const s = await echoServer();
    const c = await connect({ host: HOST, port: s.port });
    await s.listener.close();
    expect((await c.closed).reason).not.toBe("local");
  });
});
