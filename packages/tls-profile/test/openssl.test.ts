import { rmSync } from "node:fs";
import { join } from "node:path";
import type { ByteStream, SecurityEvent } from "@mms/io";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectTls, listenTls, TlsConnectError, TlsEventCode, type TlsListener } from "../src/index";
import { sha1SignedClient } from "./sha1-cert";
import {
  CRLS,
  hasOpenssl,
  pemDir,
  pki,
  profileFor,
  roundTrip,
  sClient,
  sClientSession,
  echo,
  sServer,
  waitForEvent,
} from "./helpers";

const TOKEN = "mms-echo-token";

/** Reads one chunk, echoes it, closes: lets s_client finish on its own. */
async function echoOnce(stream: ByteStream): Promise<void> {
  const it = stream[Symbol.asyncIterator]();
  const r = await it.next().catch(() => ({ done: true as const, value: undefined }));
  if (!r.done) await stream.write([r.value]).catch(() => undefined);
  await stream.end().catch(() => undefined);
}

describe.skipIf(!hasOpenssl)("attack matrix: openssl s_client against our server", () => {
  let dir = "";
  let listener: TlsListener;
  let events: SecurityEvent[] = [];
  let port = 0;

  beforeAll(async () => {
    dir = pemDir();
    const server = profileFor("server");
    events = server.events;
    listener = await listenTls(server.profile, { host: "127.0.0.1", port: 0 }, (s) => void echoOnce(s));
    port = listener.address().port;
  });
  afterAll(async () => {
    await listener.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const as = (name: string): string[] => [
    "-cert",
    join(dir, `${name}.pem`),
    "-key",
    join(dir, `${name}.key`),
  ];
  const trust = (): string[] => ["-CAfile", join(dir, "trust.pem")];

  /** Runs one refused case: no echo, the event, and the server still serves a good client. */
  async function refused(args: string[], code: string): Promise<SecurityEvent> {
    const before = events.length;
    const r = await sClient(port, args, `${TOKEN}\n`);
    expect(r.output).not.toContain(TOKEN);
    const ev = await waitForEvent(events.slice(before), code);
    expect(events.slice(before).map((e) => e.code)).not.toContain(TlsEventCode.SESSION_ESTABLISHED);
    const ok = await connectTls(profileFor("client").profile, { host: "127.0.0.1", port });
    expect(await roundTrip(ok, "alive")).toBe("alive");
    ok.destroy();
    return ev;
  }

  it("accepts a good client certificate (TLS 1.3 and 1.2)", async () => {
    for (const v of ["-tls1_3", "-tls1_2"]) {
      const before = events.length;
      const r = await sClient(port, [...as("client"), ...trust(), v], `${TOKEN}\n`);
      expect(r.output).toContain(TOKEN);
      const e = await waitForEvent(events.slice(before), TlsEventCode.SESSION_ESTABLISHED);
      expect(e.detail.protocol).toBe(v === "-tls1_3" ? "TLSv1.3" : "TLSv1.2");
    }
  });

  it("no client certificate: ALM_CERT_MISSING", async () => {
    await refused([...trust()], TlsEventCode.CERT_MISSING);
  });

  const bad: [string, string][] = [
    ["expired", TlsEventCode.CERT_EXPIRED],
    ["notYetValid", TlsEventCode.CERT_NOT_YET_VALID],
    ["revoked", TlsEventCode.CERT_REVOKED],
    ["unknownCa", TlsEventCode.CERT_UNKNOWN_ISSUER],
    ["oversize", TlsEventCode.CERT_TOO_LARGE],
    ["rsa1024", TlsEventCode.CERT_WEAK_KEY],
    ["wrongKeyUsage", TlsEventCode.CERT_WRONG_USAGE],
  ];
  for (const [name, code] of bad) {
    it(`${name} client certificate: ${code}`, async () => {
      const ev = await refused([...as(name), ...trust(), "-cipher", "DEFAULT:@SECLEVEL=0"], code);
      expect(ev.severity).toBe("alarm");
      expect(String(ev.detail.subject)).toContain(`ied-${name}`);
    });
  }

  it("only TLS 1.0 offered: ALM_TLS_VERSION_REFUSED", async () => {
    await refused([...as("client"), "-tls1", "-cipher", "DEFAULT:@SECLEVEL=0"], TlsEventCode.VERSION_REFUSED);
  });

  it("only TLS 1.1 offered: ALM_TLS_VERSION_REFUSED", async () => {
    await refused(
      [...as("client"), "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"],
      TlsEventCode.VERSION_REFUSED,
    );
  });

  it("only NULL suites offered: ALM_TLS_NO_COMMON_CIPHER", async () => {
    await refused(
      [...as("client"), "-tls1_2", "-cipher", "NULL-SHA256:NULL-SHA:@SECLEVEL=0"],
      TlsEventCode.NO_COMMON_CIPHER,
    );
  });

  it("only RC4 offered: refused (this OpenSSL build cannot even offer RC4)", async () => {
    const before = events.length;
    const r = await sClient(
      port,
      [...as("client"), "-tls1_2", "-cipher", "RC4-SHA:RC4-MD5:@SECLEVEL=0"],
      `${TOKEN}\n`,
    );
    expect(r.output).not.toContain(TOKEN);
    expect(r.code).not.toBe(0);
    const codes = events.slice(before).map((e) => e.code);
    expect(codes).not.toContain(TlsEventCode.SESSION_ESTABLISHED);
    if (!/no cipher match/i.test(r.output))
      await waitForEvent(events.slice(before), TlsEventCode.NO_COMMON_CIPHER);
  });

  it("an empty allow-list rejects a good client: ALM_CERT_NOT_ALLOWED", async () => {
    const closed = profileFor("server", { allowList: [] });
    const l = await listenTls(closed.profile, { host: "127.0.0.1", port: 0 }, (s) => void echoOnce(s));
    try {
      const r = await sClient(l.address().port, [...as("client"), ...trust()], `${TOKEN}\n`);
      expect(r.output).not.toContain(TOKEN);
      const ev = await waitForEvent(closed.events, TlsEventCode.CERT_NOT_ALLOWED);
      expect(String(ev.detail.subject)).toContain("ied-client");
      expect(closed.events.map((e) => e.code)).not.toContain(TlsEventCode.SESSION_ESTABLISHED);
    } finally {
      await l.close();
    }
  });

  it("TLS 1.3: a KeyUpdate sent by s_client is honoured (k, and K which asks ours too)", async () => {
    const server = profileFor("server");
    const l = await listenTls(server.profile, { host: "127.0.0.1", port: 0 }, (s) => void echo(s));
    try {
      const out = await sClientSession(
        l.address().port,
        [...as("client"), ...trust(), "-tls1_3"],
        [
          ["before-update", "before-update"],
          ["k", undefined],
          ["after-k", "after-k"],
          ["K", undefined],
          ["after-K", "after-K"],
        ],
      );
      expect(out.match(/KEYUPDATE/g)).toHaveLength(2);
      expect(server.events.map((e) => e.code)).toEqual([TlsEventCode.SESSION_ESTABLISHED]);
    } finally {
      await l.close();
    }
  });

  it("TLS 1.2: a renegotiation started by s_client (R) is checked again and reported", async () => {
    const server = profileFor("server");
    const l = await listenTls(server.profile, { host: "127.0.0.1", port: 0 }, (s) => void echo(s));
    try {
      const out = await sClientSession(
        l.address().port,
        [...as("client"), ...trust(), "-tls1_2"],
        [
          ["before", "before"],
          ["R", undefined],
          ["after", "after"],
        ],
      );
      expect(out).toContain("RENEGOTIATING");
      const ev = await waitForEvent(server.events, TlsEventCode.RENEGOTIATED);
      expect(ev.detail).toMatchObject({ role: "server", trigger: "peer" });
    } finally {
      await l.close();
    }
  });

  it("TLS 1.2: a client that refuses our renegotiation (s_client -no_renegotiation): ALM_TLS_RENEGOTIATION_FAILED at once, session closed", async () => {
    // The completion timeout is long: the event must come from the refusal, not the timer.
    const server = profileFor("server", { rekey: { maxMessages: 2, intervalMs: 0, timeoutMs: 60_000 } });
    const l = await listenTls(server.profile, { host: "127.0.0.1", port: 0 }, (s) => void echo(s));
    try {
      await sClientSession(
        l.address().port,
        [...as("client"), ...trust(), "-tls1_2", "-no_renegotiation"],
        [
          ["one", "one"],
          ["two", "two"],
          ["three", undefined],
        ],
      );
      const ev = await waitForEvent(server.events, TlsEventCode.RENEGOTIATION_FAILED);
      expect(ev.detail).toMatchObject({ role: "server", trigger: "messages" });
      expect(String(ev.detail.reason)).not.toBe("timeout");
      expect(server.events.map((e) => e.code)).not.toContain(TlsEventCode.RENEGOTIATED);
    } finally {
      await l.close();
    }
  });

  it("garbage instead of a ClientHello: handshake failure event, server keeps serving", async () => {
    const { connect } = await import("node:net");
    const before = events.length;
    const raw = connect(port, "127.0.0.1");
    raw.on("error", () => undefined);
    raw.write(Buffer.from("03000016 11e00000000100c1020100c2020102c0010a".repeat(4), "utf8"));
    await new Promise<void>((r) => raw.on("close", () => r()));
    const ev = await waitForEvent(events.slice(before), TlsEventCode.HANDSHAKE_FAILED);
    expect(ev.detail.role).toBe("server");
  });
});

describe.skipIf(!hasOpenssl)("openssl s_server with special policies", () => {
  let dir = "";
  beforeAll(() => {
    dir = pemDir();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const srv = (name: string): string[] => [
    "-cert",
    join(dir, `${name}.pem`),
    "-key",
    join(dir, `${name}.key`),
  ];
  const verifyClient = (): string[] => ["-Verify", "3", "-CAfile", join(dir, "trust.pem")];

  it("our client talks to s_server (TLS 1.3, then 1.2 with its suite)", async () => {
    for (const v of ["-tls1_3", "-tls1_2"]) {
      const s = await sServer([...srv("server"), ...verifyClient(), v]);
      try {
        const c = profileFor("client");
        const stream = await connectTls(c.profile, {
          host: "127.0.0.1",
          port: s.port,
          servername: "localhost",
        });
        expect(await roundTrip(stream, "abc\n")).toBe("cba\n");
        expect(stream.info.tls?.protocol).toBe(v === "-tls1_3" ? "TLSv1.3" : "TLSv1.2");
        stream.destroy();
      } finally {
        s.stop();
      }
    }
  });

  const badServers: [string, string][] = [
    ["expired", TlsEventCode.CERT_EXPIRED],
    ["unknownCa", TlsEventCode.CERT_UNKNOWN_ISSUER],
    ["revoked", TlsEventCode.CERT_REVOKED],
    ["oversize", TlsEventCode.CERT_TOO_LARGE],
  ];
  for (const [name, code] of badServers) {
    it(`our client refuses an s_server presenting ${name}: ${code}`, async () => {
      const s = await sServer([...srv(name), "-cipher", "DEFAULT:@SECLEVEL=0"]);
      try {
        const c = profileFor("client");
        const err = await connectTls(c.profile, { host: "127.0.0.1", port: s.port }).catch((x: unknown) => x);
        expect(err).toBeInstanceOf(TlsConnectError);
        expect((err as TlsConnectError).code).toBe("peer-rejected");
        expect((err as TlsConnectError).securityEvent?.code).toBe(code);
        expect(c.events.map((e) => e.code)).toEqual([code]);
      } finally {
        s.stop();
      }
    });
  }

  it("s_server speaking only TLS 1.1: ALM_TLS_VERSION_REFUSED", async () => {
    const s = await sServer([...srv("server"), "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"]);
    try {
      const c = profileFor("client");
      const err = await connectTls(c.profile, { host: "127.0.0.1", port: s.port }).catch((x: unknown) => x);
      expect((err as TlsConnectError).code).toBe("handshake-failed");
      expect((err as TlsConnectError).securityEvent?.code).toBe(TlsEventCode.VERSION_REFUSED);
    } finally {
      s.stop();
    }
  });

  it("s_server with only NULL suites: handshake refused", async () => {
    const s = await sServer([...srv("server"), "-tls1_2", "-cipher", "NULL-SHA256:@SECLEVEL=0"]);
    try {
      const c = profileFor("client");
      const err = await connectTls(c.profile, { host: "127.0.0.1", port: s.port }).catch((x: unknown) => x);
      expect((err as TlsConnectError).code).toBe("handshake-failed");
      // The server answers handshake_failure: from the client side that is all we can know.
      expect([TlsEventCode.NO_COMMON_CIPHER, TlsEventCode.HANDSHAKE_FAILED]).toContain(
        (err as TlsConnectError).securityEvent?.code,
      );
    } finally {
      s.stop();
    }
  });

  it("legacy2007 client reaches a TLS 1.1-only s_server with WRN_INSECURE_TLS_VERSION", async () => {
    const s = await sServer([...srv("server"), "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"]);
    try {
      const c = profileFor("client", { legacy2007: true });
      const stream = await connectTls(c.profile, { host: "127.0.0.1", port: s.port });
      expect(stream.info.tls?.protocol).toBe("TLSv1.1");
      expect(await roundTrip(stream, "ab\n")).toBe("ba\n");
      const w = await waitForEvent(c.events, TlsEventCode.INSECURE_VERSION);
      expect(w.severity).toBe("warning");
      stream.destroy();
    } finally {
      s.stop();
    }
  });

  it("an expired CRL of the server's CA: ALM_CRL_EXPIRED", async () => {
    const s = await sServer([...srv("clientB")]);
    try {
      const crls = CRLS.map((c) => (c === pki.cas.caB.crlPem ? pki.caBExpiredCrlPem : c));
      const c = profileFor("client", { crls });
      const err = await connectTls(c.profile, { host: "127.0.0.1", port: s.port }).catch((x: unknown) => x);
      expect((err as TlsConnectError).securityEvent?.code).toBe(TlsEventCode.CRL_EXPIRED);
    } finally {
      s.stop();
    }
  });

  it("renegotiation after N messages is done against s_server (TLS 1.2), when the client runs a schedule", async () => {
    const s = await sServer([...srv("server"), ...verifyClient(), "-tls1_2", "-client_renegotiation"]);
    try {
      const c = profileFor("client", {
        rekey: { maxMessages: 3, intervalMs: 0, timeoutMs: 5000, initiator: "client" },
      });
      const stream = await connectTls(c.profile, { host: "127.0.0.1", port: s.port });
      for (const t of ["a\n", "b\n", "c\n"]) expect(await roundTrip(stream, t)).toBe(t);
      const e = await waitForEvent(c.events, TlsEventCode.RENEGOTIATED);
      expect(e.detail.trigger).toBe("messages");
      expect(await roundTrip(stream, "xy\n")).toBe("yx\n");
      stream.destroy();
    } finally {
      s.stop();
    }
  });

  it("a peer that refuses renegotiation: ALM_TLS_RENEGOTIATION_FAILED at once and the session is closed", async () => {
    const s = await sServer([...srv("server"), ...verifyClient(), "-tls1_2", "-no_renegotiation"]);
    try {
      // The completion timeout is long: the event must come from the refusal, not the timer.
      const c = profileFor("client", {
        rekey: { maxMessages: 1, intervalMs: 0, timeoutMs: 60_000, initiator: "client" },
      });
      const stream = await connectTls(c.profile, { host: "127.0.0.1", port: s.port });
      await stream.write([Buffer.from("a\n")]);
      const ev = await waitForEvent(c.events, TlsEventCode.RENEGOTIATION_FAILED);
      expect(ev.detail).toMatchObject({ role: "client", trigger: "messages" });
      expect(String(ev.detail.reason)).not.toBe("timeout");
      await stream.closed;
    } finally {
      s.stop();
    }
  });

  it("by default a client starts no renegotiation: a server that refuses them keeps the session (peers.md §5 TLS 3)", async () => {
    // libiec61850 1.5 (mbedtls) and nginx refuse a client's renegotiation; the session would end.
    const s = await sServer([...srv("server"), ...verifyClient(), "-tls1_2", "-no_renegotiation"]);
    try {
      const c = profileFor("client", { rekey: { maxMessages: 1, intervalMs: 50, timeoutMs: 60_000 } });
      const stream = await connectTls(c.profile, { host: "127.0.0.1", port: s.port });
      for (const t of ["a\n", "b\n", "c\n"]) {
        expect(await roundTrip(stream, t)).toBe(t);
        await new Promise((r) => setTimeout(r, 60));
      }
      expect(c.events.map((e) => e.code)).not.toContain(TlsEventCode.RENEGOTIATION_FAILED);
      stream.destroy();
    } finally {
      s.stop();
    }
  });
});

describe("legacy2007 relaxes the protocol version only", () => {
  it("TLS 1.0 client accepted with WRN_INSECURE_TLS_VERSION; SHA-1-signed and RSA-1024 certificates still refused", async () => {
    const server = profileFor("server", { legacy2007: true });
    const listener = await listenTls(server.profile, { host: "127.0.0.1", port: 0 }, (s) => void echoOnce(s));
    const port = listener.address().port;
    const { connect } = await import("node:tls");
    const attempt = (cert: string, key: string): Promise<void> =>
      new Promise((resolve) => {
        const sock = connect({
          host: "127.0.0.1",
          port,
          cert,
          key,
          rejectUnauthorized: false,
          minVersion: "TLSv1",
          maxVersion: "TLSv1",
          ciphers: "DEFAULT:@SECLEVEL=0",
        });
        sock.on("error", () => undefined);
        sock.on("secureConnect", () => sock.write(TOKEN));
        sock.on("data", () => sock.end());
        sock.on("close", () => resolve());
      });
    try {
      await attempt(pki.entities.client.chainPem, pki.entities.client.keyPem);
      const ok = await waitForEvent(server.events, TlsEventCode.SESSION_ESTABLISHED);
      expect(ok.detail.protocol).toBe("TLSv1");
      expect((await waitForEvent(server.events, TlsEventCode.INSECURE_VERSION)).severity).toBe("warning");

      const sha1 = await sha1SignedClient();
      await attempt(sha1.certPem, sha1.keyPem);
      const weak = await waitForEvent(server.events, TlsEventCode.CERT_WEAK_KEY);
      expect(weak.detail.reason).toBe("sha-1 certificate signature");

      const before = server.events.length;
      await attempt(pki.entities.rsa1024.chainPem, pki.entities.rsa1024.keyPem);
      const small = await waitForEvent(server.events.slice(before), TlsEventCode.CERT_WEAK_KEY);
      expect(small.detail.reason).toBe("RSA key of 1024 bits");
    } finally {
      await listener.close();
    }
  });

  it("without legacy2007 the SHA-1-signed certificate is refused too (ALM_CERT_WEAK_KEY)", async () => {
    const server = profileFor("server");
    const listener = await listenTls(server.profile, { host: "127.0.0.1", port: 0 }, (s) => void echoOnce(s));
    try {
      const sha1 = await sha1SignedClient();
      const { connect } = await import("node:tls");
      const sock = connect({
        host: "127.0.0.1",
        port: listener.address().port,
        cert: sha1.certPem,
        key: sha1.keyPem,
        rejectUnauthorized: false,
        ciphers: "DEFAULT:@SECLEVEL=0",
      });
      sock.on("error", () => undefined);
      await new Promise<void>((r) => sock.on("close", () => r()));
      const ev = await waitForEvent(server.events, TlsEventCode.CERT_WEAK_KEY);
      expect(ev.detail.reason).toBe("sha-1 certificate signature");
    } finally {
      await listener.close();
    }
  });
});
