import {
  BerDecodeError,
  BerReader,
  BerWriter,
  ctx,
  ctxC,
  decodeLimits,
  parseGeneralizedTime,
  UniversalTag,
} from "@mms/asn1";
import type { AuthenticationValue } from "../auth/mechanism";
import { MAX_CERTIFICATE_OCTETS } from "./oids";

/**
 * The 62351-4 authentication value (reference §2.1, §2.3; R-ACSE-4/5):
 *
 * ```asn1
 * Authentication-value.external [2] IMPLICIT EXTERNAL {
 *   encoding single-ASN1-type [0]
 *     MMS-Authentication-value ::= CHOICE {
 *       certificate-based [0] IMPLICIT SEQUENCE {
 *         authentication-Certificate [0] IMPLICIT OCTET STRING,  -- DER X.509, ≤ 8192 octets
 *         time                       [1] IMPLICIT GeneralizedTime,
 *         signature                  [2] IMPLICIT OCTET STRING } } }
 * ```
 *
 * Sent with no direct- or indirect-reference in the EXTERNAL (as both public encoders do);
 * both are tolerated on receipt, as is the octet-aligned encoding carrying the same octets.
 */
export interface CertificateValueParts {
  /** DER of the X.509 Certificate, as is. */
  readonly certificate: Uint8Array;
  /** The GeneralizedTime string of the time seal, e.g. `20261125171500.123Z`. */
  readonly time: string;
  /** The signature octets. */
  readonly signature: Uint8Array;
}

/** A received value, with views on the exact octets the signature covers. */
export interface DecodedCertificateValue {
  readonly certificate: Uint8Array;
  readonly time: string;
  /** Epoch milliseconds of the time seal. */
  readonly timeMs: number;
  /** Content octets of the `[1]` field (what `*-time-content` profiles sign). */
  readonly timeContent: Uint8Array;
  /** The whole `[1]` TLV as received (what `sha256-time-tlv` signs). */
  readonly timeTlv: Uint8Array;
  /** Content of the `[2]` field (OCTET STRING, or BIT STRING content from some peers). */
  readonly signature: Uint8Array;
}

/** Why a received value could not be read. */
export class CertificateValueError extends Error {
  override readonly name: "CertificateValueError" = "CertificateValueError";
  readonly code: "malformed-value" | "certificate-too-large" | "value-missing";
  readonly offset: number | undefined;
  constructor(code: CertificateValueError["code"], message: string, offset?: number) {
    super(message);
    this.code = code;
    this.offset = offset;
  }
}

const CERTIFICATE_BASED = ctxC(0);
const CERT = ctx(0);
const CERT_CONSTRUCTED = ctxC(0);
const TIME = ctx(1);
const SIGNATURE = ctx(2);
/** The value holds one certificate and two short fields: anything deeper or longer is an attack. */
const LIMITS = decodeLimits({
  maxDepth: 4,
  maxElements: 16,
  maxLength: 65_536,
  allowIndefiniteLength: false,
});

/** The `certificate-based [0]` TLV (what goes inside single-ASN1-type). */
export function encodeCertificateBased(parts: CertificateValueParts): Uint8Array {
  const w = new BerWriter(parts.certificate.length + parts.signature.length + 64);
  const m = w.begin(CERTIFICATE_BASED);
  w.primitive(CERT, parts.certificate);
  w.primitive(TIME, asciiOctets(parts.time));
  w.primitive(SIGNATURE, parts.signature);
  w.end(m);
  return w.toBytes();
}

/** The `[1]` time TLV that a `sha256-time-tlv` signature covers, as we send it. */
export function encodeTimeTlv(time: string): Uint8Array {
  const w = new BerWriter(32);
  w.primitive(TIME, asciiOctets(time));
  return w.toBytes();
}

/** The authentication value to put in an AARQ / AARE. */
export function certificateAuthenticationValue(parts: CertificateValueParts): AuthenticationValue {
  return {
    type: "external",
    value: {
      directReference: undefined,
      indirectReference: undefined,
      dataValueDescriptor: undefined,
      encoding: { type: "single-ASN1-type", value: encodeCertificateBased(parts) },
    },
  };
}

