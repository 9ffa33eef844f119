import { describe, expect, it } from "vitest";
import { connectTls, listenTls, TlsEventCode } from "../src/index";
import { CRLS, echo, pki, profileFor, roundTrip, waitForEvent } from "./helpers";
import { crlOfCaBRevokingClientB } from "./revoking-crl";

describe("TLS 1.2 renegotiation on schedule (IEC 62351-3, R-TLS-4)", () => {
  it("the server renegotiates after its configured message count", async () => {
    const server = profileFor("server", {
      rekey: { maxMessages: 4, intervalMs: 0, timeoutMs: 5000, initiator: "server" },
    });
    const listener = await listenTls(server.profile, { host: "127.0.0.1", port: 0 }, (s) => void echo(s));
    try {
      const client = profileFor("client", { maxVersion: "TLSv1.2" });
      const stream = await connectTls(client.profile, { host: "127.0.0.1", port: listener.address().port });
      for (let i = 0; i < 3; i++) expect(await roundTrip(stream, `m${i}`)).toBe(`m${i}`);
      expect(server.events.map((e) => e.code)).not.toContain(TlsEventCode.RENEGOTIATED);
      expect(await roundTrip(stream, "m3")).toBe("m3");
      const e = await waitForEvent(server.events, TlsEventCode.RENEGOTIATED);
      expect(e.detail).toMatchObject({ role: "server", trigger: "messages", messages: 4 });
      // The client saw a renegotiation it did not start, checked the server again and says so.
      const seen = await waitForEvent(client.events, TlsEventCode.RENEGOTIATED);
      expect(seen.detail).toMatchObject({ role: "client", trigger: "peer" });
      expect(await roundTrip(stream, "after")).toBe("after");
      stream.destroy();
    } finally {
      await listener.close();
    }
  });

  it("a busy server renegotiates at most once per tls.CLIENT_RENEG_WINDOW (node counts its own handshakes too)", async () => {
    // node:tls ends a server session at the 4th handshake within CLIENT_RENEG_WINDOW seconds of
    // each other ("renegotiation attack"): 5000 messages can pass well within 10 minutes.
    // Writable at run time (node documents it as a setting); typed read-only.
    const tls = (await import("node:tls")).default as { CLIENT_RENEG_WINDOW: number };
    const window = tls.CLIENT_RENEG_WINDOW;
    tls.CLIENT_RENEG_WINDOW = 0.4;
    const server = profileFor("server", { rekey: { maxMessages: 2, intervalMs: 0, timeoutMs: 5000 } });
    const listener = await listenTls(server.profile, { host: "127.0.0.1", port: 0 }, (s) => void echo(s));
    try {
      const client = profileFor("client", { maxVersion: "TLSv1.2" });
      const stream = await connectTls(client.profile, { host: "127.0.0.1", port: listener.address().port });
      const start = Date.now();
      for (let round = 0; round < 3; round++) {
        // Many more messages than maxMessages, well inside one window.
        for (let i = 0; i < 20; i++) expect(await roundTrip(stream, `r${round}m${i}`)).toBe(`r${round}m${i}`);
        await new Promise((r) => setTimeout(r, 450));
      }
      expect(await roundTrip(stream, "after")).toBe("after");
      const codes = server.events.map((e) => e.code);
      expect(codes).not.toContain(TlsEventCode.RENEGOTIATION_FAILED);
      const done = server.events.filter((e) => e.code === TlsEventCode.RENEGOTIATED);
      // One per window, not one per 2 messages (30 would have been due).
      expect(done.length).toBeGreaterThanOrEqual(2);
      expect(done.length).toBeLessThanOrEqual(Math.ceil((Date.now() - start) / 400));
      stream.destroy();
    } finally {
      tls.CLIENT_RENEG_WINDOW = window;
      await listener.close();
    }
  });

  it("a renegotiation the peer starts is checked again and reported (trigger peer)", async () => {
    const server = profileFor("server");
    const listener = await listenTls(server.profile, { host: "127.0.0.1", port: 0 }, (s) => void echo(s));
    try {
      const e = pki.entities.client;
      const { connect } = await import("node:tls");
      const sock = connect({
        host: "127.0.0.1",
        port: listener.address().port,
        cert: e.chainPem,
        key: e.keyPem,
        rejectUnauthorized: false,
        maxVersion: "TLSv1.2",
      });
      sock.on("error", () => undefined);
      await new Promise<void>((r) => sock.once("secureConnect", () => r()));
      const done = await new Promise<Error | null>((r) => sock.renegotiate({}, (err) => r(err)));
      expect(done).toBeNull();
      const ev = await waitForEvent(server.events, TlsEventCode.RENEGOTIATED);
      expect(ev.detail).toMatchObject({ role: "server", trigger: "peer" });
      sock.destroy();
    } finally {
      await listener.close();
    }
  });

  it("a client with its own schedule renegotiates after a (short) interval", async () => {
    const server = profileFor("server");
    const listener = await listenTls(server.profile, { host: "127.0.0.1", port: 0 }, (s) => void echo(s));
    try {
      const client = profileFor("client", {
        maxVersion: "TLSv1.2",
        rekey: { intervalMs: 150, maxMessages: 0, timeoutMs: 5000, initiator: "client" },
      });
      const stream = await connectTls(client.profile, { host: "127.0.0.1", port: listener.address().port });
      // Keep traffic flowing: a renegotiation completes while data moves.
      let e: unknown;
      for (let i = 0; i < 200 && !e; i++) {
        expect(await roundTrip(stream, `t${i}`)).toBe(`t${i}`);
        e = client.events.find((x) => x.code === TlsEventCode.RENEGOTIATED);
        if (!e) await new Promise((r) => setTimeout(r, 25));
      }
      expect(e).toMatchObject({ detail: { role: "client", trigger: "time" } });
      stream.destroy();
    } finally {
      await listener.close();
    }
  });

  it("TLS 1.3 sessions do not try to renegotiate (node:tls cannot start a KeyUpdate)", async () => {
    const server = profileFor("server", { rekey: { maxMessages: 1, intervalMs: 0, timeoutMs: 200 } });
    const listener = await listenTls(server.profile, { host: "127.0.0.1", port: 0 }, (s) => void echo(s));
    try {
      const client = profileFor("client", { rekey: { maxMessages: 1, intervalMs: 0, timeoutMs: 200 } });
      const stream = await connectTls(client.profile, { host: "127.0.0.1", port: listener.address().port });
      for (let i = 0; i < 3; i++) expect(await roundTrip(stream, `x${i}`)).toBe(`x${i}`);
      const codes = [...client.events, ...server.events].map((e) => e.code);
      expect(codes).not.toContain(TlsEventCode.RENEGOTIATION_FAILED);
      expect(codes).not.toContain(TlsEventCode.RENEGOTIATED);
      stream.destroy();
    } finally {
      await listener.close();
    }
  });

  it("rekeying off raises WRN_TLS_REKEY_DISABLED", async () => {
    const server = profileFor("server", { rekey: { maxMessages: 0, intervalMs: 0 } });
    const listener = await listenTls(server.profile, { host: "127.0.0.1", port: 0 }, (s) => void echo(s));
    try {
      const stream = await connectTls(profileFor("client").profile, {
        host: "127.0.0.1",
        port: listener.address().port,
      });
      expect(await roundTrip(stream, "z")).toBe("z");
      await waitForEvent(server.events, TlsEventCode.REKEY_DISABLED);
      stream.destroy();
    } finally {
      await listener.close();
    }
  });
});

