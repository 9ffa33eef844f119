import { certificateAuthentication, passwordAuthentication } from "@mms/acse-auth";
import { createTlsProfile } from "@mms/tls-profile";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTestPki } from "../../../tools/test-pki/src/index";
import { connect } from "../../client/src/index";
import { MmsServer, mmsData, mmsTypes, Vmd } from "../src/index";

describe("client <-> server over TLS beside a plain listener", () => {
  const pki = loadTestPki();
  const trust = [pki.cas.caA.certPem, pki.cas.caB.certPem, pki.cas.caC.certPem, pki.cas.caD.certPem];
  const profile = (name: "server" | "client" | "unknownCa") =>
    createTlsProfile({
      trustAnchors: trust,
      certificateChain: pki.entities[name].chainPem,
      privateKey: pki.entities[name].keyPem,
    });
  const mechanism = (name: "server" | "client") =>
    certificateAuthentication({
      certificate: pki.entities[name].certPem,
      privateKey: pki.entities[name].keyPem,
      trustAnchors: trust,
    });
  let server: MmsServer;
  let ports: { plain?: number; tls?: number };
  const identities: string[] = [];
  const events: string[] = [];

  beforeAll(async () => {
    const vmd = new Vmd();
    vmd.domain("LD").defineVariable("V", {
      type: mmsTypes.int32(),
      access: { write: (id) => id?.mechanism === "certificate" },
      onRead: (ctx) => {
        identities.push(ctx.identity?.mechanism ?? "none");
        return mmsData.integer(42);
      },
    });
    server = new MmsServer({ vmd, onSecurityEvent: (e) => events.push(e.code) });
    ports = await server.listen({
      plain: { host: "127.0.0.1", port: 0, policy: { mechanisms: [], insecureAllowUnauthenticated: true } },
      tls: {
        host: "127.0.0.1",
        port: 0,
        profile: profile("server"),
        policy: {
          mechanisms: [passwordAuthentication({ password: "secret" }), mechanism("client")],
          acceptTlsIdentity: true,
        },
        authentication: mechanism("server"),
      },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  const tls = { kind: "tls" as const, profile: profile("client"), host: "127.0.0.1" };

  it("TLS identity only (what libiec61850's TLS client sends)", async () => {
    const c = await connect({ transport: { ...tls, port: ports.tls! }, authentication: "insecure-none" });
    expect(await c.readValue("LD/V")).toEqual(mmsData.integer(42));
    expect(identities.at(-1)).toBe("tls");
    expect(await c.write("LD/V", mmsData.integer(1))).toEqual({ success: false, error: 3 });
    await c.conclude();
  });

  it("password over TLS", async () => {
    const c = await connect({
      transport: { ...tls, port: ports.tls! },
      authentication: passwordAuthentication({ password: "secret" }),
      requireServerAuthentication: false,
    });
    await c.readValue("LD/V");
    expect(identities.at(-1)).toBe("password");
    await c.conclude();
  });

  it("IEC 62351-4 certificate authentication in both directions", async () => {
    const c = await connect({ transport: { ...tls, port: ports.tls! }, authentication: mechanism("client") });
    await c.readValue("LD/V");
    expect(identities.at(-1)).toBe("certificate");
    expect(await c.write("LD/V", mmsData.integer(5))).toEqual({ success: true, error: undefined });
    await c.conclude();
  });

  it("a wrong password is refused with a typed error; the plain listener keeps serving", async () => {
    const bad = await connect({
      transport: { ...tls, port: ports.tls! },
      authentication: passwordAuthentication({ password: "wrong" }),
      requireServerAuthentication: false,
    }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(Error);
    expect(typeof (bad as { code?: unknown }).code).toBe("string");
    const plain = await connect({
      transport: { kind: "insecure-tcp", host: "127.0.0.1", port: ports.plain! },
      authentication: "insecure-none",
    });
    expect(await plain.readValue("LD/V")).toEqual(mmsData.integer(42));
    await plain.conclude();
  });

  it("a client certificate from an unknown CA is refused at TLS; the event reaches the server", async () => {
    const e = await connect({
      transport: { kind: "tls", profile: profile("unknownCa"), host: "127.0.0.1", port: ports.tls! },
      authentication: "insecure-none",
      connectTimeoutMs: 3000,
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Error);
    for (let i = 0; i < 50 && !events.some((c) => c.startsWith("ALM_")); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(events.some((c) => c.startsWith("ALM_"))).toBe(true);
  });
});
