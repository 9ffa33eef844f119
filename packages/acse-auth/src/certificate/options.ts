import type { Oid } from "@mms/asn1";
import type { PemOrDer } from "./material";
import type { ReplayCache } from "./replay-cache";
import type { SignatureAlgorithm, SignatureProfile } from "./signature";

/**
 * Signs the time seal with a key the library never sees (HSM, OS key store, remote signer).
 * Receives the octets to sign (not a digest) and the algorithm; returns the signature
 * (PKCS #1 v1.5 octets for RSA; for ECDSA either `r || s` or the DER Ecdsa-Sig-Value).
 */
export type TimeSealSigner = (data: Uint8Array, algorithm: SignatureAlgorithm) => Promise<Uint8Array>;

/**
 * Ties a certificate to the AP-title (and AE-qualifier) a peer presents (R-ACSE-9 "certificate
 * configured for this remote", R-ACSE-15). When any binding is configured, a peer whose
 * AP-title/AE-qualifier matches no binding, or whose certificate matches none of the bindings
 * of its AP-title, fails with `binding-mismatch`.
 */
export interface CertificateBinding {
  readonly apTitle: Oid;
  /** When set, the binding applies only to this AE-qualifier. */
  readonly aeQualifier?: number;
  /** Subject DN as @peculiar/x509 prints it, e.g. `CN=ied1, O=Utility` (spaces after commas ignored). */
  readonly subject?: string;
  /** The exact certificate (PEM or DER). */
  readonly certificate?: PemOrDer;
}

export interface CertificateAuthenticationOptions {
  /** Our certificate (PEM or DER), sent in our authentication value. At most 8192 octets DER. */
  readonly certificate: PemOrDer;
  /** Our private key: PEM PKCS#8 text or a WebCrypto key. Give this or `signer`. */
  readonly privateKey?: string | CryptoKey;
  /** A signing callback instead of a key (the key never enters the process). */
  readonly signer?: TimeSealSigner;
  /** Trusted CA certificates (several allowed; PEM bundles allowed). R-CA-1. */
  readonly trustAnchors: readonly PemOrDer[];
  /** Intermediate CA certificates (the peer sends only its end-entity certificate). */
  readonly intermediates?: readonly PemOrDer[];
  /** CRLs of the CAs above; replace them later with `setCrls`. R-TLS-6. */
  readonly crls?: readonly PemOrDer[];
  /** When set, only these exact certificates are accepted (R-CA-2 "whitelist" mode). */
  readonly allowList?: readonly PemOrDer[];
  /** Certificate ↔ AP-title/AE-qualifier bindings. */
  readonly binding?: readonly CertificateBinding[];
  /** The ACSE certificate must be the TLS peer certificate of the same connection. */
  readonly requireTlsCertificateMatch?: boolean;
  /** What we sign (default `sha256-time-content`). */
  readonly signatureProfile?: SignatureProfile;
  /**
   * Accept 2007-era peers: SHA-1 time-seal signatures and RSA keys of 1024..2047 bits, each
   * raising a warning event (`WRN_ACSE_LEGACY_SIGNATURE`, `WRN_ACSE_LEGACY_KEY`). Insecure.
   */
  readonly insecureAcceptLegacy?: boolean;
  /** Time-seal window either way, ms (default 600 000 = 10 min; never 0). R-ACSE-7. */
  readonly windowMs?: number;
  /** Replay cache (default: a new one of 10 000 entries). Share one between mechanisms of one server. */
  readonly replayCache?: ReplayCache;
  /** WebCrypto provider (default `globalThis.crypto`; `@peculiar/webcrypto`'s `Crypto` works). */
  readonly crypto?: Crypto;
  /**
   * Precision of the time seal we send: `millisecond` (default; `YYYYMMDDhhmmss.fffZ`, fraction
   * dropped when zero) or `second` (`YYYYMMDDhhmmssZ`, for peers that parse only that). Time
   * seals we send are strictly increasing, so two associations never share one.
   */
  readonly timeSealPrecision?: "millisecond" | "second";
  /** Default horizon of `checkExpiry`, ms (default 30 days). */
  readonly expiryHorizonMs?: number;
}

export const DEFAULT_WINDOW_MS = 600_000;
export const DEFAULT_EXPIRY_HORIZON_MS = 30 * 24 * 3_600_000;
/** R-TLS-9: the pre-alarm limit is at most 10 000 hours. */
export const MAX_EXPIRY_HORIZON_MS = 10_000 * 3_600_000;
