import { acceptCotp, type CotpConnection, openCotp } from "@mms/cotp";
import { type ByteChain, memoryPair, type SecurityEvent } from "@mms/io";
import { describe, expect, it } from "vitest";
import { acceptAssociation } from "../../src/association/accept";
import { associate } from "../../src/association/associate";
import type { AcceptOptions, AssociateOptions } from "../../src/association/options";
import { AuthenticationError } from "../../src/auth/mechanism";
import {
  type BilateralTable,
  bilateralPeerPolicies,
  CERTIFICATE_MECHANISM_NAME,
  CERTIFICATE_MECHANISM_NAME_LITERAL,
  type CertificateMechanism,
} from "../../src/certificate/index";
import { AssociationAbortedError } from "../../src/errors";
import { NOW, pki, side, toHex } from "./helpers";

// A libiec61850 MMS initiate-RequestPDU and initiate-ResponsePDU (stack.md §10).
const INITIATE_REQUEST = Uint8Array.from(
  Buffer.from("a826800300fde881010582010583010aa416800101810305f100820c03ee1c00000408000079ef18", "hex"),
);
const INITIATE_RESPONSE = Uint8Array.from(
  Buffer.from("a926800300fde881010582010583010aa416800101810305f100820c03ee1c00000408000079ef18", "hex"),
);

const fixedClock = (t: number) => ({ now: () => t });

interface Pair {
  readonly client: CotpConnection;
  readonly server: CotpConnection;
  /** TSDUs the initiator sent, as sent. */
  readonly sent: Uint8Array[];
  /** TSDUs the responder sent. */
  readonly answered: Uint8Array[];
}

function record(c: CotpConnection, into: Uint8Array[]): void {
  const send = c.send.bind(c);
  c.send = (m: ByteChain) => {
    into.push(Uint8Array.from(m.flatMap((x) => [...x])));
    return send(m);
  };
}

async function cotpPair(): Promise<Pair> {
  const [a, b] = memoryPair();
  const [client, server] = await Promise.all([openCotp(a), acceptCotp(b)]);
  const sent: Uint8Array[] = [];
  const answered: Uint8Array[] = [];
  record(client, sent);
  record(server, answered);
  return { client, server, sent, answered };
}

interface Run {
  readonly initiator: PromiseSettledResult<Awaited<ReturnType<typeof associate>>>;
  readonly responder: PromiseSettledResult<Awaited<ReturnType<typeof acceptAssociation>>>;
  readonly clientEvents: SecurityEvent[];
  readonly serverEvents: SecurityEvent[];
  readonly sent: Uint8Array[];
  readonly answered: Uint8Array[];
}

async function run(
  client: CertificateMechanism | "insecure-none",
  server: CertificateMechanism | undefined,
  opts: { initiator?: Partial<AssociateOptions>; responder?: Partial<AcceptOptions>; now?: number } = {},
): Promise<Run> {
  const { client: cc, server: sc, sent, answered } = await cotpPair();
  const clientEvents: SecurityEvent[] = [];
  const serverEvents: SecurityEvent[] = [];
  const clock = fixedClock(opts.now ?? NOW);
  const responder = server ?? side("server");
  const [initiator, acc] = await Promise.allSettled([
    associate(cc, {
      authentication: client,
      userData: INITIATE_REQUEST,
      clock,
      onSecurityEvent: (e) => clientEvents.push(e),
      timeoutMs: 5000,
      ...opts.initiator,
    }),
    acceptAssociation(sc, {
      policy: { mechanisms: [responder] },
      ...(server ? { authentication: server } : {}),
      onRequest: () => INITIATE_RESPONSE,
      clock,
      onSecurityEvent: (e) => serverEvents.push(e),
      timeoutMs: 5000,
      ...opts.responder,
    }),
  ]);
  return { initiator, responder: acc, clientEvents, serverEvents, sent, answered };
}

