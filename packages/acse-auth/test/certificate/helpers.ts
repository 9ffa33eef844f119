import { createRequire } from "node:module";
import { noTransportInfo, type SecurityEvent, type TransportInfo } from "@mms/io";
import type { AuthenticationContext } from "../../src/auth/mechanism";
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
