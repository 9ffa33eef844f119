import { connect as netConnect } from "node:net";
import { connect, type TLSSocket } from "node:tls";
import { describe, expect, it } from "vitest";
import { connectTls, listenTls, TlsEventCode, TlsSessionCache } from "../src/index";
import { CRLS, echo, pki, profileFor, roundTrip, TRUST, waitForEvent } from "./helpers";
import { crlOfCaBRevokingClientB } from "./revoking-crl";

/** A raw node:tls client as clientB (to control session resumption). */
function rawClient(port: number, session?: Buffer): Promise<{ socket: TLSSocket; sessions: Buffer[] }> {
  return new Promise((resolve, reject) => {
    const e = pki.entities.clientB;
    const socket = connect({
      host: "127.0.0.1",
      port,
      ca: TRUST,
      cert: e.chainPem,
      key: e.keyPem,
      rejectUnauthorized: false,
      ...(session ? { session } : {}),
    });
    const sessions: Buffer[] = [];
    socket.on("session", (s: Buffer) => sessions.push(s));
    socket.on("error", () => undefined);
    socket.once("secureConnect", () => resolve({ socket, sessions }));
    socket.once("close", () => reject(new Error("closed before secureConnect")));
  });
}

describe("listener robustness", () => {
  it("a resumed session is checked again (validity by the profile clock, CRLs after a reload)", async () => {
    let now = Date.parse("2030-01-01T00:00:00Z");
    const server = profileFor("server", { clock: { now: () => now } });
    const listener = await listenTls(server.profile, { host: "127.0.0.1", port: 0 }, (s) => void echo(s));
    const port = listener.address().port;
    const ticketOf = async (c: { socket: TLSSocket; sessions: Buffer[] }): Promise<Buffer | undefined> => {
      const echoed = new Promise((r) => c.socket.once("data", r));
      c.socket.write("hello");
      await echoed;
      c.socket.end();
      await new Promise<void>((r) => c.socket.once("close", () => r()));
      return c.sessions[c.sessions.length - 1];
    };
    try {
      const ticket = await ticketOf(await rawClient(port));
      expect(ticket).toBeDefined();
      const resumed = await rawClient(port, ticket);
      expect(resumed.socket.isSessionReused()).toBe(true);
      await ticketOf(resumed);
      await waitForEvent(
        server.events,
        TlsEventCode.SESSION_ESTABLISHED,
        8000,
        (e) => e.detail.resumed === true,
      );

      // OpenSSL does not verify a resumed session again; the profile does.
      now = Date.parse("2046-01-01T00:00:00Z");
      const late = await rawClient(port, ticket).catch(() => undefined);
      expect(late?.socket.isSessionReused()).toBe(true);
      if (late) await new Promise<void>((r) => late.socket.once("close", () => r()));
      const expired = await waitForEvent(server.events, TlsEventCode.CERT_EXPIRED);
      expect(expired.detail.reason).toBe("resumed");
      now = Date.parse("2030-01-01T00:00:00Z");

      const newCrl = await crlOfCaBRevokingClientB();
      listener.reloadCrls(CRLS.map((c) => (c === pki.cas.caB.crlPem ? newCrl : c)));
      const again = await rawClient(port, ticket).catch(() => undefined);
      if (again) await new Promise<void>((r) => again.socket.once("close", () => r()));
      const ev = await waitForEvent(server.events, TlsEventCode.CERT_REVOKED);
      expect(String(ev.detail.subject)).toContain("ied-clientB");
    } finally {
      await listener.close();
    }
  });

  it("a byte-a-while client is cut at the handshake deadline; others are served meanwhile", async () => {
    const server = profileFor("server", { handshakeTimeoutMs: 300 });
    const listener = await listenTls(server.profile, { host: "127.0.0.1", port: 0 }, (s) => void echo(s));
    const port = listener.address().port;
    try {
      const slow = netConnect(port, "127.0.0.1");
      slow.on("error", () => undefined);
      const hello = Buffer.from("16030100", "hex");
      let i = 0;
      const timer = setInterval(() => {
        if (i < hello.length && !slow.destroyed) slow.write(hello.subarray(i, ++i));
      }, 50);
      const ok = await connectTls(profileFor("client").profile, { host: "127.0.0.1", port });
      expect(await roundTrip(ok, "meanwhile")).toBe("meanwhile");
      ok.destroy();
      await new Promise<void>((r) => slow.once("close", () => r()));
      clearInterval(timer);
      const ev = await waitForEvent(server.events, TlsEventCode.HANDSHAKE_FAILED);
      expect(String(ev.detail.reason)).toMatch(/TIMEOUT/i);
    } finally {
      await listener.close();
    }
  });

  it("truncated and oversized handshake input: ALM_TLS_HANDSHAKE_FAILED each, the listener keeps serving", async () => {
    const server = profileFor("server");
    const listener = await listenTls(server.profile, { host: "127.0.0.1", port: 0 }, (s) => void echo(s));
    const port = listener.address().port;
    const send = (bytes: Buffer, end: boolean): Promise<void> =>
      new Promise((resolve) => {
        const sock = netConnect(port, "127.0.0.1", () => {
          sock.write(bytes);
          if (end) sock.end();
        });
        sock.on("error", () => undefined);
        sock.resume(); // read the server's alert and FIN
        sock.on("close", () => resolve());
      });
    try {
      // A ClientHello record header announcing 512 octets, then only 10 of them, then FIN.
      await send(Buffer.concat([Buffer.from("1603010200", "hex"), Buffer.alloc(10, 1)]), true);
      await waitForEvent(server.events, TlsEventCode.HANDSHAKE_FAILED);
      const before = server.events.length;
      // A record longer than TLS allows (2^14 + 2048 + 1 octets announced, and sent).
      const len = 16384 + 2048 + 1;
      const header = Buffer.from([0x16, 0x03, 0x03, len >> 8, len & 0xff]);
      await send(Buffer.concat([header, Buffer.alloc(len, 0x41)]), false);
      const big = await waitForEvent(server.events.slice(before), TlsEventCode.HANDSHAKE_FAILED);
      expect(big.detail.reason).toBe("ERR_SSL_PACKET_LENGTH_TOO_LONG");
      const ok = await connectTls(profileFor("client").profile, { host: "127.0.0.1", port });
      expect(await roundTrip(ok, "fine")).toBe("fine");
      ok.destroy();
    } finally {
      await listener.close();
    }
  });

  it("maxConnections: the connection over the limit is dropped with WRN_TLS_CONNECTION_LIMIT", async () => {
    const server = profileFor("server");
    const listener = await listenTls(
      server.profile,
      { host: "127.0.0.1", port: 0, maxConnections: 1 },
      (s) => void echo(s),
    );
    const port = listener.address().port;
    try {
      const first = await connectTls(profileFor("client").profile, { host: "127.0.0.1", port });
      expect(await roundTrip(first, "one")).toBe("one");
      const second = await connectTls(profileFor("client").profile, { host: "127.0.0.1", port }).catch(
        (e: unknown) => e,
      );
      expect(second).toBeInstanceOf(Error);
      await waitForEvent(server.events, TlsEventCode.CONNECTION_LIMIT);
      first.destroy();
      await first.closed;
    } finally {
      await listener.close();
    }
  });

  it("close() ends live sessions and resolves", async () => {
    const listener = await listenTls(
      profileFor("server").profile,
      { host: "127.0.0.1", port: 0 },
      (s) => void echo(s),
    );
    const s = await connectTls(profileFor("client").profile, {
      host: "127.0.0.1",
      port: listener.address().port,
    });
    expect(await roundTrip(s, "x")).toBe("x");
    await listener.close();
    await s.closed;
    expect(listener.connections).toBe(0);
  });
});

