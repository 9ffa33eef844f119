import { noTransportInfo } from "@mms/io";
import { describe, expect, it } from "vitest";
import {
  CERTIFICATE_MECHANISM_NAME,
  CERTIFICATE_MECHANISM_NAME_LITERAL,
  checkMechanismName,
  decodeCertificateValue,
  ecdsaDerToRaw,
  type SignatureAlgorithm,
} from "../../src/certificate/index";
import { context, importSigningKey, NOW, peculiarCrypto, pki, rejection, side } from "./helpers";

const FAILURE = { kind: "abort", diagnostic: 5 } as const;
const tlsWith = (peerCertificate: Uint8Array | undefined) => ({
  ...noTransportInfo,
  tls: { protocol: "TLSv1.2", cipher: "ECDHE-RSA-AES128-GCM-SHA256", peerCertificate, peerChain: [] },
});

describe("certificate mechanism: per-peer policy (R-CA-2, DECISIONS.md Binding)", () => {
  it("allow-list: only the listed certificates (exact DER) — not-allowed otherwise", async () => {
    const server = side("server", { allowList: [pki.entities.clientB.certPem] });
    const b = await side("clientB").credentials(context().ctx);
    await server.verify(b, context().ctx);
    const a = await side("client").credentials(context().ctx);
    const { ctx, events } = context();
    const e = await rejection(server.verify(a, ctx));
    expect([e.code, e.reply]).toEqual(["not-allowed", FAILURE]);
    expect(events[0]?.detail.reason).toBe("not-allowed");
  });

  it("binding by subject and by certificate to AP-title / AE-qualifier; mismatch is binding-mismatch", async () => {
    const client = side("client");
    const { X509Certificate } = await import("../../src/certificate/x509");
    const subject = new X509Certificate(pki.entities.client.certPem).subject;
    const server = side("server", {
      binding: [
        { apTitle: "1.1.1.999.1", aeQualifier: 12, subject },
        { apTitle: "1.1.1.999.2", certificate: pki.entities.clientB.certDer },
      ],
    });
    await server.verify(
      await client.credentials(context().ctx),
      context({ peerApTitle: "1.1.1.999.1", peerAeQualifier: 12 }).ctx,
    );
    for (const [apTitle, aeq] of [
      ["1.1.1.999.1", 13],
      ["1.1.1.999.2", undefined],
      ["1.1.1.999.3", 12],
      [undefined, undefined],
    ] as const) {
      const { ctx, events } = context({ peerApTitle: apTitle, peerAeQualifier: aeq, now: NOW + 1 });
      const e = await rejection(server.verify(await client.credentials(ctx), ctx));
      expect([e.code, e.reply]).toEqual(["binding-mismatch", FAILURE]);
      expect(events[0]?.peer).toBe(
        apTitle === undefined ? undefined : aeq === undefined ? apTitle : `${apTitle}/${aeq}`,
      );
    }
  });

  it("requireTlsCertificateMatch: the ACSE certificate must be the TLS peer certificate", async () => {
    const server = side("server", { requireTlsCertificateMatch: true });
    const client = side("client");
    await server.verify(
      await client.credentials(context().ctx),
      context({ transport: tlsWith(pki.entities.client.certDer) }).ctx,
    );
    for (const transport of [tlsWith(pki.entities.clientB.certDer), tlsWith(undefined), noTransportInfo]) {
      const { ctx } = context({ transport });
      const e = await rejection(server.verify(await client.credentials(ctx), ctx));
      expect([e.code, e.reply]).toEqual(["tls-certificate-mismatch", FAILURE]);
    }
  });
});