describe("CRL reload on a running listener", () => {
  it("closes the live session of a now-revoked peer, raises ALM_CERT_REVOKED, refuses it afterwards", async () => {
    const server = profileFor("server");
    const listener = await listenTls(server.profile, { host: "127.0.0.1", port: 0 }, (s) => void echo(s));
    const port = listener.address().port;
    try {
      const victim = await connectTls(profileFor("clientB").profile, { host: "127.0.0.1", port });
      const bystander = await connectTls(profileFor("client").profile, { host: "127.0.0.1", port });
      expect(await roundTrip(victim, "v")).toBe("v");
      expect(await roundTrip(bystander, "b")).toBe("b");
      await waitForEvent(server.events, TlsEventCode.SESSION_ESTABLISHED);
      expect(listener.connections).toBe(2);

      const newCrl = await crlOfCaBRevokingClientB();

      const revoked = listener.reloadCrls(CRLS.map((c) => (c === pki.cas.caB.crlPem ? newCrl : c)));
      expect(revoked).toBe(1);
      await victim.closed;
      const ev = await waitForEvent(server.events, TlsEventCode.CERT_REVOKED);
      expect(ev.detail).toMatchObject({ reason: "crl-reload", closed: true });
      expect(String(ev.detail.subject)).toContain("ied-clientB");
      await waitForEvent(server.events, TlsEventCode.CRL_RELOADED);
      expect(await roundTrip(bystander, "still here")).toBe("still here");
      expect(listener.connections).toBe(1);

      const again = await connectTls(profileFor("clientB").profile, { host: "127.0.0.1", port });
      await again.closed;
      expect(server.events.filter((e) => e.code === TlsEventCode.CERT_REVOKED)).toHaveLength(2);
      bystander.destroy();
    } finally {
      await listener.close();
    }
  });

  it("keeps the session open when closeRevokedSessions is false (event still raised)", async () => {
    const server = profileFor("server", { closeRevokedSessions: false });
    const listener = await listenTls(server.profile, { host: "127.0.0.1", port: 0 }, (s) => void echo(s));
    try {
      const s = await connectTls(profileFor("clientB").profile, {
        host: "127.0.0.1",
        port: listener.address().port,
      });
      expect(await roundTrip(s, "a")).toBe("a");
      expect(listener.reloadCrls(CRLS)).toBe(0);
      const newCrl = await crlOfCaBRevokingClientB();
      expect(listener.reloadCrls(CRLS.map((c) => (c === pki.cas.caB.crlPem ? newCrl : c)))).toBe(1);
      const ev = await waitForEvent(server.events, TlsEventCode.CERT_REVOKED);
      expect(ev.detail).toMatchObject({ reason: "crl-reload", closed: false });
      expect(await roundTrip(s, "b")).toBe("b");
      s.destroy();
    } finally {
      await listener.close();
    }
  });
});
