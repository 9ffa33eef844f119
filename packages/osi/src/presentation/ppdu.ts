import type { BitString, Oid } from "@mms/asn1";

/** A proposed presentation context (ISO 8823-1 §8.2, Context-list item). */
export interface ContextDefinition {
  readonly id: number;
  readonly abstractSyntax: Oid;
  readonly transferSyntaxes: readonly Oid[];
}

/** Result-list item (ISO 8823-1 §8.2): 0 acceptance, 1 user-rejection, 2 provider-rejection. */
export interface ContextResult {
  readonly result: 0 | 1 | 2;
  readonly transferSyntax: Oid | undefined;
  /** provider-reason: 0 not specified, 1 abstract syntax, 2 transfer syntaxes, 3 local limit. */
  readonly providerReason: number | undefined;
}

/**
 * One PDV-list of fully-encoded-data. `value` is the single-ASN1-type content (the embedded
 * value's whole TLV) or the octet-aligned octets, as a view.
 */
export interface PresentationDataValue {
  readonly contextId: number;
  readonly transferSyntax: Oid | undefined;
  readonly encoding: "single-ASN1-type" | "octet-aligned" | "arbitrary";
  readonly value: Uint8Array;
}

/** CP-type, normal mode (ISO 8823-1 §8.2). */
export interface ConnectPpdu {
  readonly protocolVersion: BitString | undefined;
  readonly callingSelector: Uint8Array | undefined;
  readonly calledSelector: Uint8Array | undefined;
  readonly contexts: readonly ContextDefinition[];
  readonly defaultContext: { readonly abstractSyntax: Oid; readonly transferSyntax: Oid } | undefined;
  readonly presentationRequirements: BitString | undefined;
  readonly userData: readonly PresentationDataValue[];
}

/** CPA-PPDU, normal mode (ISO 8823-1 §8.3). */
export interface AcceptPpdu {
  readonly protocolVersion: BitString | undefined;
  readonly respondingSelector: Uint8Array | undefined;
  readonly results: readonly ContextResult[];
  readonly userData: readonly PresentationDataValue[];
}

/** CPR-PPDU, normal mode (ISO 8823-1 §8.4). */
export interface RefusePpdu {
  readonly protocolVersion: BitString | undefined;
  readonly respondingSelector: Uint8Array | undefined;
  readonly results: readonly ContextResult[];
  readonly defaultContextResult: number | undefined;
  /** 0 not specified, 1 congestion, 2 local limit, 3 called address unknown, 4 version, 5 default context, 6 user data not readable, 7 no PSAP. */
  readonly providerReason: number | undefined;
  readonly userData: readonly PresentationDataValue[];
}

/** ARU-PPDU (normal mode) or ARP-PPDU (ISO 8823-1 §8.5, §8.6), carried in the session AB. */
export type AbortPpdu =
  | {
      readonly kind: "ARU";
      readonly contextIds: readonly number[];
      readonly userData: readonly PresentationDataValue[];
    }
  | {
      readonly kind: "ARP";
      readonly reason: number | undefined;
      readonly eventIdentifier: number | undefined;
    };

/** Provider-reason values of a CPR-PPDU. */
export const CprReason = {
  notSpecified: 0,
  temporaryCongestion: 1,
  localLimitExceeded: 2,
  calledAddressUnknown: 3,
  protocolVersionNotSupported: 4,
  defaultContextNotSupported: 5,
  userDataNotReadable: 6,
  noPsapAvailable: 7,
} as const;

/** Abort-reason values of an ARP-PPDU. */
export const ArpReason = {
  notSpecified: 0,
  unrecognizedPpdu: 1,
  unexpectedPpdu: 2,
  unexpectedSessionServicePrimitive: 3,
  unrecognizedPpduParameter: 4,
  unexpectedPpduParameter: 5,
  invalidPpduParameterValue: 6,
} as const;
