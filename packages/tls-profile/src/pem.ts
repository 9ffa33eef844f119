import "reflect-metadata";
import { X509Crl, X509Certificate as PeculiarCertificate } from "@peculiar/x509";

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Every PEM block of a text with the given label, as DER. */
export function pemBlocks(text: string, label: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    if (m[1] === label && m[2] !== undefined) {
      out.push(new Uint8Array(Buffer.from(m[2].replace(/\s+/g, ""), "base64")));
    }
  }
  return out;
}

/** DER to PEM. */
export function derToPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString("base64");
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, "$&\n")}-----END ${label}-----\n`;
}

/** Equality of two byte arrays. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}

/** Serial numbers compared as lower-case hex without leading zeros. */
export function normalizeSerial(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, "");
}

/** What the profile needs from a CRL. */
export interface CrlInfo {
  readonly pem: string;
  readonly issuer: string;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  readonly revokedSerials: ReadonlySet<string>;
}

/** Parses one CRL (PEM, label `X509 CRL`). Throws on malformed input. */
export function parseCrl(pem: string): CrlInfo {
  const crl = new X509Crl(pem);
  return {
    pem,
    issuer: crl.issuer,
    thisUpdate: crl.thisUpdate,
    nextUpdate: crl.nextUpdate,
    revokedSerials: new Set(crl.entries.map((e) => normalizeSerial(e.serialNumber))),
  };
}

/** The hash of a certificate's signature algorithm, lower case (`sha-256`, `sha-1`, …). */
export function signatureHashOf(der: Uint8Array): string {
  const c = new PeculiarCertificate(der as Uint8Array<ArrayBuffer>);
  const alg = c.signatureAlgorithm as { hash?: { name?: string } };
  return (alg.hash?.name ?? "unknown").toLowerCase();
}

/** Issuer and subject names of a certificate in the same string form as `CrlInfo.issuer`. */
export function namesOf(der: Uint8Array): { subject: string; issuer: string; serial: string } {
  const c = new PeculiarCertificate(der as Uint8Array<ArrayBuffer>);
  return { subject: c.subject, issuer: c.issuer, serial: normalizeSerial(c.serialNumber) };
}
