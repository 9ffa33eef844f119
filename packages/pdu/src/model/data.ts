import type { BitString } from "@mms/asn1";

/**
 * IEC 61850-8-1 UtcTime (Data `[17]`): seconds since 1970-01-01 UTC (unsigned 32 bits), a binary
 * fraction of a second (24 bits, value / 2^24) and the TimeQuality octet (bit 7 LeapSecondsKnown,
 * bit 6 ClockFailure, bit 5 ClockNotSynchronized, bits 4..0 TimeAccuracy).
 */
export interface UtcTime {
  readonly secondsSinceEpoch: number;
  /** 0 .. 2^24 - 1, in units of 2^-24 s. */
  readonly fraction: number;
  /** 0 .. 255. */
  readonly quality: number;
}

/**
 * ISO 9506-2 TimeOfDay (Data `[12]` binary-time, journal times): milliseconds since midnight and,
 * in the 6-octet form, days since 1984-01-01.
 */
export interface BinaryTime {
  readonly msSinceMidnight: number;
  /** Days since 1984-01-01; undefined in the 4-octet (time-of-day only) form. */
  readonly days: number | undefined;
}

/**
 * ISO 9506-2 §14.4.2 `Data` (with the IEC 61850-8-1 additions `mMSString [16]`, `utc-time [17]`).
 * The `real [8]` alternative is not supported (no known peer sends it).
 */
export type Data =
  | { readonly type: "array"; readonly value: readonly Data[] }
  | { readonly type: "structure"; readonly value: readonly Data[] }
  | { readonly type: "boolean"; readonly value: boolean }
  | { readonly type: "bitString"; readonly value: BitString }
  | { readonly type: "integer"; readonly value: number | bigint }
  | { readonly type: "unsigned"; readonly value: number | bigint }
  | { readonly type: "floatingPoint"; readonly value: number; readonly width: 32 | 64 }
  | { readonly type: "octetString"; readonly value: Uint8Array }
  | { readonly type: "visibleString"; readonly value: string }
  | { readonly type: "generalizedTime"; readonly value: Date }
  | { readonly type: "binaryTime"; readonly value: BinaryTime }
  | { readonly type: "bcd"; readonly value: number }
  | { readonly type: "booleanArray"; readonly value: BitString }
  | { readonly type: "objectId"; readonly value: string }
  | { readonly type: "mmsString"; readonly value: string }
  | { readonly type: "utcTime"; readonly value: UtcTime };

export type DataType = Data["type"];

/** ISO 9506-2 §14.4.1 DataAccessError values. */
export const DataAccessError = {
  objectInvalidated: 0,
  hardwareFault: 1,
  temporarilyUnavailable: 2,
  objectAccessDenied: 3,
  objectUndefined: 4,
  invalidAddress: 5,
  typeUnsupported: 6,
  typeInconsistent: 7,
  objectAttributeInconsistent: 8,
  objectAccessUnsupported: 9,
  objectNonExistent: 10,
  objectValueInvalid: 11,
} as const;

/** ISO 9506-2 §14.4.1 `AccessResult`: a value, never an exception. */
export type AccessResult =
  | { readonly success: true; readonly data: Data }
  | { readonly success: false; readonly error: number };

/** One item of a Write response: success, or a DataAccessError. */
export type WriteResult =
  | { readonly success: true; readonly error: undefined }
  | { readonly success: false; readonly error: number };