/** Reads a received value; throws `CertificateValueError` (never another error) when it cannot. */
export function decodeCertificateValue(value: AuthenticationValue | undefined): DecodedCertificateValue {
  if (value === undefined || value === null)
    throw new CertificateValueError("value-missing", "no authentication value");
  if (value.type !== "external")
    throw new CertificateValueError("malformed-value", `authentication value is ${value.type}, not external`);
  const enc = value.value.encoding;
  if (enc.type === "arbitrary")
    throw new CertificateValueError(
      "malformed-value",
      "EXTERNAL encoding arbitrary is not a certificate value",
    );
  return decodeCertificateBased(enc.value);
}

/** Decodes the `certificate-based [0]` TLV; throws `CertificateValueError` only. */
export function decodeCertificateBased(tlv: Uint8Array): DecodedCertificateValue {
  try {
    return readCertificateBased(tlv);
  } catch (e) {
    if (e instanceof BerDecodeError)
      throw new CertificateValueError("malformed-value", `authentication value: ${e.message}`, e.offset);
    throw e;
  }
}

function readCertificateBased(tlv: Uint8Array): DecodedCertificateValue {
  const top = new BerReader(tlv, 0, tlv.length, LIMITS);
  if (top.peekTag() !== CERTIFICATE_BASED)
    throw new CertificateValueError("malformed-value", "expected certificate-based [0]", 0);
  const r = top.enter(CERTIFICATE_BASED);
  top.expectEnd();
  const certificate = readCertificate(r);
  const timeStart = r.offset;
  const timeLen = r.readPrimitive(TIME);
  const timeContent = r.bytes.subarray(r.contentStart, r.contentEnd);
  const timeTlv = r.bytes.subarray(timeStart, r.contentEnd);
  if (timeLen > 40) throw new CertificateValueError("malformed-value", "time seal too long", timeStart);
  let time = "";
  for (const c of timeContent) {
    if (c < 0x20 || c > 0x7e)
      throw new CertificateValueError("malformed-value", "time seal is not ASCII", timeStart);
    time += String.fromCharCode(c);
  }
  // Reference Q9: one test tool is reported to send "YYYYMMDDhhmmss." (a bare decimal point, no
  // zone); read it as whole seconds, UTC. The signature still covers the octets as received.
  const timeMs = parseGeneralizedTime(/^\d{14}[.,]$/.test(time) ? time.slice(0, 14) : time);
  if (timeMs === undefined)
    throw new CertificateValueError(
      "malformed-value",
      `time seal "${time}" is not a GeneralizedTime`,
      timeStart,
    );
  const signature = r.readContent(SIGNATURE);
  if (signature.length === 0) throw new CertificateValueError("malformed-value", "empty signature");
  r.expectEnd();
  return { certificate, time, timeMs, timeContent, timeTlv, signature };
}

function readCertificate(r: BerReader): Uint8Array {
  const start = r.offset;
  const tag = r.peekTag();
  let der: Uint8Array;
  if (tag === CERT) der = r.readContent(CERT);
  else if (tag === CERT_CONSTRUCTED) {
    // Tolerated: the certificate SEQUENCE wrapped in a constructed [0] (an EXPLICIT reading).
    const inner = r.enter(CERT_CONSTRUCTED);
    if (inner.peekTag() !== UniversalTag.SEQUENCE)
      throw new CertificateValueError("malformed-value", "certificate [0] does not hold a SEQUENCE", start);
    der = inner.readTlv();
    inner.expectEnd();
  } else throw new CertificateValueError("malformed-value", "expected authentication-Certificate [0]", start);
  if (der.length > MAX_CERTIFICATE_OCTETS)
    throw new CertificateValueError(
      "certificate-too-large",
      `certificate of ${der.length} octets exceeds ${MAX_CERTIFICATE_OCTETS}`,
      start,
    );
  if (der.length === 0) throw new CertificateValueError("malformed-value", "empty certificate", start);
  return der;
}

function asciiOctets(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0x7f;
  return out;
}
