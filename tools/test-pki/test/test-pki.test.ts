import "reflect-metadata";
import { X509Certificate as NodeX509 } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { X509Crl } from "@peculiar/x509";
import { describe, expect, it } from "vitest";
import { CA_NAMES, ENTITY_NAMES, generateDemoPki, loadTestPki } from "../src/index";

const pki = loadTestPki();
const cert = (pem: string): NodeX509 => new NodeX509(pem);

describe("committed test PKI", () => {
  it("has every CA and entity, DER matching PEM", () => {
    for (const n of CA_NAMES) expect(cert(pki.cas[n].certPem).raw).toEqual(Buffer.from(pki.cas[n].certDer));
    for (const n of ENTITY_NAMES) {
      const e = pki.entities[n];
      expect(e.name).toBe(n);
      expect(cert(e.certPem).raw).toEqual(Buffer.from(e.certDer));
      expect(e.chainPem.startsWith(e.certPem)).toBe(true);
    }
  });

  it("good certificates chain to their CA and are valid 2025..2045", () => {
    const issuer = {
      server: "caA",
      client: "caA",
      clientB: "caB",
      clientEcdsa: "caA",
      clientInter: "interA",
    } as const;
    for (const [n, ca] of Object.entries(issuer)) {
      const c = cert(pki.entities[n as keyof typeof issuer].certPem);
      expect(c.verify(cert(pki.cas[ca].certPem).publicKey)).toBe(true);
      expect(new Date(c.validFrom).getUTCFullYear()).toBe(2025);
      expect(new Date(c.validTo).getUTCFullYear()).toBe(2045);
      expect(c.checkHost("localhost")).toBe("localhost");
      expect(c.checkIP("127.0.0.1")).toBe("127.0.0.1");
    }
    expect(cert(pki.cas.interA.certPem).verify(cert(pki.cas.caA.certPem).publicKey)).toBe(true);
    expect(pki.entities.clientInter.chainPem).toContain(pki.cas.interA.certPem);
  });

  it("bad certificates are bad in the intended way", () => {
    const e = pki.entities;
    expect(new Date(cert(e.expired.certPem).validTo).getUTCFullYear()).toBe(2021);
    expect(new Date(cert(e.notYetValid.certPem).validFrom).getUTCFullYear()).toBe(2040);
    expect(e.oversize.certDer.length).toBeGreaterThan(8192);
    expect(cert(e.rsa1024.certPem).publicKey.asymmetricKeyDetails?.modulusLength).toBe(1024);
    expect(cert(e.clientEcdsa.certPem).publicKey.asymmetricKeyType).toBe("ec");
    expect(cert(e.unknownCa.certPem).verify(cert(pki.cas.caRogue.certPem).publicKey)).toBe(true);
    expect(cert(e.wrongKeyUsage.certPem).keyUsage ?? []).not.toContain("1.3.6.1.5.5.7.3.2");
  });

  it("caA's CRL lists `revoked`; caB's expired CRL ended in 2021", () => {
    const crl = new X509Crl(pki.cas.caA.crlPem);
    const serial = cert(pki.entities.revoked.certPem).serialNumber.toLowerCase();
    expect(crl.entries.map((x) => x.serialNumber.toLowerCase())).toContain(serial);
    expect(pki.cas.caA.crlPem).toMatch(/^-----BEGIN X509 CRL-----/);
    expect(new X509Crl(pki.caBExpiredCrlPem).nextUpdate?.getUTCFullYear()).toBe(2021);
  });
});

describe("generateDemoPki", () => {
  it("writes a CA, server, client and CRL that verify", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mms-demo-pki-"));
    try {
      await generateDemoPki(dir, { days: 2 });
      const read = (f: string): string => readFileSync(join(dir, f), "utf8");
      const ca = cert(read("ca.pem"));
      for (const f of ["server.pem", "client.pem"]) expect(cert(read(f)).verify(ca.publicKey)).toBe(true);
      for (const f of ["ca.key", "server.key", "client.key"]) expect(read(f)).toContain("BEGIN PRIVATE KEY");
      expect(read("crl.pem")).toContain("BEGIN X509 CRL");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
