import { type SecurityEvent, securityEvent } from "@mms/io";
import type {
  AuthenticationContext,
  AuthenticationMechanism,
  AuthenticationValue,
  PeerIdentity,
} from "../auth/mechanism";
import { checkCertificateExpiry, type ExpiryFinding } from "./expiry";
import { certificateFailure, peerLabel } from "./failure";
import { copy, derBlocks, type PemOrDer, parseCertificates, parseCrls } from "./material";
import { CERTIFICATE_MECHANISM_NAMES, MAX_CERTIFICATE_OCTETS } from "./oids";
import { type CertificateAuthenticationOptions, DEFAULT_WINDOW_MS } from "./options";
import { checkPeerCertificate } from "./peer-checks";
import { ReplayCache } from "./replay-cache";
import { keyInfoOf } from "./signature";
import { TimeSealSigning } from "./signing";
import { ChainCache } from "./chain-cache";
import { CrlIndex, checkChainState, type TrustStore } from "./trust";
import { certificateAuthenticationValue, CertificateValueError, decodeCertificateValue } from "./value";
import { PublicKeyCache, verifyTimeSealSignature } from "./verify-signature";

/** The certificate mechanism, with its maintenance operations. */
export interface CertificateMechanism extends AuthenticationMechanism {
  readonly name: "certificate";
  /** DER of our certificate. */
  readonly certificate: Uint8Array;
  readonly replayCache: ReplayCache;
  /** Replaces the CRLs (after a periodic re-read). R-TLS-6. */
  setCrls(crls: readonly PemOrDer[]): void;
  /** Expiry pre-alarm over our certificate, the trust anchors and intermediates. R-TLS-9. */
  checkExpiry(now: number, emit: (event: SecurityEvent) => void, horizonMs?: number): ExpiryFinding[];
}

/**
 * IEC 62351-4:2007 §5.3 certificate-based peer-entity authentication (R-ACSE-1..12): our
 * `credentials` are our certificate, a fresh time seal and its signature; `verify` checks the
 * peer's value completely and answers with the peer's identity, or throws an
 * `AuthenticationError` (reply ABRT 5, or 6 when the value is missing) after raising a security
 * event with the precise reason.
 */
