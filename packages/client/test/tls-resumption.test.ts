import { certificateAuthentication } from "@mms/acse-auth";
import type { SecurityEvent } from "@mms/io";
import { createTlsProfile, TlsSessionCache } from "@mms/tls-profile";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The server and the test PKI are workspace siblings not declared by @mms/client: import by path.
import { MmsServer, mmsData, mmsTypes, Vmd } from "../../server/src/index";
import { loadTestPki } from "../../../tools/test-pki/src/index";
import { connect } from "../src/index";

describe("connect: TLS session resumption through transport.sessionCache", () => {
  const pki = loadTestPki();
  const trust = [pki.cas.caA.certPem, pki.cas.caB.certPem];
  const mechanism = (name: "server" | "client") =>
    certificateAuthentication({
      certificate: pki.entities[name].certPem,
      privateKey: pki.entities[name].keyPem,
      trustAnchors: trust,
    });
  const events: SecurityEvent[] = [];
  const clientProfile = createTlsProfile({
    trustAnchors: trust,
    certificateChain: pki.entities.client.chainPem,
    privateKey: pki.entities.client.keyPem,
    maxVersion: "TLSv1.2",
    onSecurityEvent: (e) => events.push(e),
  });
  let server: MmsServer;
  let port = 0;
  const identities: string[] = [];

  beforeAll(async () => {
    const vmd = new Vmd();
    vmd.domain("LD").defineVariable("V", {
      type: mmsTypes.int32(),
      onRead: (ctx) => {
        identities.push(ctx.identity?.mechanism ?? "none");
        return mmsData.integer(7);
      },
    });
    server = new MmsServer({ vmd });
    const ports = await server.listen({
      tls: {
        host: "127.0.0.1",
        port: 0,
        // Resumption is the profile default.
        profile: createTlsProfile({
          trustAnchors: trust,
          certificateChain: pki.entities.server.chainPem,
          privateKey: pki.entities.server.keyPem,
        }),
        policy: { mechanisms: [mechanism("client")] },
        authentication: mechanism("server"),
      },
    });
    port = ports.tls!;
  });
  afterAll(async () => {
    await server.close();
  });

  const resumedFlags = () =>
    events.filter((e) => e.code === "INF_TLS_SESSION_ESTABLISHED").map((e) => e.detail["resumed"]);

  it("the second association resumes and still authenticates both sides by certificate", async () => {
    const sessionCache = new TlsSessionCache();
    const auth = mechanism("client");
    const transport = { kind: "tls" as const, profile: clientProfile, host: "127.0.0.1", port, sessionCache };
    events.length = 0;
    for (let i = 0; i < 2; i++) {
      const c = await connect({ transport, authentication: auth });
      expect(await c.readValue("LD/V")).toEqual(mmsData.integer(7));
      await c.conclude();
    }
    expect(resumedFlags()).toEqual([false, true]);
    expect(identities).toEqual(["certificate", "certificate"]);
    expect(sessionCache.size).toBe(1);
  });

  it("without a session cache every association is a full handshake", async () => {
    const transport = { kind: "tls" as const, profile: clientProfile, host: "127.0.0.1", port };
    events.length = 0;
    for (let i = 0; i < 2; i++) {
      const c = await connect({ transport, authentication: mechanism("client") });
      await c.conclude();
    }
    expect(resumedFlags()).toEqual([false, false]);
  });
});
