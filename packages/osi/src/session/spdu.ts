/**
 * ISO 8327-1 SPDUs of the kernel and duplex functional units (the subset every MMS stack
 * uses), as values. Selectors and user data are views of the received TSDU.
 */

/** SPDU identifiers, ISO 8327-1 §8.3 (SI field). GT and DT share code 1. */
export const SI = {
  GT_DT: 1,
  PT: 2,
  FN: 9,
  DN: 10,
  NF: 8,
  RF: 12,
  CN: 13,
  AC: 14,
  AB: 25,
  AA: 26,
} as const;

/** Parameter (group) identifiers, ISO 8327-1 §8.3 (PI / PGI fields). */
export const PI = {
  connectionIdentifier: 1,
  connectAcceptItem: 5,
  tokenItem: 16,
  transportDisconnect: 17,
  protocolOptions: 19,
  sessionUserRequirements: 20,
  tsduMaximumSize: 21,
  versionNumber: 22,
  initialSerialNumber: 23,
  enclosureItem: 25,
  tokenSettingItem: 26,
  reflectParameter: 49,
  reasonCode: 50,
  callingSessionSelector: 51,
  calledSessionSelector: 52,
  dataOverflow: 60,
  userData: 193,
  extendedUserData: 194,
} as const;

/** Session User Requirements bit for the duplex functional unit (PI 20). */
export const FU_DUPLEX = 0x0002;
/** Version Number bit for protocol version 2 (PI 22). */
export const VERSION_2 = 0x02;
/** ISO 8327-1 §8.3.1.19: User Data in a CN is at most 512 octets… */
export const MAX_CN_USER_DATA = 512;
/** …and Extended User Data (version 2 only) at most 10 240. */
export const MAX_CN_EXTENDED_USER_DATA = 10_240;

/** Transport Disconnect (PI 17) bits. */
export const TD_RELEASE_TRANSPORT = 0x01;
export const TD_USER_ABORT = 0x02;
export const TD_PROTOCOL_ERROR = 0x04;
export const TD_NO_REASON = 0x08;

/** RF reason codes (PI 50). */
export const RefuseReason = {
  notSpecified: 0,
  temporaryCongestion: 1,
  rejectedBySsUser: 2,
  sessionSelectorUnknown: 129,
  ssUserNotAttached: 130,
  spmCongestion: 131,
  versionNotSupported: 132,
  rejectedBySpm: 133,
  implementationRestriction: 134,
} as const;

/** Connect/Accept parameters of CN and AC. */
export interface ConnectParams {
  /** Protocol Options (PI 19): bit 0x01 = extended concatenation. */
  readonly protocolOptions: number;
  /** Version Number bits (PI 22): 0x01 v1, 0x02 v2. */
  readonly versionNumber: number;
  /** Session User Requirements (PI 20): functional-unit bits. */
  readonly sessionUserRequirements: number;
  /** TSDU Maximum Size (PI 21), when present: [initiator→responder, responder→initiator]. */
  readonly tsduMaximumSize: readonly [number, number] | undefined;
  /** Calling Session Selector (PI 51; CN only). */
  readonly callingSelector: Uint8Array | undefined;
  /** Called Session Selector (PI 52; in AC the responding selector). */
  readonly calledSelector: Uint8Array | undefined;
}

export type Spdu =
  | { readonly kind: "CN"; readonly params: ConnectParams; readonly userData: Uint8Array | undefined }
  | { readonly kind: "AC"; readonly params: ConnectParams; readonly userData: Uint8Array | undefined }
  | {
      readonly kind: "RF";
      readonly transportDisconnect: number | undefined;
      readonly reason: number;
      readonly userData: Uint8Array | undefined;
    }
  | {
      readonly kind: "FN";
      readonly transportDisconnect: number | undefined;
      readonly userData: Uint8Array | undefined;
    }
  | { readonly kind: "DN"; readonly userData: Uint8Array | undefined }
  | {
      readonly kind: "AB";
      readonly transportDisconnect: number | undefined;
      readonly userData: Uint8Array | undefined;
    }
  | { readonly kind: "AA" }
  /** GT + DT (basic concatenation); `userData` is the user information after the DT header. */
  | { readonly kind: "DT"; readonly userData: Uint8Array };

export type SpduKind = Spdu["kind"];
