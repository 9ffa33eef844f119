import { type Aarq, AbortDiagnostic, UserDiagnostic } from "../acse/apdu";
import {
  type AuthenticationContext,
  AuthenticationError,
  type AuthenticationMechanism,
  type PeerIdentity,
} from "../auth/mechanism";
import type { AcceptPolicy } from "./options";
import { requirementsShape } from "./requirements";

/** The responder's verdict on an AARQ's authentication (DECISIONS.md "Failure semantics"). */
export type AuthenticationDecision =
  | {
      readonly ok: true;
      readonly identity: PeerIdentity;
      readonly mechanism: AuthenticationMechanism | undefined;
    }
  | {
      readonly ok: false;
      /** `aare`: AARE rejected-permanent with this ACSE-service-user diagnostic; `abort`: ABRT with this diagnostic. */
      readonly reply: AuthenticationError["reply"];
      /** Security event code. */
      readonly event: string;
      readonly reason: string;
      readonly error: AuthenticationError | undefined;
    };

const NONE: PeerIdentity = Object.freeze({
  mechanism: "none",
  name: "unauthenticated",
  certificate: undefined,
});

function refuse(
  reply: AuthenticationError["reply"],
  event: string,
  reason: string,
  error?: AuthenticationError,
): AuthenticationDecision {
  return { ok: false, reply, event, reason, error };
}

function apTitleKey(aarq: Aarq): string | undefined {
  const t = aarq.calling?.apTitle;
  return typeof t === "string" ? t : undefined;
}

/**
 * Applies the accept policy to an AARQ: which mechanism, whether it may be used on this
 * transport, the verification itself, and the per-peer rules.
 */
export async function decideAuthentication(
  aarq: Aarq,
  policy: AcceptPolicy,
  ctx: AuthenticationContext,
): Promise<AuthenticationDecision> {
  // The authentication functional unit is negotiated by sender-acse-requirements (ISO 8650-1 /
  // X.227): a mechanism name or value without the bit makes the AARQ invalid (ABRT
  // protocol-error); the bit without a mechanism name or value cannot be served (AARE 12).
  const shape = requirementsShape(
    aarq.senderAcseRequirements,
    aarq.mechanismName,
    aarq.callingAuthenticationValue,
  );
  if (shape === "fields-without-unit")
    return refuse(
      { kind: "abort", diagnostic: AbortDiagnostic.protocolError },
      "ALM_ACSE_AUTH_FAILED",
      "authentication fields without the authentication requirement bit",
    );
  if (shape === "unit-without-value" && aarq.mechanismName === undefined)
    return refuse(
      { kind: "aare", diagnostic: UserDiagnostic.authenticationMechanismNameRequired },
      "ALM_ACSE_AUTH_MISSING",
      "authentication requirement bit without a mechanism name or value",
    );
  const key = apTitleKey(aarq);
  const peerPolicy = key !== undefined ? policy.peers?.get(key) : undefined;
  if (policy.peers && !peerPolicy)
    return refuse(
      { kind: "aare", diagnostic: UserDiagnostic.callingApTitleNotRecognized },
      "ALM_ACSE_UNKNOWN_PEER",
      "calling AP-title not in the peer table",
    );
  if (peerPolicy?.aeQualifier !== undefined && aarq.calling?.aeQualifier !== peerPolicy.aeQualifier)
    return refuse(
      { kind: "aare", diagnostic: UserDiagnostic.callingAeQualifierNotRecognized },
      "ALM_ACSE_UNKNOWN_PEER",
      "calling AE-qualifier does not match the peer table",
    );
  const tls = ctx.transport.tls;
  const allowed = (m: string): boolean => !peerPolicy?.mechanisms || peerPolicy.mechanisms.includes(m);
  let decision: AuthenticationDecision;
  if (aarq.mechanismName !== undefined) {
    const name = aarq.mechanismName;
    const mechanism = policy.mechanisms.find((m) => m.mechanismNames.includes(name));
    if (!mechanism)
      return refuse(
        { kind: "aare", diagnostic: UserDiagnostic.authenticationMechanismNameNotRecognized },
        "ALM_ACSE_UNKNOWN_MECHANISM",
        `mechanism ${name} not accepted`,
      );
    // DECISIONS.md: a password is accepted only over TLS unless the policy says otherwise.
    if (mechanism.name === "password" && !tls && !policy.insecureAllowPasswordWithoutTls)
      return refuse(
        { kind: "aare", diagnostic: UserDiagnostic.authenticationMechanismNameNotRecognized },
        "ALM_ACSE_UNKNOWN_MECHANISM",
        "password mechanism refused without TLS",
      );
    if (!allowed(mechanism.name))
      return refuse(
        { kind: "aare", diagnostic: UserDiagnostic.authenticationMechanismNameNotRecognized },
        "ALM_ACSE_UNKNOWN_MECHANISM",
        `mechanism ${mechanism.name} not allowed for this peer`,
      );
    const value = aarq.callingAuthenticationValue;
    if (!value)
      return refuse(
        { kind: "abort", diagnostic: AbortDiagnostic.authenticationRequired },
        "ALM_ACSE_AUTH_MISSING",
        "mechanism name without a value",
      );
    try {
      decision = { ok: true, identity: await mechanism.verify(value, ctx), mechanism };
    } catch (e) {
      if (e instanceof AuthenticationError) return refuse(e.reply, "ALM_ACSE_AUTH_FAILED", e.code, e);
      return refuse({ kind: "abort", diagnostic: 5 }, "ALM_ACSE_AUTH_FAILED", "verification failed");
    }
    return decision;
  }
  if (aarq.callingAuthenticationValue)
    return refuse(
      { kind: "aare", diagnostic: UserDiagnostic.authenticationMechanismNameRequired },
      "ALM_ACSE_AUTH_MISSING",
      "authentication value without a mechanism name",
    );
  // No ACSE authentication in the AARQ.
  const tlsIdentity: PeerIdentity | undefined = tls?.peerCertificate
    ? { mechanism: "tls", name: "tls-peer", certificate: tls.peerCertificate }
    : undefined;
  const requireAuth = policy.requireAuthentication ?? true;
  if (tlsIdentity && (policy.acceptTlsIdentity || !requireAuth) && allowed("tls"))
    return { ok: true, identity: tlsIdentity, mechanism: undefined };
  if (policy.insecureAllowUnauthenticated && !peerPolicy?.mechanisms)
    return { ok: true, identity: NONE, mechanism: undefined };
  return refuse(
    { kind: "aare", diagnostic: UserDiagnostic.authenticationMechanismNameRequired },
    "ALM_ACSE_AUTH_MISSING",
    "no authentication mechanism in the AARQ",
  );
}
