import {
  type AcceptOptions,
  type AcceptPolicy,
  acceptAssociation,
  associate,
  AssociationAbortedError,
  AssociationRefusal,
  AssociationRefusedError,
  AssociationRejectedError,
  AuthenticationError,
  decodeAcseApdu,
  passwordAuthentication,
} from "@mms/acse-auth";
import type { SecurityEvent } from "@mms/io";
import { decodeAbortPpdu, decodeSpdu, readRefusePpdu } from "@mms/osi";
import { describe, expect, it } from "vitest";
import { BerReader, UniversalTag } from "./imports";
import { fakeTlsInfo, memoryChannelPair } from "./memory-channel";
import { INITIATE_REQUEST, INITIATE_RESPONSE, toHex } from "./support";

const clock = { now: () => Date.UTC(2026, 10, 25, 12) };

function acceptOptions(policy: AcceptPolicy, extra: Partial<AcceptOptions> = {}): AcceptOptions {
  return { policy, onRequest: () => INITIATE_RESPONSE, clock, ...extra };
}

const open: AcceptPolicy = { mechanisms: [], insecureAllowUnauthenticated: true };

/** What the responder sent last: the ABRT diagnostic (in AB) or the AARE diagnostic (in RF/CPR). */
function lastReply(sent: Uint8Array[]): { kind: string; diagnostic: number | undefined } {
  const s = decodeSpdu(sent[sent.length - 1]!);
  if (s.kind === "AB") {
    const p = decodeAbortPpdu(s.userData!);
    const a = p.kind === "ARU" ? decodeAcseApdu(p.userData[0]!.value) : undefined;
    return { kind: "ABRT", diagnostic: a?.type === "ABRT" ? a.diagnostic : undefined };
  }
  if (s.kind === "RF") {
    const cpr = readRefusePpdu(new BerReader(s.userData!).enter(UniversalTag.SEQUENCE));
    const a = decodeAcseApdu(cpr.userData[0]!.value);
    return { kind: a.type, diagnostic: a.type === "AARE" ? a.resultSourceDiagnostic.value : undefined };
  }
  return { kind: s.kind, diagnostic: undefined };
}

