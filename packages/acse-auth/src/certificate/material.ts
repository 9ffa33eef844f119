import { CertificateValueError } from "./value";
import { X509Certificate, X509Crl } from "./x509";

/** A certificate, CRL or key given as PEM text or DER octets. */
export type PemOrDer = string | Uint8Array;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** DER of every PEM block of a text (or the DER itself), optionally only blocks with `labels`. */
export function derBlocks(input: PemOrDer, labels?: readonly string[]): Uint8Array[] {
  if (typeof input !== "string") return [input];
  const out: Uint8Array[] = [];
  for (const m of input.matchAll(PEM_BLOCK)) {
    const label = m[1] ?? "";
    if (labels && !labels.includes(label)) continue;
    out.push(base64ToBytes((m[2] ?? "").replace(/\s+/g, "")));
  }
  if (out.length === 0) throw new TypeError("no PEM block found");
  return out;
}

function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Parses configured certificates (each entry PEM — possibly a bundle — or DER). */
export function parseCertificates(inputs: readonly PemOrDer[]): X509Certificate[] {
  return inputs.flatMap((i) => derBlocks(i, ["CERTIFICATE"]).map((der) => new X509Certificate(copy(der))));
}

/** Parses configured CRLs (PEM label `X509 CRL` or `CRL`, or DER). */
export function parseCrls(inputs: readonly PemOrDer[]): X509Crl[] {
  return inputs.flatMap((i) => derBlocks(i, ["X509 CRL", "CRL"]).map((der) => new X509Crl(copy(der))));
}

/** Parses a peer's certificate octets; a decode failure is a malformed value (R-ACSE-9). */
export function parsePeerCertificate(der: Uint8Array): X509Certificate {
  try {
    return new X509Certificate(copy(der));
  } catch (e) {
    throw new CertificateValueError(
      "malformed-value",
      `certificate does not decode: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** An ArrayBuffer-backed copy (WebCrypto and @peculiar/x509 want plain ArrayBuffers). */
export function copy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function toHexString(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}
