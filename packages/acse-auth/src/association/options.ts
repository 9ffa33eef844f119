import type { Oid } from "@mms/asn1";
import type { ByteChain, Clock, MessageChannel, SecurityEvent, TransportInfo } from "@mms/io";
import type { Aarq, AeAddress, AeQualifier, ApTitle } from "../acse/apdu";
import type { AuthenticationMechanism, PeerIdentity } from "../auth/mechanism";

/**
 * Initiator addressing. Every field is optional; the defaults are what libiec61850 sends
 * (stack.md §10): P-selectors `00 00 00 01`, S-selectors `00 01`, called AP-title 1.1.1.999.1 /
 * AE-qualifier 12, calling 1.1.1.999 / 12. `null` omits an AP-title or AE-qualifier.
 */
export interface AssociationAddressing {
  readonly callingPSelector?: Uint8Array | undefined;
  readonly calledPSelector?: Uint8Array | undefined;
  readonly callingSSelector?: Uint8Array | undefined;
  readonly calledSSelector?: Uint8Array | undefined;
  readonly callingApTitle?: ApTitle | null | undefined;
  readonly callingAeQualifier?: AeQualifier | null | undefined;
  readonly calledApTitle?: ApTitle | null | undefined;
  readonly calledAeQualifier?: AeQualifier | null | undefined;
  readonly callingApInvocationId?: number | undefined;
  readonly callingAeInvocationId?: number | undefined;
  readonly calledApInvocationId?: number | undefined;
  readonly calledAeInvocationId?: number | undefined;
}

/** Responder addressing: our selectors and the responding AP-title/AE-qualifier (not sent by default, like libiec61850). */
export interface ResponderAddressing {
  /** Responding P-selector; default `00 00 00 01`. */
  readonly respondingPSelector?: Uint8Array | undefined;
  /** Responding S-selector; default: echo the called S-selector of the CN. */
  readonly respondingSSelector?: Uint8Array | undefined;
  readonly apTitle?: ApTitle | undefined;
  readonly aeQualifier?: AeQualifier | undefined;
  readonly apInvocationId?: number | undefined;
  readonly aeInvocationId?: number | undefined;
}

export interface AssociateOptions {
  readonly addressing?: AssociationAddressing | undefined;
  /** Application context name; default 1.0.9506.2.3 (MMS). */
  readonly applicationContext?: Oid | undefined;
  /** How we authenticate in the AARQ. Required: `"insecure-none"` has to be spelled out. */
  readonly authentication: AuthenticationMechanism | "insecure-none";
  /** Require the responder to authenticate itself in the AARE (default true when a mechanism is given). */
  readonly requireResponderAuthentication?: boolean | undefined;
  /** The MMS initiate-RequestPDU, as BER. */
  readonly userData: Uint8Array;
  readonly clock?: Clock | undefined;
  readonly onSecurityEvent?: ((event: SecurityEvent) => void) | undefined;
  /** Establishment (and release) timeout; default none. */
  readonly timeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Per-peer rules, keyed by the calling AP-title (dotted OID) in `AcceptPolicy.peers`. */
export interface PeerPolicy {
  /** Mechanisms this peer must use (`certificate`, `password`, `tls`); default: any the policy accepts. */
  readonly mechanisms?: readonly string[] | undefined;
  /** The calling AE-qualifier this peer must present. */
  readonly aeQualifier?: number | undefined;
}

export interface AcceptPolicy {
  /** Mechanisms accepted in an AARQ. */
  readonly mechanisms: readonly AuthenticationMechanism[];
  /** An AARQ must authenticate the caller (default true). With false, a TLS identity is enough. */
  readonly requireAuthentication?: boolean | undefined;
  /** Accept callers with no authentication at all (insecure; for lab use). */
  readonly insecureAllowUnauthenticated?: boolean | undefined;
  /** With no ACSE authentication, accept the verified TLS peer certificate as the identity (mechanism `tls`). */
  readonly acceptTlsIdentity?: boolean | undefined;
  /** Known peers by calling AP-title; when given, an AP-title not in the map is refused (diagnostic 3). */
  readonly peers?: ReadonlyMap<string, PeerPolicy> | undefined;
  /** Accept the password mechanism without TLS (insecure: the password crosses in clear). */
  readonly insecureAllowPasswordWithoutTls?: boolean | undefined;
  /** Application contexts accepted (default 1.0.9506.2.3, 1.0.9506.2.1, 1.0.9506.1.1). */
  readonly applicationContexts?: readonly Oid[] | undefined;
}

/** The peer of an association. */
export interface AssociationPeer {
  readonly apTitle: ApTitle | undefined;
  readonly aeQualifier: AeQualifier | undefined;
  readonly identity: PeerIdentity;
  readonly transport: TransportInfo;
}

/** What `onRequest` learns about an incoming association. */
export interface AssociationRequest {
  readonly peer: AssociationPeer;
  /** Calling AP/AE invocation ids and the rest of the caller's addressing. */
  readonly calling: AeAddress | undefined;
  /** The called addressing the caller asked for. */
  readonly called: AeAddress | undefined;
  readonly applicationContext: Oid;
  /** The MMS initiate-RequestPDU. */
  readonly userData: Uint8Array;
  readonly aarq: Aarq;
}

export interface AcceptOptions {
  readonly policy: AcceptPolicy;
  /** Returns the MMS initiate-ResponsePDU; may throw `AssociationRefusal`. */
  readonly onRequest: (request: AssociationRequest) => Promise<Uint8Array> | Uint8Array;
  /** Answers an incoming RLRQ: user data for the RLRE (default none). */
  readonly onRelease?:
    | ((userData: Uint8Array | undefined) => Promise<Uint8Array | undefined> | Uint8Array | undefined)
    | undefined;
  readonly addressing?: ResponderAddressing | undefined;
  /** Authenticate ourselves in the AARE when the caller authenticated with an ACSE mechanism. */
  readonly authentication?: AuthenticationMechanism | undefined;
  readonly clock?: Clock | undefined;
  readonly onSecurityEvent?: ((event: SecurityEvent) => void) | undefined;
  readonly timeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * An established association: a message channel of MMS PDUs (P-DATA user data). Iterating
 * yields each received MMS PDU; the iteration ends after an orderly release and throws
 * `AssociationAbortedError` after an abort.
 */
export interface Association extends MessageChannel {
  readonly peer: AssociationPeer;
  /** The MMS initiate-RequestPDU (ours on the initiator, the caller's on the responder). */
  readonly requestUserData: Uint8Array;
  /** The MMS initiate-ResponsePDU. */
  readonly responseUserData: Uint8Array | undefined;
  /** A-RELEASE: RLRQ (FN) → RLRE (DN); resolves to the RLRE user data, then closes the transport. */
  release(userData?: ByteChain): Promise<Uint8Array | undefined>;
  /** A-ABORT: ABRT in ARU in AB, then closes the transport. */
  abort(diagnostic?: number): void;
}
