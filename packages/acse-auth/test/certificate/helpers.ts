import { createRequire } from "node:module";
import { noTransportInfo, type SecurityEvent, type TransportInfo } from "@mms/io";
import { type AuthenticationContext, AuthenticationError } from "../../src/auth/mechanism";
import {
  type CertificateAuthenticationOptions,
  type CertificateMechanism,
  certificateAuthentication,
} from "../../src/certificate/index";
// @mms/test-pki is a private workspace tool not declared by @mms/acse-auth: import it by path.
import { type EntityName, loadTestPki } from "../../../../tools/test-pki/src/index";

export const pki = loadTestPki();

/** A fixed instant inside the validity of every good test certificate. */
export const NOW = Date.parse("2026-06-01T12:00:00Z");

/** @peculiar/webcrypto, resolved through the test PKI's dependencies (a drop-in WebCrypto). */
export function peculiarCrypto(): Crypto {
  const req = createRequire(new URL("../../../../tools/test-pki/package.json", import.meta.url));
  const mod = req("@peculiar/webcrypto") as { Crypto: new () => Crypto };
  return new mod.Crypto();
}

export interface TestContext {
  readonly ctx: AuthenticationContext;
  readonly events: SecurityEvent[];
}

export function context(
  overrides: Partial<Omit<AuthenticationContext, "emit">> & { transport?: TransportInfo } = {},
): TestContext {
  const events: SecurityEvent[] = [];
  const ctx: AuthenticationContext = {
    role: "responder",
    now: NOW,
    transport: noTransportInfo,
    peerApTitle: undefined,
    peerAeQualifier: undefined,
    ...overrides,
    emit: (e) => events.push(e),
  };
  return { ctx, events };
}

/** The trust configuration every test side shares: caA, caB, interA, their CRLs. */
export const trust = {
  trustAnchors: [pki.cas.caA.certPem, pki.cas.caB.certPem],
  intermediates: [pki.cas.interA.certPem],
  crls: [pki.cas.caA.crlPem, pki.cas.caB.crlPem, pki.cas.interA.crlPem],
} as const;

/** A mechanism acting as the given test entity. */
export function side(
  name: EntityName,
  options: Partial<CertificateAuthenticationOptions> = {},
): CertificateMechanism {
  const e = pki.entities[name];
  return certificateAuthentication({ certificate: e.certPem, privateKey: e.keyPem, ...trust, ...options });
}

/** PKCS#8 PEM → CryptoKey for signing, under the given hash (RSA) or ECDSA P-256. */
export async function importSigningKey(
  keyPem: string,
  kind: "rsa" | "ec",
  hash: "SHA-256" | "SHA-1" = "SHA-256",
) {
  const b64 = keyPem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  const der = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return crypto.subtle.importKey(
    "pkcs8",
    der,
    kind === "ec" ? { name: "ECDSA", namedCurve: "P-256" } : { name: "RSASSA-PKCS1-v1_5", hash },
    false,
    ["sign"],
  );
}

/** Signs arbitrary bytes with a test entity's key (for forged values). */
export async function signWith(
  name: EntityName,
  data: Uint8Array,
  hash: "SHA-256" | "SHA-1" = "SHA-256",
): Promise<Uint8Array> {
  const kind = name === "clientEcdsa" ? "ec" : "rsa";
  const key = await importSigningKey(pki.entities[name].keyPem, kind, hash);
  const params = kind === "ec" ? { name: "ECDSA", hash } : { name: "RSASSA-PKCS1-v1_5" };
  return new Uint8Array(await crypto.subtle.sign(params, key, new Uint8Array(data)));
}

export const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Asserts an AuthenticationError with this code and reply, and returns it. */
export async function rejection(p: Promise<unknown>): Promise<AuthenticationError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AuthenticationError) return e;
    throw e;
  }
  throw new Error("expected an AuthenticationError, the promise resolved");
}

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}