describe("bug classes (reference/peers.md §5)", () => {
  it("class 9 (lib60870 GHSA-fc2j-39h7-c7v9): an allow-list never bypasses chain validation", async () => {
    const server = profileFor("server", {
      allowList: [pki.entities.unknownCa.certPem, pki.entities.expired.certPem, pki.entities.client.certPem],
    });
    const listener = await listenTls(server.profile, { host: "127.0.0.1", port: 0 }, (s) => void echo(s));
    const port = listener.address().port;
    try {
      for (const [name, code] of [
        ["unknownCa", TlsEventCode.CERT_UNKNOWN_ISSUER],
        ["expired", TlsEventCode.CERT_EXPIRED],
      ] as const) {
        const e = pki.entities[name];
        const sock = connect({
          host: "127.0.0.1",
          port,
          cert: e.chainPem,
          key: e.keyPem,
          rejectUnauthorized: false,
        });
        sock.on("error", () => undefined);
        await new Promise<void>((r) => sock.once("close", () => r()));
        await waitForEvent(server.events, code);
      }
      expect(server.events.map((e) => e.code)).not.toContain(TlsEventCode.SESSION_ESTABLISHED);
      const ok = await connectTls(profileFor("client").profile, { host: "127.0.0.1", port });
      expect(await roundTrip(ok, "listed and valid")).toBe("listed and valid");
      ok.destroy();
    } finally {
      await listener.close();
    }
  });

  it("class 10: a throwing or rejecting stream handler closes only that connection", async () => {
    let n = 0;
    const listener = await listenTls(profileFor("server").profile, { host: "127.0.0.1", port: 0 }, (s) => {
      n++;
      if (n === 1) throw new Error("application bug");
      if (n === 2) return Promise.reject(new Error("async application bug"));
      void echo(s);
    });
    const port = listener.address().port;
    try {
      for (let i = 0; i < 2; i++) {
        const s = await connectTls(profileFor("client").profile, { host: "127.0.0.1", port });
        await s.closed;
      }
      const ok = await connectTls(profileFor("client").profile, { host: "127.0.0.1", port });
      expect(await roundTrip(ok, "third")).toBe("third");
      ok.destroy();
    } finally {
      await listener.close();
    }
  });
});

