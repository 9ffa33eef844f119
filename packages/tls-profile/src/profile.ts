import { createPrivateKey, type KeyObject, type X509Certificate } from "node:crypto";
import { createSecureContext, type SecureContext } from "node:tls";
import type { Clock, SecurityEvent } from "@mms/io";
import { systemClock } from "@mms/io";
import {
  ALLOWED_TLS12_CIPHERS,
  ALLOWED_TLS13_CIPHERS,
  DEFAULT_TLS12_CIPHERS,
  DEFAULT_TLS13_CIPHERS,
  LEGACY_TLS10_CIPHERS,
} from "./ciphers";
import { secureContextOptions } from "./context";
import { TlsProfileError } from "./errors";
import { intIn, listOption, objectOption, parseCerts } from "./option-checks";
import { type CrlInfo, derToPem, namesOf, parseCrl, pemBlocks } from "./pem";

export type TlsVersion = "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";
const VERSION_ORDER: readonly TlsVersion[] = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

/** Who starts scheduled TLS 1.2 renegotiations. */
export type RekeyInitiator = "both" | "server" | "client";

export interface RekeyOptions {
  /** Renegotiate after this much time (ms; 0 = never; at most 24 h, IEC 62351-3). Default 30 min. */
  intervalMs?: number;
  /** Renegotiate after this many messages written on the stream (0 = never). Default 5000. */
  maxMessages?: number;
  /** A renegotiation must complete within this (ms), or the session is closed. Default 60 s. */
  timeoutMs?: number;
  /**
   * Which side runs the schedule. Default "server": the server sends HelloRequest on its
   * schedule and closes a session whose client does not follow (IEC 62351-3); a client answers
   * the server's requests but starts none of its own, because many servers refuse a client's
   * renegotiation, which ends the session (libiec61850 1.5 and nginx refuse it, node:tls allows
   * 3 per 10 minutes). "both" or "client" make a client keep its own schedule too.
   */
  initiator?: RekeyInitiator;
}

export interface ResumptionOptions {
  /** Default true. */
  enabled?: boolean;
  /** Maximum lifetime of a resumable session (s). Default 6 h. */
  lifetimeSeconds?: number;
}

export interface TlsProfileOptions {
  /** PEM trust anchors (one or more certificates per string; any number, at least one). */
  trustAnchors: readonly string[];
  /** PEM: our certificate, then its intermediates. */
  certificateChain: string;
  /** PEM private key of our certificate. */
  privateKey: string;
  privateKeyPassphrase?: string;
  /** PEM CRLs (label `X509 CRL`). Once any is given, every CA of a chain needs one. */
  crls?: readonly string[];
  /** When set, the peer's end-entity certificate must be one of these (PEM or DER; exact DER
   * match). An empty list rejects everyone. */
  allowList?: readonly (string | Uint8Array)[];
  /** Default TLSv1.2 (TLSv1 with `legacy2007`). */
  minVersion?: TlsVersion;
  /** Default TLSv1.3. */
  maxVersion?: TlsVersion;
  /** TLS 1.2 suites (OpenSSL names), from `ALLOWED_TLS12_CIPHERS`. */
  tls12Ciphers?: readonly string[];
  /** TLS 1.3 suites, from `ALLOWED_TLS13_CIPHERS`. */
  tls13Ciphers?: readonly string[];
  /** IEC 62351-4:2007 peers: allows TLS 1.0/1.1 (and CBC-SHA1 suites for them), with a
   * WRN_INSECURE_TLS_VERSION event on every such session. Nothing else is relaxed. */
  legacy2007?: boolean;
  /** Largest accepted certificate (octets, DER). Default and minimum 8192 (IEC 62351-3). */
  maxCertificateSize?: number;
  rekey?: RekeyOptions;
  resumption?: ResumptionOptions;
  /** Handshake deadline on a listener (ms). Default 10 000. */
  handshakeTimeoutMs?: number;
  /** On CRL reload, close live sessions whose peer is now revoked. Default true. */
  closeRevokedSessions?: boolean;
  /** WRN_CERT_EXPIRES_SOON when a certificate expires within this many days. Default 30. */
  certificateExpiryWarningDays?: number;
  /** Typed listener; events are also published on the `mms:security` diagnostics channel. */
  onSecurityEvent?: (event: SecurityEvent) => void;
  clock?: Clock;
}

