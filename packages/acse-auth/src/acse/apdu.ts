import type { BitString, External, Oid } from "@mms/asn1";
import type { AuthenticationValue } from "../auth/mechanism";

/**
 * AP-title (ISO 8650-1 §9, X.227): form 2 is an OBJECT IDENTIFIER (what every MMS stack
 * sends); form 1 (a Name) is kept as its raw TLV.
 */
export type ApTitle = Oid | { readonly form1: Uint8Array };
/** AE-qualifier: form 2 INTEGER; form 1 (an RDN) kept raw. */
export type AeQualifier = number | { readonly form1: Uint8Array };

/** The AP/AE addressing of one side of an association. */
export interface AeAddress {
  readonly apTitle?: ApTitle | undefined;
  readonly aeQualifier?: AeQualifier | undefined;
  readonly apInvocationId?: number | undefined;
  readonly aeInvocationId?: number | undefined;
}

/** AARQ-apdu [APPLICATION 0] (ISO 8650-1 §9.1 / X.227 A-ASSOCIATE request). */
export interface Aarq {
  readonly type: "AARQ";
  readonly protocolVersion?: BitString | undefined;
  readonly applicationContextName: Oid;
  readonly called?: AeAddress | undefined;
  readonly calling?: AeAddress | undefined;
  /** sender-acse-requirements: bit 0 authentication, bit 1 application-context-negotiation. */
  readonly senderAcseRequirements?: BitString | undefined;
  readonly mechanismName?: Oid | undefined;
  readonly callingAuthenticationValue?: AuthenticationValue | undefined;
  readonly implementationInformation?: string | undefined;
  readonly userInformation?: readonly External[] | undefined;
}

/** Associate-source-diagnostic (ISO 8650-1): which side answered, and why. */
export interface AssociateDiagnostic {
  readonly source: "service-user" | "service-provider";
  readonly value: number;
}

/** AARE-apdu [APPLICATION 1]. */
export interface Aare {
  readonly type: "AARE";
  readonly protocolVersion?: BitString | undefined;
  readonly applicationContextName: Oid;
  /** 0 accepted, 1 rejected-permanent, 2 rejected-transient. */
  readonly result: number;
  readonly resultSourceDiagnostic: AssociateDiagnostic;
  readonly responding?: AeAddress | undefined;
  readonly responderAcseRequirements?: BitString | undefined;
  readonly mechanismName?: Oid | undefined;
  readonly respondingAuthenticationValue?: AuthenticationValue | undefined;
  readonly implementationInformation?: string | undefined;
  readonly userInformation?: readonly External[] | undefined;
}

/** RLRQ-apdu [APPLICATION 2]: reason 0 normal, 1 urgent, 30 user-defined. */
export interface Rlrq {
  readonly type: "RLRQ";
  readonly reason?: number | undefined;
  readonly userInformation?: readonly External[] | undefined;
}

/** RLRE-apdu [APPLICATION 3]: reason 0 normal, 1 not-finished, 30 user-defined. */
export interface Rlre {
  readonly type: "RLRE";
  readonly reason?: number | undefined;
  readonly userInformation?: readonly External[] | undefined;
}

/** ABRT-apdu [APPLICATION 4]: source 0 service-user, 1 service-provider. */
export interface Abrt {
  readonly type: "ABRT";
  readonly source: number;
  /** ABRT-diagnostic: 1 no-reason-given, 2 protocol-error, 3/4 mechanism-name not recognized/required, 5 authentication-failure, 6 authentication-required. */
  readonly diagnostic?: number | undefined;
  readonly userInformation?: readonly External[] | undefined;
}

export type AcseApdu = Aarq | Aare | Rlrq | Rlre | Abrt;

/** AARE result values. */
export const AssociateResult = { accepted: 0, rejectedPermanent: 1, rejectedTransient: 2 } as const;

/** ACSE-service-user diagnostics of an AARE (ISO 8650-1, Associate-source-diagnostic). */
export const UserDiagnostic = {
  null: 0,
  noReasonGiven: 1,
  applicationContextNameNotSupported: 2,
  callingApTitleNotRecognized: 3,
  callingApInvocationIdNotRecognized: 4,
  callingAeQualifierNotRecognized: 5,
  callingAeInvocationIdNotRecognized: 6,
  calledApTitleNotRecognized: 7,
  calledApInvocationIdNotRecognized: 8,
  calledAeQualifierNotRecognized: 9,
  calledAeInvocationIdNotRecognized: 10,
  authenticationMechanismNameNotRecognized: 11,
  authenticationMechanismNameRequired: 12,
  authenticationFailure: 13,
  authenticationRequired: 14,
} as const;

/** ACSE-service-provider diagnostics of an AARE. */
export const ProviderDiagnostic = { null: 0, noReasonGiven: 1, noCommonAcseVersion: 2 } as const;

/** ABRT-diagnostic values. */
export const AbortDiagnostic = {
  noReasonGiven: 1,
  protocolError: 2,
  authenticationMechanismNameNotRecognized: 3,
  authenticationMechanismNameRequired: 4,
  authenticationFailure: 5,
  authenticationRequired: 6,
} as const;

/** ABRT abort-source values. */
export const AbortSource = { serviceUser: 0, serviceProvider: 1 } as const;

/** The MMS application context (mms-annex-version1), what we send. */
export const MMS_APPLICATION_CONTEXT: Oid = "1.0.9506.2.3";
/** Application contexts accepted on receipt (DECISIONS.md "Interop defaults"). */
export const ACCEPTED_APPLICATION_CONTEXTS: readonly Oid[] = Object.freeze([
  "1.0.9506.2.3",
  "1.0.9506.2.1",
  "1.0.9506.1.1",
]);
/** ACSE password mechanism (ISO 8650-1 / X.227 `password-1`). */
export const PASSWORD_MECHANISM: Oid = "2.2.3.1";
