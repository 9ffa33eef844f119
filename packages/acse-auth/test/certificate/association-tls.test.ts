import { acceptCotp, openCotp } from "@mms/cotp";
import type { SecurityEvent } from "@mms/io";
import { describe, expect, it } from "vitest";
import { acceptAssociation } from "../../src/association/accept";
import { associate } from "../../src/association/associate";
import type { Association } from "../../src/association/options";
import { connectTls, createTlsProfile, listenTls } from "../../../tls-profile/src/index";
import { pki, side, trust } from "./helpers";

const INITIATE_REQUEST = Uint8Array.from(
  Buffer.from("a826800300fde881010582010583010aa416800101810305f100820c03ee1c00000408000079ef18", "hex"),
);
const INITIATE_RESPONSE = Uint8Array.from(
  Buffer.from("a926800300fde881010582010583010aa416800101810305f100820c03ee1c00000408000079ef18", "hex"),
);

const tlsProfile = (name: "server" | "client" | "clientB") =>
  createTlsProfile({
    trustAnchors: [pki.cas.caA.certPem, pki.cas.caB.certPem],
    certificateChain: pki.entities[name].chainPem,
    privateKey: pki.entities[name].keyPem,
    onSecurityEvent: () => {},
  });

describe("62351-4 over IEC 62351-3 TLS on loopback (COTP over TLS, both authentications)", () => {
  it("client and server authenticate each other in ACSE, the ACSE certificate being the TLS one", async () => {
    const serverEvents: SecurityEvent[] = [];
    const serverMech = side("server", { requireTlsCertificateMatch: true });
    const accepted: Promise<Association>[] = [];
    const listener = await listenTls(tlsProfile("server"), { host: "127.0.0.1", port: 0 }, (stream) => {
      accepted.push(
        acceptCotp(stream).then((c) =>
          acceptAssociation(c, {
            policy: { mechanisms: [serverMech] },
            authentication: serverMech,
            onRequest: () => INITIATE_RESPONSE,
            onSecurityEvent: (e) => serverEvents.push(e),
            timeoutMs: 10_000,
          }),
        ),
      );
    });
    try {
      const port = listener.address().port;
      const stream = await connectTls(tlsProfile("client"), { host: "127.0.0.1", port });
      expect(stream.info.tls?.peerCertificate).toEqual(pki.entities.server.certDer);
      const assoc = await associate(await openCotp(stream), {
        authentication: side("client", { requireTlsCertificateMatch: true }),
        userData: INITIATE_REQUEST,
        timeoutMs: 10_000,
      });
      expect(assoc.peer.identity).toMatchObject({
        mechanism: "certificate",
        certificate: pki.entities.server.certDer,
      });
      expect(assoc.peer.transport.tls).toBeDefined();
      const server = await accepted[0]!;
      expect(server.peer.identity).toMatchObject({
        mechanism: "certificate",
        certificate: pki.entities.client.certDer,
      });
      expect(serverEvents.filter((e) => e.code.startsWith("ALM"))).toEqual([]);
      await assoc.release();
    } finally {
      await listener.close();
    }
  });

  it("an ACSE certificate other than the TLS one is refused with tls-certificate-mismatch (ABRT 5)", async () => {
    const serverMech = side("server", { requireTlsCertificateMatch: true });
    const results: Promise<unknown>[] = [];
    const settled: Promise<PromiseSettledResult<unknown>>[] = [];
    const serverEvents: SecurityEvent[] = [];
    const listener = await listenTls(tlsProfile("server"), { host: "127.0.0.1", port: 0 }, (stream) => {
      const p = acceptCotp(stream).then((c) =>
        acceptAssociation(c, {
          policy: { mechanisms: [serverMech] },
          authentication: serverMech,
          onRequest: () => INITIATE_RESPONSE,
          onSecurityEvent: (e) => serverEvents.push(e),
          timeoutMs: 10_000,
        }),
      );
      results.push(p);
      settled.push(Promise.allSettled([p]).then((r) => r[0]!));
    });
    try {
      const stream = await connectTls(tlsProfile("clientB"), {
        host: "127.0.0.1",
        port: listener.address().port,
      });
      const attempt = associate(await openCotp(stream), {
        authentication: side("client", trust),
        userData: INITIATE_REQUEST,
        timeoutMs: 10_000,
      });
      await expect(attempt).rejects.toMatchObject({ diagnostic: 5 });
      const outcome = await settled[0]!;
      expect(outcome.status).toBe("rejected");
      if (outcome.status === "rejected")
        expect(outcome.reason).toMatchObject({ reply: { kind: "abort", diagnostic: 5 } });
      expect(serverEvents.find((e) => e.code === "ALM_ACSE_AUTH_FAILED")?.detail.reason).toBe(
        "tls-certificate-mismatch",
      );
    } finally {
      await listener.close();
    }
  });
});