/** A validated, frozen profile. */
export interface TlsProfile {
  readonly trustAnchors: readonly string[];
  /** The trust anchors as DER. */
  readonly trustAnchorsDer: readonly Uint8Array[];
  readonly certificateChain: string;
  readonly privateKey: string;
  readonly privateKeyPassphrase: string | undefined;
  readonly crls: readonly CrlInfo[];
  readonly allowList: readonly Uint8Array[] | undefined;
  readonly minVersion: TlsVersion;
  readonly maxVersion: TlsVersion;
  readonly tls12Ciphers: readonly string[];
  readonly tls13Ciphers: readonly string[];
  readonly legacy2007: boolean;
  readonly maxCertificateSize: number;
  readonly rekey: Readonly<Required<RekeyOptions>>;
  readonly resumption: Readonly<Required<ResumptionOptions>>;
  readonly handshakeTimeoutMs: number;
  readonly closeRevokedSessions: boolean;
  readonly certificateExpiryWarningDays: number;
  readonly onSecurityEvent: ((event: SecurityEvent) => void) | undefined;
  readonly clock: Clock;
  /** The node:tls context made from this profile once (used by `connectTls`). */
  readonly secureContext: SecureContext;
  /** Our own certificate (end-entity), parsed. */
  readonly ownCertificate: X509Certificate | undefined;
  /** The options this profile was made from (for `withTlsProfileChanges`). */
  readonly options: Readonly<TlsProfileOptions>;
}

/** The defaults of DECISIONS.md, in one place. */
export const TLS_PROFILE_DEFAULTS = Object.freeze({
  minVersion: "TLSv1.2" as TlsVersion,
  maxVersion: "TLSv1.3" as TlsVersion,
  tls12Ciphers: DEFAULT_TLS12_CIPHERS,
  tls13Ciphers: DEFAULT_TLS13_CIPHERS,
  maxCertificateSize: 8192,
  rekey: Object.freeze({
    intervalMs: 30 * 60_000,
    maxMessages: 5000,
    timeoutMs: 60_000,
    initiator: "server" as RekeyInitiator,
  }),
  resumption: Object.freeze({ enabled: true, lifetimeSeconds: 6 * 3600 }),
  handshakeTimeoutMs: 10_000,
  closeRevokedSessions: true,
  certificateExpiryWarningDays: 30,
});

const KNOWN_OPTIONS = new Set<string>([
  "trustAnchors",
  "certificateChain",
  "privateKey",
  "privateKeyPassphrase",
  "crls",
  "allowList",
  "minVersion",
  "maxVersion",
  "tls12Ciphers",
  "tls13Ciphers",
  "legacy2007",
  "maxCertificateSize",
  "rekey",
  "resumption",
  "handshakeTimeoutMs",
  "closeRevokedSessions",
  "certificateExpiryWarningDays",
  "onSecurityEvent",
  "clock",
]);

const DAY_MS = 86_400_000;

/**
 * Validates options once and returns a frozen profile. Every problem is reported together in
 * one `TlsProfileError` (code `invalid-profile`).
 */
