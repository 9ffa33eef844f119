import type { BinaryTime, UtcTime } from "./model/data";

const TWO_24 = 0x1000000;
/** 1984-01-01T00:00:00Z, the epoch of TimeOfDay days. */
const EPOCH_1984_MS = Date.UTC(1984, 0, 1);
const DAY_MS = 86_400_000;

/** UtcTime quality bits (IEC 61850-8-1 TimeQuality). */
export const TimeQuality = {
  leapSecondsKnown: 0x80,
  clockFailure: 0x40,
  clockNotSynchronized: 0x20,
  /** TimeAccuracy mask (number of significant fraction bits; 31 = unspecified). */
  accuracyMask: 0x1f,
} as const;

/** The instant of a UtcTime (millisecond precision: the fraction is rounded). */
export function utcTimeToDate(t: UtcTime): Date {
  return new Date(t.secondsSinceEpoch * 1000 + Math.round((t.fraction * 1000) / TWO_24));
}

/** A UtcTime for `date` (1970..2106), with the given quality octet. */
export function utcTimeFromDate(date: Date | number, quality = 0): UtcTime {
  const ms = typeof date === "number" ? date : date.getTime();
  const seconds = Math.floor(ms / 1000);
  const fraction = Math.min(TWO_24 - 1, Math.round(((ms - seconds * 1000) * TWO_24) / 1000));
  return { secondsSinceEpoch: seconds, fraction, quality };
}

/** The instant of a binary-time with a date; a time-of-day only value is taken on 1984-01-01. */
export function binaryTimeToDate(t: BinaryTime): Date {
  return new Date(EPOCH_1984_MS + (t.days ?? 0) * DAY_MS + t.msSinceMidnight);
}

/** A 6-octet binary-time (with date) for `date` (from 1984-01-01). */
export function binaryTimeFromDate(date: Date | number): BinaryTime {
  const ms = (typeof date === "number" ? date : date.getTime()) - EPOCH_1984_MS;
  const days = Math.floor(ms / DAY_MS);
  return { msSinceMidnight: ms - days * DAY_MS, days };
}