describe("mechanism name (R-ACSE-3, R-ACSE-10)", () => {
  const m = side("server");
  it("sends 1.0.840.0.1.0.1.1 and accepts 1.2.840.0.1.0.1.1", () => {
    expect(m.mechanismNames[0]).toBe(CERTIFICATE_MECHANISM_NAME);
    expect(checkMechanismName(m, CERTIFICATE_MECHANISM_NAME_LITERAL, context().ctx)).toBe(m);
    expect(checkMechanismName(m, CERTIFICATE_MECHANISM_NAME, context().ctx)).toBe(m);
  });
  it("missing: mechanism-name-required, AARE diagnostic 12; unknown: unknown-mechanism, AARE diagnostic 11", () => {
    const missing = context();
    try {
      checkMechanismName(m, undefined, missing.ctx);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: "mechanism-name-required", reply: { kind: "aare", diagnostic: 12 } });
    }
    expect(missing.events[0]?.detail.reason).toBe("mechanism-name-required");
    const unknown = context();
    try {
      checkMechanismName(m, "2.2.3.1", unknown.ctx);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: "unknown-mechanism", reply: { kind: "aare", diagnostic: 11 } });
    }
    expect(unknown.events[0]?.detail).toMatchObject({
      reason: "unknown-mechanism",
      mechanismName: "2.2.3.1",
    });
  });
  it("value missing: value-missing, ABRT authentication-required (6)", async () => {
    const { ctx, events } = context();
    const e = await rejection(m.verify(undefined as never, ctx));
    expect([e.code, e.reply]).toEqual(["value-missing", { kind: "abort", diagnostic: 6 }]);
    expect(events[0]?.detail.reason).toBe("value-missing");
  });
});

describe("pluggable crypto and key custody", () => {
  it("@peculiar/webcrypto as the provider on both sides (RSA and ECDSA)", async () => {
    const c = peculiarCrypto();
    for (const name of ["client", "clientEcdsa"] as const) {
      const value = await side(name, { crypto: c }).credentials(context().ctx);
      expect((await side("server", { crypto: c }).verify(value, context().ctx)).mechanism).toBe(
        "certificate",
      );
      // Interoperates with the default provider both ways.
      const v2 = await side(name, { crypto: c }).credentials(context({ now: NOW + 5 }).ctx);
      await side("server").verify(v2, context({ now: NOW + 5 }).ctx);
    }
  });

  it("a signer callback signs; the library never sees the key", async () => {
    const calls: SignatureAlgorithm[] = [];
    const key = await importSigningKey(pki.entities.client.keyPem, "rsa");
    const m = side("client", {
      privateKey: undefined as never,
      signer: async (data, algorithm) => {
        calls.push(algorithm);
        return new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, new Uint8Array(data)));
      },
    });
    const value = await m.credentials(context().ctx);
    expect(calls).toEqual([{ name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }]);
    expect((await side("server").verify(value, context().ctx)).mechanism).toBe("certificate");
  });

  it("an ECDSA signer returning r||s is put on the wire as DER", async () => {
    const key = await importSigningKey(pki.entities.clientEcdsa.keyPem, "ec");
    const m = side("clientEcdsa", {
      signer: async (data, algorithm) =>
        new Uint8Array(
          await crypto.subtle.sign({ name: "ECDSA", hash: algorithm.hash }, key, new Uint8Array(data)),
        ),
    });
    const value = await m.credentials(context().ctx);
    const sig = decodeCertificateValue(value).signature;
    expect(sig[0]).toBe(0x30);
    expect(ecdsaDerToRaw(sig)).toHaveLength(64);
    await side("server").verify(value, context().ctx);
  });

  it("a CryptoKey as privateKey; a key bound to the wrong hash is refused at construction", async () => {
    const key = await importSigningKey(pki.entities.client.keyPem, "rsa");
    const value = await side("client", { privateKey: key }).credentials(context().ctx);
    await side("server").verify(value, context().ctx);
    expect(() => side("client", { privateKey: key, signatureProfile: "sha1-time-content" })).toThrow(
      TypeError,
    );
  });

  it("configuration errors are thrown at construction", () => {
    expect(() => side("client", { trustAnchors: [] })).toThrow(TypeError);
    expect(() => side("oversize")).toThrow(RangeError);
    expect(() => side("client", { privateKey: undefined as never })).toThrow(TypeError);
  });
});