describe("62351-4 certificate authentication in AARQ and AARE (in-memory COTP)", () => {
  it("initiator and responder authenticate each other (R-ACSE-1, -2, -11, -12)", async () => {
    const r = await run(side("client"), side("server"));
    if (r.initiator.status !== "fulfilled" || r.responder.status !== "fulfilled")
      throw new Error("association failed");
    expect(r.initiator.value.peer.identity).toMatchObject({
      mechanism: "certificate",
      certificate: pki.entities.server.certDer,
    });
    expect(r.responder.value.peer.identity).toMatchObject({
      mechanism: "certificate",
      certificate: pki.entities.client.certDer,
    });
    // R-MMS-1: the MMS Initiate PDUs travel in user-information unchanged.
    expect(r.responder.value.requestUserData).toEqual(INITIATE_REQUEST);
    expect(r.initiator.value.responseUserData).toEqual(INITIATE_RESPONSE);
    const aarq = toHex(r.sent[0]!);
    // sender-acse-requirements, mechanism name, calling-authentication-value [12] → [2] → [0] → [0] → [0] cert.
    expect(aarq).toMatch(/8a02..808b082886480001000101ac82....a282....a082....a082....8082/);
    // responder-acse-requirements, mechanism name, responding-authentication-value [10] → [2] → [0] → [0].
    expect(toHex(r.answered[0]!)).toMatch(/8802..8089082886480001000101aa82....a282....a082....a082....8082/);
    expect(r.clientEvents.filter((e) => e.code.startsWith("ALM"))).toEqual([]);
    expect(r.serverEvents.filter((e) => e.code.startsWith("ALM"))).toEqual([]);
    await r.initiator.value.release();
  });

  it("an AARQ naming the literal 1.2.840.0.1.0.1.1 is accepted; the AARE echoes the name", async () => {
    const base = side("client");
    const literal: CertificateMechanism = {
      ...base,
      mechanismNames: [CERTIFICATE_MECHANISM_NAME_LITERAL, CERTIFICATE_MECHANISM_NAME],
    };
    const r = await run(literal, side("server"));
    if (r.initiator.status !== "fulfilled") throw new Error("association failed");
    expect(toHex(r.sent[0]!)).toContain("8b082a86480001000101");
    await r.initiator.value.release();
  });

  it("the initiator binds the responder's certificate to the called AP-title", async () => {
    const bound = side("client", {
      binding: [{ apTitle: "1.1.1.999.1", certificate: pki.entities.server.certPem }],
    });
    const ok = await run(bound, side("server"));
    if (ok.initiator.status !== "fulfilled") throw new Error("bound server refused");
    await ok.initiator.value.release();
    const wrong = side("client", {
      binding: [{ apTitle: "1.1.1.999.1", certificate: pki.entities.clientB.certPem }],
    });
    const r = await run(wrong, side("server"));
    expect(r.initiator.status).toBe("rejected");
    if (r.initiator.status === "rejected")
      expect([r.initiator.reason.code, r.initiator.reason.reply]).toEqual([
        "binding-mismatch",
        { kind: "abort", diagnostic: 5 },
      ]);
    expect(toHex(r.sent.at(-1)!)).toMatch(/64..80010.810105/);
  });

  it("in the other direction too: clientB (caB) and an ECDSA client", async () => {
    for (const name of ["clientB", "clientEcdsa", "clientInter"] as const) {
      const r = await run(side(name), side("server"));
      expect(r.responder.status, name).toBe("fulfilled");
      if (r.initiator.status !== "fulfilled") throw new Error(`${name}: initiator failed`);
      await r.initiator.value.release();
    }
  });

  it("a bad client certificate: the responder sends ABRT authentication-failure (5)", async () => {
    for (const [name, reason] of [
      ["expired", "certificate-expired"],
      ["unknownCa", "unknown-issuer"],
      ["revoked", "certificate-revoked"],
    ] as const) {
      const r = await run(side(name), side("server"));
      expect(r.responder.status).toBe("rejected");
      if (r.responder.status === "rejected")
        expect(r.responder.reason.reply).toEqual({ kind: "abort", diagnostic: 5 });
      expect(r.initiator.status).toBe("rejected");
      if (r.initiator.status === "rejected") {
        expect(r.initiator.reason).toBeInstanceOf(AssociationAbortedError);
        expect(r.initiator.reason.diagnostic).toBe(5);
      }
      expect(r.serverEvents.find((e) => e.detail.reason === reason)?.code).toBe("ALM_ACSE_AUTH_FAILED");
    }
  });

  it("an AARE without the responder's value when the initiator requires it → ABRT authentication-required (6)", async () => {
    const r = await run(side("client"), undefined);
    expect(r.initiator.status).toBe("rejected");
    if (r.initiator.status === "rejected") {
      expect(r.initiator.reason).toBeInstanceOf(AuthenticationError);
      expect(r.initiator.reason.reply).toEqual({ kind: "abort", diagnostic: 6 });
    }
    // The last TSDU the initiator sent is the session AB carrying the ABRT (64 … 81 01 06).
    expect(toHex(r.sent.at(-1)!)).toMatch(/64..80010.810106/);
  });

  it("the responder's value fails the initiator's checks (other trust) → ABRT 5", async () => {
    const client = side("client", { trustAnchors: [pki.cas.caB.certPem] });
    const r = await run(client, side("server"));
    expect(r.initiator.status).toBe("rejected");
    if (r.initiator.status === "rejected") expect(r.initiator.reason.code).toBe("unknown-issuer");
    expect(
      r.clientEvents.some((e) => e.code === "ALM_ACSE_AUTH_FAILED" && e.detail.reason === "unknown-issuer"),
    ).toBe(true);
    expect(toHex(r.sent.at(-1)!)).toMatch(/64..80010.810105/);
  });

  it("a bilateral table plugs into AcceptPolicy.peers: an application-secure peer must use the certificate", async () => {
    const table: BilateralTable = [{ apTitle: "1.1.1.999", transport: "dont-care", application: "secure" }];
    const server = side("server");
    const policy = {
      mechanisms: [server],
      peers: bilateralPeerPolicies(table),
      insecureAllowUnauthenticated: true,
    };
    const ok = await run(side("client"), server, { responder: { policy } });
    if (ok.initiator.status !== "fulfilled") throw new Error("certificate peer refused");
    await ok.initiator.value.release();
    const none = await run("insecure-none", server, { responder: { policy } });
    expect(none.responder.status).toBe("rejected");
    if (none.responder.status === "rejected")
      expect(none.responder.reason.reply).toEqual({ kind: "aare", diagnostic: 12 });
  });

  it("replay of a captured AARQ byte for byte within the window → ABRT 5, ALM_ACSE_REPLAY", async () => {
    const server = side("server");
    const first = await run(side("client"), server);
    if (first.initiator.status !== "fulfilled") throw new Error("first association failed");
    await first.initiator.value.release();
    const captured = first.sent.slice(0, 1);
    // A raw attacker: a COTP connection that sends the captured CN and reads the answer.
    const { client: raw, server: sc } = await cotpPair();
    const events: SecurityEvent[] = [];
    const acc = acceptAssociation(sc, {
      policy: { mechanisms: [server] },
      authentication: server,
      onRequest: () => INITIATE_RESPONSE,
      clock: fixedClock(NOW + 60_000),
      onSecurityEvent: (e) => events.push(e),
    });
    await raw.send(captured);
    const answer = await raw[Symbol.asyncIterator]().next();
    await expect(acc).rejects.toMatchObject({ reply: { kind: "abort", diagnostic: 5 } });
    expect(toHex(answer.value as Uint8Array)).toMatch(/64..80010.810105/);
    expect(events.some((e) => e.code === "ALM_ACSE_REPLAY")).toBe(true);
  });
});