export function certificateAuthentication(options: CertificateAuthenticationOptions): CertificateMechanism {
  const crypto = options.crypto ?? globalThis.crypto;
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  if (!(windowMs > 0 && Number.isFinite(windowMs)))
    throw new RangeError("certificateAuthentication: windowMs must be > 0 (R-ACSE-7)");
  const own = parseCertificates([options.certificate]);
  const ownCert = own[0];
  if (!ownCert) throw new TypeError("certificateAuthentication: no certificate");
  const ownDer = new Uint8Array(ownCert.rawData);
  if (ownDer.length > MAX_CERTIFICATE_OCTETS)
    throw new RangeError(
      `certificateAuthentication: our certificate exceeds ${MAX_CERTIFICATE_OCTETS} octets`,
    );
  const ownKey = keyInfoOf(ownCert.publicKey.algorithm);
  if (ownKey.kind === "other")
    throw new TypeError(`certificateAuthentication: unsupported key ${ownKey.algorithm}`);
  const source =
    options.signer !== undefined
      ? { signer: options.signer }
      : options.privateKey !== undefined
        ? { privateKey: options.privateKey }
        : undefined;
  if (!source) throw new TypeError("certificateAuthentication: give privateKey or signer");
  const signing = new TimeSealSigning(
    ownDer,
    ownKey,
    options.signatureProfile ?? "sha256-time-content",
    crypto,
    source,
    options.timeSealPrecision ?? "millisecond",
  );
  const anchors = parseCertificates(options.trustAnchors);
  if (anchors.length === 0)
    throw new TypeError("certificateAuthentication: at least one trust anchor is required");
  const intermediates = parseCertificates(options.intermediates ?? []);
  const store: TrustStore = { anchors, intermediates };
  let crls = new CrlIndex(parseCrls(options.crls ?? []));
  const chains = new ChainCache();
  const publicKeys = new PublicKeyCache();
  const allowList = options.allowList?.flatMap((c) => derBlocks(c, ["CERTIFICATE"]));
  const replayCache = options.replayCache ?? new ReplayCache();
  const legacy = options.insecureAcceptLegacy === true;

  async function verify(value: AuthenticationValue, ctx: AuthenticationContext): Promise<PeerIdentity> {
    let decoded: ReturnType<typeof decodeCertificateValue>;
    try {
      decoded = decodeCertificateValue(value);
    } catch (e) {
      if (e instanceof CertificateValueError)
        throw certificateFailure(ctx, e.code, e.message, e.offset !== undefined ? { offset: e.offset } : {});
      throw e;
    }
    const built = await chains.get(decoded.certificate, store, crypto);
    if (!built.ok) throw certificateFailure(ctx, built.code, built.message, built.detail);
    const cert = built.chain[0]!;
    const { hash: certHash, key, subject } = built;
    const chain = await checkChainState(built.chain, crls, ctx.now, crypto);
    if (!chain.ok) throw certificateFailure(ctx, chain.code, chain.message, { subject, ...chain.detail });
    for (const w of chain.warnings) ctx.emit(securityEvent(w.code, ctx.now, peerLabel(ctx), w.detail));

    const peerCheck = checkPeerCertificate(cert, decoded.certificate, key, ctx, {
      legacy,
      allowList,
      binding: options.binding,
      requireTlsCertificateMatch: options.requireTlsCertificateMatch === true,
    });
    if (peerCheck.failure)
      throw certificateFailure(ctx, peerCheck.failure.code, peerCheck.failure.message, {
        subject,
        ...peerCheck.failure.detail,
      });

    // R-ACSE-7: the time seal within the window, either way.
    const skewMs = decoded.timeMs - ctx.now;
    if (Math.abs(skewMs) > windowMs)
      throw certificateFailure(ctx, "time-skew", `time seal ${decoded.time} is ${skewMs} ms from our clock`, {
        subject,
        skewMs,
        windowMs,
      });
    // R-ACSE-8: not seen within the window (checked now, recorded once the signature verified).
    const replayKey = `${certHash}|${decoded.timeMs}`;
    if (replayCache.has(replayKey, ctx.now))
      throw certificateFailure(ctx, "replay", `time seal ${decoded.time} already received`, {
        subject,
        time: decoded.time,
      });

    const verified = await verifyTimeSealSignature(
      crypto,
      built.spki,
      key,
      decoded,
      legacy,
      publicKeys,
      certHash,
    );
    if (!verified)
      throw certificateFailure(ctx, "bad-signature", "the time-seal signature does not verify", {
        subject,
      });
    const claim = replayCache.claim(replayKey, decoded.timeMs + windowMs, ctx.now);
    if (claim === "replay")
      throw certificateFailure(ctx, "replay", `time seal ${decoded.time} already received`, {
        subject,
        time: decoded.time,
      });
    if (claim === "full")
      throw certificateFailure(ctx, "replay-cache-full", "replay cache full", { entries: replayCache.size });

    if (peerCheck.legacyKey)
      ctx.emit(
        securityEvent("WRN_ACSE_LEGACY_KEY", ctx.now, peerLabel(ctx), {
          subject,
          modulusBits: key.kind === "rsa" ? key.modulusBits : undefined,
        }),
      );
    if (verified.hash === "SHA-1")
      ctx.emit(
        securityEvent("WRN_ACSE_LEGACY_SIGNATURE", ctx.now, peerLabel(ctx), {
          subject,
          hash: verified.hash,
          covers: verified.covers,
        }),
      );
    return { mechanism: "certificate", name: subject, certificate: copy(decoded.certificate) };
  }

  return {
    name: "certificate",
    mechanismNames: CERTIFICATE_MECHANISM_NAMES,
    certificate: ownDer,
    replayCache,
    async credentials(ctx: AuthenticationContext): Promise<AuthenticationValue> {
      return certificateAuthenticationValue(await signing.sign(ctx.now));
    },
    verify,
    setCrls(list: readonly PemOrDer[]): void {
      crls = new CrlIndex(parseCrls(list));
    },
    checkExpiry(now, emit, horizonMs = options.expiryHorizonMs): ExpiryFinding[] {
      return checkCertificateExpiry({
        certificates: [
          { role: "own", certificate: ownCert },
          ...anchors.map((c) => ({ role: "trust-anchor" as const, certificate: c })),
          ...intermediates.map((c) => ({ role: "intermediate" as const, certificate: c })),
        ],
        now,
        emit,
        ...(horizonMs !== undefined ? { horizonMs } : {}),
      });
    },
  };
}
