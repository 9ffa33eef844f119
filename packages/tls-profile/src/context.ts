import { constants } from "node:crypto";
import type { SecureContextOptions } from "node:tls";
import type { TlsProfile } from "./profile";

/** The profile fields a secure context is made of. */
export type ContextFields = Pick<
  TlsProfile,
  | "legacy2007"
  | "tls12Ciphers"
  | "tls13Ciphers"
  | "trustAnchors"
  | "certificateChain"
  | "privateKey"
  | "privateKeyPassphrase"
  | "minVersion"
  | "maxVersion"
  | "resumption"
  | "crls"
>;

/**
 * node:tls options of a profile. Verification is always requested but done by us
 * (`rejectUnauthorized: false` + `authorizationError`), so that every refusal raises the precise
 * security event (toolchain.md trap); the socket is destroyed before any data is delivered.
 */
export function secureContextOptions(profile: ContextFields): SecureContextOptions {
  // OpenSSL 3 refuses TLS 1.0/1.1 above security level 0; otherwise level 2 (RSA >= 2048, no SHA-1).
  const level = profile.legacy2007 ? 0 : 2;
  const ciphers = [...profile.tls13Ciphers, ...profile.tls12Ciphers, `@SECLEVEL=${level}`].join(":");
  const opts: SecureContextOptions = {
    ca: [...profile.trustAnchors],
    cert: profile.certificateChain,
    key: profile.privateKey,
    ciphers,
    honorCipherOrder: true,
    minVersion: profile.minVersion,
    maxVersion: profile.maxVersion,
    sessionTimeout: profile.resumption.lifetimeSeconds,
    // SSL 2/3 are compiled out of OpenSSL 3; compression off (CRIME).
    secureOptions:
      constants.SSL_OP_NO_COMPRESSION | (profile.resumption.enabled ? 0 : constants.SSL_OP_NO_TICKET),
    dhparam: "auto",
  };
  if (profile.privateKeyPassphrase !== undefined) opts.passphrase = profile.privateKeyPassphrase;
  if (profile.crls.length > 0) opts.crl = profile.crls.map((c) => c.pem);
  return opts;
}
