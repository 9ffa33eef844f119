/**
 * Cipher suites (OpenSSL names). DECISIONS.md "Cipher suites": NULL, export, RC4, anonymous and
 * 3DES suites are never negotiated, so a profile may only name suites from these catalogues.
 */

/** Default TLS 1.2 list: ECDHE with AES-GCM, DHE-RSA-AES128-GCM, and TLS_RSA_WITH_AES_128_CBC_SHA256
 * (mandatory in IEC 62351-4:2018, the only kind many deployed IEDs offer). */
export const DEFAULT_TLS12_CIPHERS: readonly string[] = Object.freeze([
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "DHE-RSA-AES128-GCM-SHA256",
  "AES128-SHA256",
]);

/** Default TLS 1.3 suites. */
export const DEFAULT_TLS13_CIPHERS: readonly string[] = Object.freeze([
  "TLS_AES_128_GCM_SHA256",
  "TLS_AES_256_GCM_SHA384",
]);

/** TLS 1.2 suites a profile may add (all authenticated, AEAD or CBC with SHA-2). */
export const ALLOWED_TLS12_CIPHERS: ReadonlySet<string> = new Set([
  ...DEFAULT_TLS12_CIPHERS,
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-CHACHA20-POLY1305",
  "DHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-AES128-SHA256",
  "ECDHE-RSA-AES128-SHA256",
  "ECDHE-ECDSA-AES256-SHA384",
  "ECDHE-RSA-AES256-SHA384",
  "DHE-RSA-AES128-SHA256",
  "DHE-RSA-AES256-SHA256",
  "AES256-SHA256",
  "AES128-GCM-SHA256",
  "AES256-GCM-SHA384",
]);

/** TLS 1.3 suites a profile may name. */
export const ALLOWED_TLS13_CIPHERS: ReadonlySet<string> = new Set([
  ...DEFAULT_TLS13_CIPHERS,
  "TLS_CHACHA20_POLY1305_SHA256",
]);

/**
 * CBC-SHA1 suites that TLS 1.0/1.1 peers need; only with `legacy2007`. The 2007 mandatory
 * TLS_DH_DSS_WITH_AES_256_CBC_SHA (0x0036) is not here: OpenSSL 3 cannot offer static-DH suites.
 */
export const LEGACY_TLS10_CIPHERS: readonly string[] = Object.freeze([
  "ECDHE-RSA-AES128-SHA",
  "ECDHE-RSA-AES256-SHA",
  "ECDHE-ECDSA-AES128-SHA",
  "ECDHE-ECDSA-AES256-SHA",
  "DHE-RSA-AES128-SHA",
  "DHE-RSA-AES256-SHA",
  "AES128-SHA",
  "AES256-SHA",
]);