describe("initiator against responder, in memory", () => {
  it("associates without authentication, exchanges MMS PDUs and releases (RLRQ/RLRE)", async () => {
    const [a, b] = memoryChannelPair();
    const events: SecurityEvent[] = [];
    const server = acceptAssociation(b, acceptOptions(open, { onRelease: () => Uint8Array.of(0x8c, 0) }));
    const client = await associate(a, {
      authentication: "insecure-none",
      userData: INITIATE_REQUEST,
      clock,
      onSecurityEvent: (e) => events.push(e),
    });
    const srv = await server;
    expect(toHex(client.responseUserData!)).toBe(toHex(INITIATE_RESPONSE));
    expect(toHex(srv.requestUserData)).toBe(toHex(INITIATE_REQUEST));
    expect(srv.peer.apTitle).toBe("1.1.1.999");
    expect(srv.peer.identity.mechanism).toBe("none");
    expect(events.map((e) => e.code)).toEqual(["INF_ACSE_ASSOCIATED"]);

    await client.send([Uint8Array.of(0xa0, 0x03, 0x02, 0x01, 0x05)]);
    const srvIt = srv[Symbol.asyncIterator]();
    expect(toHex((await srvIt.next()).value!)).toBe("a003020105");
    await srv.send([Uint8Array.of(0xa1, 0x03, 0x02, 0x01, 0x05)]);
    const cliIt = client[Symbol.asyncIterator]();
    expect(toHex((await cliIt.next()).value!)).toBe("a103020105");

    const rlre = await client.release([Uint8Array.of(0x8b, 0)]);
    expect(toHex(rlre!)).toBe("8c00");
    expect((await srvIt.next()).done).toBe(true);
    expect(await client.closed).toMatchObject({ reason: "local" });
    expect(await srv.closed).toMatchObject({ reason: "remote" });
  });

  it("associates with a password over TLS (mutual: the responder authenticates too)", async () => {
    const [a, b] = memoryChannelPair(fakeTlsInfo, fakeTlsInfo);
    const mech = passwordAuthentication({ password: "secret" });
    const server = acceptAssociation(b, acceptOptions({ mechanisms: [mech] }, { authentication: mech }));
    const client = await associate(a, { authentication: mech, userData: INITIATE_REQUEST, clock });
    const srv = await server;
    expect(srv.peer.identity).toMatchObject({ mechanism: "password" });
    expect(client.peer.identity).toMatchObject({ mechanism: "password" });
    client.abort();
    await expect(srv[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(AssociationAbortedError);
  });

  it("password without TLS needs insecureAllowPasswordWithoutTls; libiec61850 peers don't authenticate back", async () => {
    const [a, b] = memoryChannelPair();
    const mech = passwordAuthentication({ password: "secret" });
    const server = acceptAssociation(
      b,
      acceptOptions({ mechanisms: [mech], insecureAllowPasswordWithoutTls: true }),
    );
    const client = await associate(a, {
      authentication: mech,
      requireResponderAuthentication: false,
      userData: INITIATE_REQUEST,
      clock,
    });
    expect((await server).peer.identity.mechanism).toBe("password");
    await client.release();
  });

  it("wrong password (as V12b): ABRT diagnostic 5 authentication-failure, ALM_ACSE_AUTH_FAILED", async () => {
    const [a, b] = memoryChannelPair(fakeTlsInfo, fakeTlsInfo);
    const events: SecurityEvent[] = [];
    const server = acceptAssociation(
      b,
      acceptOptions(
        { mechanisms: [passwordAuthentication({ password: "secret" })] },
        { onSecurityEvent: (e) => events.push(e) },
      ),
    );
    const client = associate(a, {
      authentication: passwordAuthentication({ password: "wrong" }),
      userData: INITIATE_REQUEST,
      clock,
    });
    await expect(client).rejects.toMatchObject({ code: "aborted", diagnostic: 5 });
    await expect(server).rejects.toBeInstanceOf(AssociationRefusedError);
    expect(lastReply(b.sent)).toEqual({ kind: "ABRT", diagnostic: 5 });
    expect(events.map((e) => e.code)).toContain("ALM_ACSE_AUTH_FAILED");
  });

  it("missing mechanism where required: AARE rejected-permanent, diagnostic 12, ALM_ACSE_AUTH_MISSING", async () => {
    const [a, b] = memoryChannelPair(fakeTlsInfo, fakeTlsInfo);
    const events: SecurityEvent[] = [];
    const server = acceptAssociation(
      b,
      acceptOptions(
        { mechanisms: [passwordAuthentication({ password: "secret" })] },
        { onSecurityEvent: (e) => events.push(e) },
      ),
    );
    const err = await associate(a, {
      authentication: "insecure-none",
      userData: INITIATE_REQUEST,
      clock,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(AssociationRejectedError);
    expect(err).toMatchObject({ code: "rejected", result: 1, source: "acse-service-user", diagnostic: 12 });
    await expect(server).rejects.toMatchObject({ reply: { kind: "aare", diagnostic: 12 } });
    expect(lastReply(b.sent)).toEqual({ kind: "AARE", diagnostic: 12 });
    expect(events.map((e) => e.code)).toContain("ALM_ACSE_AUTH_MISSING");
  });

  it("unknown mechanism: AARE diagnostic 11, ALM_ACSE_UNKNOWN_MECHANISM", async () => {
    const [a, b] = memoryChannelPair(fakeTlsInfo, fakeTlsInfo);
    const events: SecurityEvent[] = [];
    const server = acceptAssociation(
      b,
      acceptOptions({ mechanisms: [] }, { onSecurityEvent: (e) => events.push(e) }),
    );
    const client = associate(a, {
      authentication: passwordAuthentication({ password: "x" }),
      userData: INITIATE_REQUEST,
      clock,
    });
    await expect(client).rejects.toMatchObject({ code: "rejected", diagnostic: 11 });
    await expect(server).rejects.toBeInstanceOf(AssociationRefusedError);
    expect(events.map((e) => e.code)).toContain("ALM_ACSE_UNKNOWN_MECHANISM");
  });

  it("password refused without TLS by default (diagnostic 11)", async () => {
    const [a, b] = memoryChannelPair();
    const server = acceptAssociation(
      b,
      acceptOptions({ mechanisms: [passwordAuthentication({ password: "secret" })] }),
    );
    const client = associate(a, {
      authentication: passwordAuthentication({ password: "secret" }),
      userData: INITIATE_REQUEST,
      clock,
    });
    await expect(client).rejects.toMatchObject({ code: "rejected", diagnostic: 11 });
    await server.catch(() => undefined);
  });

  it("mechanism name without a value: ABRT diagnostic 6 authentication-required", async () => {
    const [a, b] = memoryChannelPair(fakeTlsInfo, fakeTlsInfo);
    const server = acceptAssociation(
      b,
      acceptOptions({ mechanisms: [passwordAuthentication({ password: "secret" })] }),
    );
    const noValue = {
      ...passwordAuthentication({ password: "secret" }),
      credentials: async () => undefined as never,
    };
    const client = associate(a, { authentication: noValue, userData: INITIATE_REQUEST, clock });
    await expect(client).rejects.toMatchObject({ code: "aborted", diagnostic: 6 });
    await server.catch(() => undefined);
    expect(lastReply(b.sent)).toEqual({ kind: "ABRT", diagnostic: 6 });
  });

  it("responder that does not authenticate itself: initiator aborts with diagnostic 6 and rejects with AuthenticationError", async () => {
    const [a, b] = memoryChannelPair(fakeTlsInfo, fakeTlsInfo);
    const mech = passwordAuthentication({ password: "secret" });
    const server = acceptAssociation(b, acceptOptions({ mechanisms: [mech] }));
    const err = await associate(a, { authentication: mech, userData: INITIATE_REQUEST, clock }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.reply).toEqual({ kind: "abort", diagnostic: 6 });
    expect(lastReply(a.sent)).toEqual({ kind: "ABRT", diagnostic: 6 });
    const srv = await server;
    await expect(srv[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      code: "aborted",
      diagnostic: 6,
    });
  });

  it("TLS identity accepted when the policy says so (mechanism tls)", async () => {
    const [a, b] = memoryChannelPair(fakeTlsInfo, fakeTlsInfo);
    const server = acceptAssociation(b, acceptOptions({ mechanisms: [], acceptTlsIdentity: true }));
    await associate(a, { authentication: "insecure-none", userData: INITIATE_REQUEST, clock });
    expect((await server).peer.identity.mechanism).toBe("tls");
  });

  it("peer table: unknown calling AP-title is refused with diagnostic 3; a known one passes", async () => {
    const peers = new Map([["1.1.1.999", { aeQualifier: 12 }]]);
    const [a, b] = memoryChannelPair();
    const server = acceptAssociation(b, acceptOptions({ ...open, peers }));
    const err = await associate(a, {
      authentication: "insecure-none",
      userData: INITIATE_REQUEST,
      addressing: { callingApTitle: "1.2.3" },
    }).catch((e) => e);
    expect(err).toMatchObject({ code: "rejected", diagnostic: 3 });
    await server.catch(() => undefined);
    const [c, d] = memoryChannelPair();
    const ok = acceptAssociation(d, acceptOptions({ ...open, peers }));
    await associate(c, { authentication: "insecure-none", userData: INITIATE_REQUEST });
    expect((await ok).peer.aeQualifier).toBe(12);
  });

  it("AssociationRefusal from onRequest: AARE rejected with the MMS initiate-ErrorPDU as user data", async () => {
    const [a, b] = memoryChannelPair();
    const errorPdu = Uint8Array.of(0xaa, 0x03, 0x80, 0x01, 0x00);
    const server = acceptAssociation(
      b,
      acceptOptions(open, {
        onRequest: () => {
          throw new AssociationRefusal(1, errorPdu);
        },
      }),
    );
    const err = await associate(a, { authentication: "insecure-none", userData: INITIATE_REQUEST }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(AssociationRejectedError);
    expect(toHex(err.userData)).toBe("aa03800100");
    await server.catch(() => undefined);
  });

  it("authentication is required: no silent default", async () => {
    const [a] = memoryChannelPair();
    await expect(associate(a, { userData: INITIATE_REQUEST } as never)).rejects.toBeInstanceOf(TypeError);
  });

  it("times out when nobody answers", async () => {
    const [a] = memoryChannelPair();
    await expect(
      associate(a, { authentication: "insecure-none", userData: INITIATE_REQUEST, timeoutMs: 50 }),
    ).rejects.toMatchObject({
      code: "timeout",
    });
  });

  it("the transport closing before the AARE rejects with a typed error", async () => {
    const [a, b] = memoryChannelPair();
    const p = associate(a, { authentication: "insecure-none", userData: INITIATE_REQUEST });
    await b.close();
    await expect(p).rejects.toMatchObject({ code: "closed" });
  });

  it("responder-side abort ends the initiator's iteration with AssociationAbortedError", async () => {
    const [a, b] = memoryChannelPair();
    const server = acceptAssociation(b, acceptOptions(open));
    const client = await associate(a, { authentication: "insecure-none", userData: INITIATE_REQUEST });
    (await server).abort(1);
    await expect(client[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      code: "aborted",
      source: "acse-service-user",
    });
    expect(await client.closed).toMatchObject({ reason: "error" });
  });
});

describe("association channel details", () => {
  it("release completes even when nobody drained the received data (no deadlock)", async () => {
    const [a, b] = memoryChannelPair();
    const server = acceptAssociation(b, { policy: open, onRequest: () => INITIATE_RESPONSE, clock });
    const client = await associate(a, { authentication: "insecure-none", userData: INITIATE_REQUEST, clock });
    const srv = await server;
    for (let i = 0; i < 40; i++) await srv.send([Uint8Array.of(0xa3, 0x01, i)]);
    await new Promise((r) => setTimeout(r, 10));
    await client.release();
    let n = 0;
    for await (const _ of client) n++;
    expect(n).toBe(40);
  });

  it("close() releases; sending afterwards is refused with a typed error", async () => {
    const [a, b] = memoryChannelPair();
    const server = acceptAssociation(b, { policy: open, onRequest: () => INITIATE_RESPONSE, clock });
    const client = await associate(a, { authentication: "insecure-none", userData: INITIATE_REQUEST, clock });
    await server;
    await client.close();
    expect(await client.closed).toMatchObject({ reason: "local" });
    await expect(client.send([Uint8Array.of(0)])).rejects.toMatchObject({ code: "closed" });
  });

  it("an abort signal cancels the association attempt", async () => {
    const [a] = memoryChannelPair();
    const ac = new AbortController();
    const p = associate(a, {
      authentication: "insecure-none",
      userData: INITIATE_REQUEST,
      signal: ac.signal,
    });
    ac.abort(new Error("stop"));
    await expect(p).rejects.toThrow("stop");
  });
});
