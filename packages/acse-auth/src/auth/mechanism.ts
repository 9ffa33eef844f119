import type { BitString, External, Oid } from "@mms/asn1";
import type { SecurityEvent, TransportInfo } from "@mms/io";

/**
 * ACSE `Authentication-value` (ISO 8650-1 / X.227):
 *
 * ```asn1
 * Authentication-value ::= CHOICE {
 *   charstring [0] IMPLICIT GraphicString,
 *   bitstring  [1] IMPLICIT BIT STRING,
 *   external   [2] IMPLICIT EXTERNAL,
 *   other      [3] IMPLICIT SEQUENCE { other-mechanism-name OBJECT IDENTIFIER,
 *                                      other-mechanism-value ANY } }
 * ```
 *
 * `raw` is the received TLV of the whole value (a view), kept so that signatures are verified
 * over the exact octets the peer sent; it is undefined on values we build.
 */
export type AuthenticationValue =
  | { readonly type: "charstring"; readonly value: string; readonly raw?: Uint8Array | undefined }
  | { readonly type: "bitstring"; readonly value: BitString; readonly raw?: Uint8Array | undefined }
  | { readonly type: "external"; readonly value: External; readonly raw?: Uint8Array | undefined }
  | {
      readonly type: "other";
      readonly mechanismName: Oid;
      readonly value: Uint8Array;
      readonly raw?: Uint8Array | undefined;
    };

/** Which side of the association a mechanism acts for. */
export type AssociationRole = "initiator" | "responder";

/** What a mechanism may know when it produces or verifies a value. */
export interface AuthenticationContext {
  readonly role: AssociationRole;
  /** Epoch milliseconds from the association's injected clock. */
  readonly now: number;
  /** The transport under the association: whether it is TLS, and the TLS peer certificate. */
  readonly transport: TransportInfo;
  /** The peer's AP-title (calling on the responder, responding on the initiator), dotted OID. */
  readonly peerApTitle: Oid | undefined;
  /** The peer's AE-qualifier. */
  readonly peerAeQualifier: number | undefined;
  /** Raise a security event (the association publishes it and hands it to listeners). */
  readonly emit: (event: SecurityEvent) => void;
}

/** Who the peer proved to be. */
export interface PeerIdentity {
  /** The mechanism that authenticated the peer: `certificate`, `password`, `tls` or `none`. */
  readonly mechanism: "certificate" | "password" | "tls" | "none";
  /** A display name: certificate subject, or a policy-defined user name. */
  readonly name: string;
  /** DER of the certificate that authenticated the peer, when one did. */
  readonly certificate: Uint8Array | undefined;
}

/**
 * Failure of peer authentication. `diagnostic` tells the association what to send (DECISIONS.md
 * "Failure semantics"): `aare` answers with an AARE rejected-permanent and the given
 * ACSE-service-user diagnostic (11 mechanism not recognized, 12 mechanism required, 13/14
 * authentication failure/required where a peer expects them); `abort` sends an ABRT with the
 * given abort diagnostic (5 authentication-failure, 6 authentication-required).
 */
export class AuthenticationError extends Error {
  override readonly name: "AuthenticationError" = "AuthenticationError";
  /** Stable reason code, e.g. `certificate-expired`, `time-skew`, `replay`, `bad-signature`. */
  readonly code: string;
  readonly reply:
    | { readonly kind: "aare"; readonly diagnostic: number }
    | { readonly kind: "abort"; readonly diagnostic: number };
  readonly detail: SecurityEvent["detail"];

  constructor(
    code: string,
    message: string,
    reply: AuthenticationError["reply"],
    detail: SecurityEvent["detail"] = {},
  ) {
    super(message);
    this.code = code;
    this.reply = reply;
    this.detail = detail;
  }
}

/**
 * An ACSE authentication mechanism (the seam for IEC 62351-4:2007 certificates, passwords, and
 * later the 2018 native mode). Both roles use both methods: the initiator sends `credentials`
 * in the AARQ and verifies the responder's value from the AARE; the responder verifies the
 * AARQ's value and sends its own `credentials` in the AARE.
 */
export interface AuthenticationMechanism {
  /** Short name for policies and events: `certificate`, `password`. */
  readonly name: string;
  /** Mechanism names this mechanism accepts on receipt; the first is the one sent. */
  readonly mechanismNames: readonly Oid[];
  /** The value to send (AARQ calling- or AARE responding-authentication-value). */
  credentials(ctx: AuthenticationContext): Promise<AuthenticationValue>;
  /** Verifies the peer's value; resolves to its identity or rejects with `AuthenticationError`. */
  verify(value: AuthenticationValue, ctx: AuthenticationContext): Promise<PeerIdentity>;
}
