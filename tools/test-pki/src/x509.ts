/**
 * Thin helpers over @peculiar/x509 (with Node's WebCrypto as the provider, passed explicitly:
 * nothing global is changed): key pairs, CA and end-entity certificates, CRLs, PEM.
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

/** The WebCrypto every call uses (Node's own). */
export const provider = webcrypto as unknown as Crypto;

export type KeyAlgorithm = "rsa2048" | "rsa1024" | "p256";

export interface Issued {
  readonly cert: x509.X509Certificate;
  readonly keys: CryptoKeyPair;
}

const RSA_SHA256 = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
const ECDSA_SHA256 = { name: "ECDSA", hash: "SHA-256" } as const;

/** Generates an extractable key pair. */
export async function generateKeys(alg: KeyAlgorithm): Promise<CryptoKeyPair> {
  if (alg === "p256") {
    return (await provider.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
      "sign",
      "verify",
    ])) as CryptoKeyPair;
  }
  return (await provider.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: alg === "rsa1024" ? 1024 : 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
}

/** The signature algorithm that goes with an issuer's private key. */
function signingAlgorithmOf(key: CryptoKey): typeof RSA_SHA256 | typeof ECDSA_SHA256 {
  return key.algorithm.name === "ECDSA" ? ECDSA_SHA256 : RSA_SHA256;
}

export interface CaParams {
  readonly name: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Issuer; a self-signed root when absent. */
  readonly issuer?: Issued;
}

/** A CA certificate (root when no issuer is given, intermediate otherwise). */
export async function createCa(p: CaParams): Promise<Issued> {
  const keys = await generateKeys("rsa2048");
  const signer = p.issuer?.keys.privateKey ?? keys.privateKey;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, p.issuer ? 0 : 1, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, provider),
  ];
  if (p.issuer) {
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(p.issuer.cert, false, provider));
  }
  const cert = await x509.X509CertificateGenerator.create(
    {
      subject: p.name,
      issuer: p.issuer ? p.issuer.cert.subject : p.name,
      notBefore: p.notBefore,
      notAfter: p.notAfter,
      publicKey: keys.publicKey,
      signingKey: signer,
      signingAlgorithm: signingAlgorithmOf(signer),
      extensions,
    },
    provider,
  );
  return { cert, keys };
}

export interface LeafParams {
  readonly name: string;
  readonly issuer: Issued;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly keyAlgorithm?: KeyAlgorithm;
  /** Default: digitalSignature + keyEncipherment (digitalSignature only for ECDSA). */
  readonly keyUsage?: number;
  /** Default: serverAuth + clientAuth. */
  readonly extendedKeyUsage?: readonly string[];
  /** Default: DNS localhost and IP 127.0.0.1. */
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  /** Extra (e.g. oversize) extensions. */
  readonly extraExtensions?: readonly x509.Extension[];
}

/** An IED end-entity certificate. */
export async function createLeaf(p: LeafParams): Promise<Issued> {
  const alg = p.keyAlgorithm ?? "rsa2048";
  const keys = await generateKeys(alg);
  const ku =
    p.keyUsage ??
    (alg === "p256"
      ? x509.KeyUsageFlags.digitalSignature
      : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment);
  const eku = p.extendedKeyUsage ?? [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth];
  const san = [
    ...(p.dnsNames ?? ["localhost"]).map((value) => ({ type: "dns" as const, value })),
    ...(p.ipAddresses ?? ["127.0.0.1"]).map((value) => ({ type: "ip" as const, value })),
  ];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(ku, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, provider),
    await x509.AuthorityKeyIdentifierExtension.create(p.issuer.cert, false, provider),
    new x509.SubjectAlternativeNameExtension(san, false),
    ...(p.extraExtensions ?? []),
  ];
  if (eku.length > 0) extensions.push(new x509.ExtendedKeyUsageExtension([...eku], false));
  const cert = await x509.X509CertificateGenerator.create(
    {
      subject: p.name,
      issuer: p.issuer.cert.subject,
      notBefore: p.notBefore,
      notAfter: p.notAfter,
      publicKey: keys.publicKey,
      signingKey: p.issuer.keys.privateKey,
      signingAlgorithm: signingAlgorithmOf(p.issuer.keys.privateKey),
      extensions,
    },
    provider,
  );
  return { cert, keys };
}

export interface CrlParams {
  readonly issuer: Issued;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly revoked?: readonly { serialNumber: string; date: Date }[];
}

/** A CRL as PEM with the `X509 CRL` label OpenSSL expects (toolchain.md pitfall). */
export async function createCrlPem(p: CrlParams): Promise<string> {
  const crl = await x509.X509CrlGenerator.create(
    {
      issuer: p.issuer.cert.subject,
      thisUpdate: p.thisUpdate,
      nextUpdate: p.nextUpdate,
      signingKey: p.issuer.keys.privateKey,
      signingAlgorithm: signingAlgorithmOf(p.issuer.keys.privateKey),
      entries: (p.revoked ?? []).map((r) => ({
        serialNumber: r.serialNumber,
        revocationDate: r.date,
        reason: x509.X509CrlReason.keyCompromise,
      })),
      extensions: [await x509.AuthorityKeyIdentifierExtension.create(p.issuer.cert, false, provider)],
    },
    provider,
  );
  return pem(crl.rawData, "X509 CRL");
}

/** PEM text ending with a newline (so that files concatenate). */
function pem(der: BufferSource, label: string): string {
  const text = x509.PemConverter.encode(der, label);
  return text.endsWith("\n") ? text : `${text}\n`;
}

/** PEM of a certificate. */
export function certPem(cert: x509.X509Certificate): string {
  return pem(cert.rawData, "CERTIFICATE");
}

/** PKCS#8 PEM of a private key. */
export async function keyPem(key: CryptoKey): Promise<string> {
  const pkcs8 = await provider.subtle.exportKey("pkcs8", key);
  return pem(pkcs8, "PRIVATE KEY");
}

/** A non-critical private extension carrying `size` opaque octets (to make a certificate large). */
export function paddingExtension(size: number): x509.Extension {
  // OCTET STRING wrapping `size` zero octets, under a private-use arc (2.25 = UUID-based OID).
  const body = new Uint8Array(size);
  const len = size < 0x80 ? [size] : size < 0x100 ? [0x81, size] : [0x82, size >> 8, size & 0xff];
  const value = new Uint8Array([0x04, ...len, ...body]);
  return new x509.Extension("2.25.329800735698586629295641978511506172918", false, value);
}

export { x509 };
