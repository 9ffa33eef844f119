import { X509Certificate as NodeX509 } from "node:crypto";
import { formatGeneralizedTime } from "@mms/asn1";
import { describe, expect, it } from "vitest";
import { ChainCache } from "../../src/certificate/chain-cache";
import { certificateAuthentication, certificateAuthenticationValue } from "../../src/certificate/index";
import { parseCertificates } from "../../src/certificate/material";
import { ascii, context, NOW, pki, rejection, side, signWith, toHex } from "./helpers";

// The mechanism keeps verified chains (per peer certificate), imported keys and rendered CRL
// issuer names between associations; what may change between two associations (the clock, the
// CRLs) is checked again on every use.

const store = { anchors: parseCertificates([pki.cas.caA.certPem, pki.cas.caB.certPem]), intermediates: [] };

async function revokedValue(now: number) {
  const time = formatGeneralizedTime(now);
  return certificateAuthenticationValue({
    certificate: pki.entities.revoked.certDer,
    time,
    signature: await signWith("revoked", ascii(time)),
  });
}

describe("certificate mechanism caches: checks still made on every use", () => {
  it("a revoked certificate is refused after setCrls although its chain is cached, accepted again after a reload without it", async () => {
    const server = side("server", { crls: [] });
    await server.verify(await revokedValue(NOW), context().ctx); // chain built and cached
    await server.verify(await revokedValue(NOW + 1), context({ now: NOW + 1 }).ctx); // from the cache
    server.setCrls([pki.cas.caA.crlPem]);
    const { ctx, events } = context({ now: NOW + 2 });
    const e = await rejection(server.verify(await revokedValue(NOW + 2), ctx));
    expect(e.code).toBe("certificate-revoked");
    expect(events[0]?.detail.reason).toBe("certificate-revoked");
    server.setCrls([]);
    await server.verify(await revokedValue(NOW + 3), context({ now: NOW + 3 }).ctx);
  });

  it("a cached certificate is refused once the injected clock passes its notAfter", async () => {
    const notAfter = Date.parse(new NodeX509(pki.entities.client.certDer).validTo);
    const server = side("server");
    const client = side("client");
    const at = (now: number) => context({ now }).ctx;
    await server.verify(await client.credentials(at(NOW)), at(NOW));
    await server.verify(await client.credentials(at(notAfter - 1000)), at(notAfter - 1000));
    const e = await rejection(
      server.verify(await client.credentials(at(notAfter + 1000)), at(notAfter + 1000)),
    );
    expect([e.code, e.detail.which]).toEqual(["certificate-expired", "end-entity"]);
  });

  it("a cached certificate is refused before its notBefore (clock set back)", async () => {
    const notBefore = Date.parse(new NodeX509(pki.entities.client.certDer).validFrom);
    const server = side("server");
    const client = side("client");
    const at = (now: number) => context({ now }).ctx;
    await server.verify(await client.credentials(at(NOW)), at(NOW));
    const e = await rejection(
      server.verify(await client.credentials(at(notBefore - 1000)), at(notBefore - 1000)),
    );
    expect(e.code).toBe("certificate-not-yet-valid");
  });
});

describe("ChainCache", () => {
  it("keeps a verified chain per certificate DER with its hash, subject and key", async () => {
    const cache = new ChainCache();
    const der = pki.entities.client.certDer;
    const a = await cache.get(der, store, crypto);
    if (!a.ok) throw new Error(a.message);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(der)));
    expect(a.hash).toBe(toHex(digest));
    expect(a.subject).toContain("CN=");
    expect(a.key).toEqual({ kind: "rsa", modulusBits: 2048 });
    expect(a.chain).toHaveLength(2);
    const b = await cache.get(new Uint8Array(der), store, crypto); // equal octets, other array
    expect(b).toBe(a);
    expect(cache.size).toBe(1);
  });

  it("keeps no failure: an unknown issuer or an undecodable certificate is not cached", async () => {
    const cache = new ChainCache();
    const unknown = await cache.get(pki.entities.unknownCa.certDer, store, crypto);
    expect(unknown.ok ? "ok" : unknown.code).toBe("unknown-issuer");
    const garbage = await cache.get(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00), store, crypto);
    expect(garbage.ok ? "ok" : garbage.code).toBe("malformed-value");
    expect(cache.size).toBe(0);
  });

  it("is bounded: the oldest entry goes first", async () => {
    const cache = new ChainCache(1);
    const first = await cache.get(pki.entities.client.certDer, store, crypto);
    await cache.get(pki.entities.server.certDer, store, crypto);
    expect(cache.size).toBe(1);
    const again = await cache.get(pki.entities.client.certDer, store, crypto);
    expect(again).not.toBe(first); // built anew
    expect(again.ok).toBe(true);
  });

  it("certificates differing in one octet are different entries", async () => {
    const cache = new ChainCache();
    const der = pki.entities.client.certDer;
    await cache.get(der, store, crypto);
    const tampered = new Uint8Array(der);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 1; // signature octet: the chain no longer verifies
    const r = await cache.get(tampered, store, crypto);
    expect(r.ok).toBe(false);
  });
});

describe("signing key imported at creation", () => {
  it("a private key that does not import is reported by credentials(), not by the constructor", async () => {
    const base = { certificate: pki.entities.client.certPem, trustAnchors: [pki.cas.caA.certPem] };
    const noBlock = certificateAuthentication({ ...base, privateKey: "not a key" });
    await expect(noBlock.credentials(context({ role: "initiator" }).ctx)).rejects.toThrow();
    const bad = `-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n`;
    const broken = certificateAuthentication({ ...base, privateKey: bad });
    await expect(broken.credentials(context({ role: "initiator" }).ctx)).rejects.toThrow();
  });

  it("signs at once with the pre-imported key (two mechanisms sign the same time seal alike)", async () => {
    const a = side("client");
    const b = side("client");
    const va = await a.credentials(context({ role: "initiator" }).ctx);
    const vb = await b.credentials(context({ role: "initiator" }).ctx);
    expect(va).toEqual(vb); // RSASSA-PKCS1-v1_5 is deterministic
  });
});