export function createTlsProfile(options: TlsProfileOptions): TlsProfile {
  const p: string[] = [];
  const o = options ?? ({} as TlsProfileOptions);
  for (const k of Object.keys(o)) if (!KNOWN_OPTIONS.has(k)) p.push(`unknown option "${k}"`);
  for (const b of ["legacy2007", "closeRevokedSessions"] as const) {
    if (o[b] !== undefined && typeof o[b] !== "boolean") p.push(`${b} must be a boolean`);
  }
  if (o.clock !== undefined && typeof o.clock?.now !== "function") p.push("clock must have a now() function");
  const clock = typeof o.clock?.now === "function" ? o.clock : systemClock;
  const now = clock.now();
  const legacy = o.legacy2007 === true;
  const maxCertificateSize = intIn(p, "maxCertificateSize", o.maxCertificateSize, 8192, 65_535, 8192);

  // Trust anchors (R-CA-1: any number, at least one).
  const anchors: X509Certificate[] = [];
  if (!Array.isArray(o.trustAnchors) || o.trustAnchors.length === 0) {
    p.push("trustAnchors: at least one trust anchor is required");
  } else {
    o.trustAnchors.forEach((pem, i) => {
      for (const c of parseCerts(p, `trustAnchors[${i}]`, String(pem))) {
        if (!c.ca) p.push(`trustAnchors[${i}]: "${c.subject.replace(/\n/g, ", ")}" is not a CA certificate`);
        anchors.push(c);
      }
    });
  }

  // Own certificate and key.
  let ownCertificate: X509Certificate | undefined;
  let key: KeyObject | undefined;
  if (typeof o.certificateChain !== "string") p.push("certificateChain (PEM) is required");
  else {
    const chain = parseCerts(p, "certificateChain", o.certificateChain);
    ownCertificate = chain[0];
    for (const c of chain) {
      if (c.raw.length > maxCertificateSize) {
        p.push(`certificateChain: a certificate is ${c.raw.length} octets (max ${maxCertificateSize})`);
      }
    }
  }
  if (typeof o.privateKey !== "string") p.push("privateKey (PEM) is required");
  else {
    try {
      key = createPrivateKey(
        o.privateKeyPassphrase === undefined
          ? o.privateKey
          : { key: o.privateKey, passphrase: o.privateKeyPassphrase },
      );
    } catch (e) {
      p.push(`privateKey: unreadable (${(e as Error).message})`);
    }
  }
  if (ownCertificate) {
    if (key && !ownCertificate.checkPrivateKey(key)) p.push("privateKey does not match the certificate");
    if (Date.parse(ownCertificate.validTo) < now)
      p.push(`certificateChain: own certificate expired on ${ownCertificate.validTo}`);
    if (Date.parse(ownCertificate.validFrom) > now)
      p.push(`certificateChain: own certificate is valid only from ${ownCertificate.validFrom}`);
    const d = ownCertificate.publicKey.asymmetricKeyDetails;
    if (ownCertificate.publicKey.asymmetricKeyType === "rsa" && (d?.modulusLength ?? 0) < 2048) {
      p.push(`certificateChain: RSA key of ${d?.modulusLength} bits (at least 2048)`);
    }
  }

  // CRLs: once any is configured, OpenSSL checks the whole chain (CRL_CHECK_ALL).
  const crls: CrlInfo[] = [];
  (listOption(p, "crls", o.crls) ?? []).forEach((pem, i) => {
    try {
      crls.push(parseCrl(String(pem)));
    } catch (e) {
      p.push(`crls[${i}]: unreadable CRL (${(e as Error).message}); the PEM label must be X509 CRL`);
    }
  });
  if (crls.length > 0) {
    const issuers = new Set(crls.map((c) => c.issuer));
    for (const a of anchors) {
      const subject = namesOf(new Uint8Array(a.raw)).subject;
      if (!issuers.has(subject))
        p.push(`crls: trust anchor "${subject}" has no CRL (every CA needs one once CRLs are used)`);
    }
  }

  // Allow-list (R-CA-2): exact DER.
  let allowList: Uint8Array[] | undefined;
  const allowOption = listOption(p, "allowList", o.allowList);
  if (allowOption !== undefined) {
    allowList = [];
    allowOption.forEach((entry, i) => {
      if (entry instanceof Uint8Array) allowList?.push(new Uint8Array(entry));
      else {
        const ders = pemBlocks(String(entry), "CERTIFICATE");
        if (ders.length === 0) p.push(`allowList[${i}]: no PEM CERTIFICATE found`);
        allowList?.push(...ders);
      }
    });
  }

  // Versions.
  const minVersion = o.minVersion ?? (legacy ? "TLSv1" : TLS_PROFILE_DEFAULTS.minVersion);
  const maxVersion = o.maxVersion ?? TLS_PROFILE_DEFAULTS.maxVersion;
  for (const [name, v] of [
    ["minVersion", minVersion],
    ["maxVersion", maxVersion],
  ] as const) {
    if (!VERSION_ORDER.includes(v)) p.push(`${name}: unknown version "${String(v)}" (SSL is never allowed)`);
    else if (VERSION_ORDER.indexOf(v) < 2 && !legacy)
      p.push(`${name} ${v} is insecure: it needs legacy2007: true`);
  }
  if (VERSION_ORDER.indexOf(minVersion) > VERSION_ORDER.indexOf(maxVersion))
    p.push("minVersion is above maxVersion");

  // Cipher suites.
  const tls12Ciphers = [
    ...(listOption(p, "tls12Ciphers", o.tls12Ciphers) ??
      (legacy ? [...DEFAULT_TLS12_CIPHERS, ...LEGACY_TLS10_CIPHERS] : DEFAULT_TLS12_CIPHERS)),
  ];
  const tls13Ciphers = [
    ...(listOption(p, "tls13Ciphers", o.tls13Ciphers) ?? TLS_PROFILE_DEFAULTS.tls13Ciphers),
  ];
  for (const c of tls12Ciphers) {
    if (!ALLOWED_TLS12_CIPHERS.has(c) && !(legacy && LEGACY_TLS10_CIPHERS.includes(c))) {
      p.push(`tls12Ciphers: "${String(c)}" is unknown or insecure`);
    }
  }
  for (const c of tls13Ciphers)
    if (!ALLOWED_TLS13_CIPHERS.has(c)) p.push(`tls13Ciphers: "${String(c)}" is unknown or insecure`);
  if (maxVersion !== "TLSv1.3" && tls12Ciphers.length === 0) p.push("tls12Ciphers is empty");
  if (maxVersion === "TLSv1.3" && tls13Ciphers.length === 0) p.push("tls13Ciphers is empty");

  // Rekeying (R-TLS-4), resumption, timers.
  const r = objectOption(p, "rekey", o.rekey);
  const rekey = Object.freeze({
    intervalMs: intIn(p, "rekey.intervalMs", r.intervalMs, 0, DAY_MS, TLS_PROFILE_DEFAULTS.rekey.intervalMs),
    maxMessages: intIn(
      p,
      "rekey.maxMessages",
      r.maxMessages,
      0,
      2 ** 31,
      TLS_PROFILE_DEFAULTS.rekey.maxMessages,
    ),
    timeoutMs: intIn(p, "rekey.timeoutMs", r.timeoutMs, 10, 600_000, TLS_PROFILE_DEFAULTS.rekey.timeoutMs),
    initiator: r.initiator ?? TLS_PROFILE_DEFAULTS.rekey.initiator,
  });
  if (!["both", "server", "client"].includes(rekey.initiator))
    p.push(`rekey.initiator: "${String(rekey.initiator)}" is not both, server or client`);
  const rs = objectOption(p, "resumption", o.resumption);
  const resumption = Object.freeze({
    enabled: rs.enabled === undefined ? TLS_PROFILE_DEFAULTS.resumption.enabled : rs.enabled === true,
    lifetimeSeconds: intIn(
      p,
      "resumption.lifetimeSeconds",
      rs.lifetimeSeconds,
      1,
      86_400,
      TLS_PROFILE_DEFAULTS.resumption.lifetimeSeconds,
    ),
  });
  const handshakeTimeoutMs = intIn(
    p,
    "handshakeTimeoutMs",
    o.handshakeTimeoutMs,
    100,
    600_000,
    TLS_PROFILE_DEFAULTS.handshakeTimeoutMs,
  );
  const certificateExpiryWarningDays = intIn(
    p,
    "certificateExpiryWarningDays",
    o.certificateExpiryWarningDays,
    0,
    3650,
    TLS_PROFILE_DEFAULTS.certificateExpiryWarningDays,
  );
  if (o.onSecurityEvent !== undefined && typeof o.onSecurityEvent !== "function")
    p.push("onSecurityEvent must be a function");

  if (p.length > 0) throw new TlsProfileError(p);
  const fields = {
    trustAnchors: Object.freeze(anchors.map((a) => derToPem(new Uint8Array(a.raw), "CERTIFICATE"))),
    trustAnchorsDer: Object.freeze(anchors.map((a) => new Uint8Array(a.raw))),
    certificateChain: o.certificateChain,
    privateKey: o.privateKey,
    privateKeyPassphrase: o.privateKeyPassphrase,
    crls: Object.freeze(crls),
    allowList: allowList === undefined ? undefined : Object.freeze(allowList),
    minVersion,
    maxVersion,
    tls12Ciphers: Object.freeze(tls12Ciphers),
    tls13Ciphers: Object.freeze(tls13Ciphers),
    legacy2007: legacy,
    maxCertificateSize,
    rekey,
    resumption,
    handshakeTimeoutMs,
    closeRevokedSessions: o.closeRevokedSessions !== false,
    certificateExpiryWarningDays,
    onSecurityEvent: o.onSecurityEvent,
    clock,
    ownCertificate,
    options: Object.freeze({ ...o }),
  };
  let secureContext: SecureContext;
  try {
    secureContext = createSecureContext(secureContextOptions(fields));
  } catch (e) {
    throw new TlsProfileError([`node:tls refused the profile: ${(e as Error).message}`]);
  }
  return Object.freeze({ ...fields, secureContext });
}

/** A new profile with some options replaced (validated again). */
export function withTlsProfileChanges(profile: TlsProfile, changes: Partial<TlsProfileOptions>): TlsProfile {
  return createTlsProfile({ ...profile.options, ...changes });
}