describe("pre-alarms", () => {
  it("WRN_CERT_EXPIRES_SOON for the peer's and our own certificate; ALM_CRL_EXPIRED for a stale CRL at start", async () => {
    const clock = { now: () => Date.parse("2044-12-10T00:00:00Z") };
    const crls = CRLS.map((c) => (c === pki.cas.caB.crlPem ? pki.caBExpiredCrlPem : c));
    const server = profileFor("server", { clock, crls, certificateExpiryWarningDays: 30 });
    const listener = await listenTls(server.profile, { host: "127.0.0.1", port: 0 }, (s) => void echo(s));
    try {
      const stale = await waitForEvent(server.events, TlsEventCode.CRL_EXPIRED);
      expect(String(stale.detail.issuer)).toContain("caB");
      const own = await waitForEvent(
        server.events,
        TlsEventCode.CERT_EXPIRES_SOON,
        8000,
        (e) => e.detail.whose === "own",
      );
      expect(own.detail.daysLeft).toBe(22);
      const s = await connectTls(profileFor("client").profile, {
        host: "127.0.0.1",
        port: listener.address().port,
      });
      expect(await roundTrip(s, "soon")).toBe("soon");
      const peer = await waitForEvent(
        server.events,
        TlsEventCode.CERT_EXPIRES_SOON,
        8000,
        (e) => e.detail.whose === "peer",
      );
      expect(String(peer.detail.subject)).toContain("ied-client");
      expect(peer.severity).toBe("warning");
      s.destroy();
    } finally {
      await listener.close();
    }
  });
});

describe("client session resumption", () => {
  it("a TlsSessionCache resumes the next session with the same server and identity only", async () => {
    const server = profileFor("server");
    const listener = await listenTls(server.profile, { host: "127.0.0.1", port: 0 }, (s) => void echo(s));
    const port = listener.address().port;
    try {
      const cache = new TlsSessionCache();
      const client = profileFor("client");
      const first = await connectTls(client.profile, { host: "127.0.0.1", port, sessionCache: cache });
      expect(await roundTrip(first, "one")).toBe("one");
      await first.end();
      await first.closed;
      expect(cache.size).toBe(1);
      const second = await connectTls(client.profile, { host: "127.0.0.1", port, sessionCache: cache });
      expect(await roundTrip(second, "two")).toBe("two");
      second.destroy();
      const established = client.events.filter((e) => e.code === TlsEventCode.SESSION_ESTABLISHED);
      expect(established.map((e) => e.detail.resumed)).toEqual([false, true]);
      await waitForEvent(
        server.events,
        TlsEventCode.SESSION_ESTABLISHED,
        8000,
        (e) => e.detail.resumed === true,
      );

      // Another identity does not pick up that session.
      const other = profileFor("clientB");
      const third = await connectTls(other.profile, { host: "127.0.0.1", port, sessionCache: cache });
      expect(await roundTrip(third, "three")).toBe("three");
      third.destroy();
      expect(other.events.find((e) => e.code === TlsEventCode.SESSION_ESTABLISHED)?.detail.resumed).toBe(
        false,
      );
    } finally {
      await listener.close();
    }
  });
});
