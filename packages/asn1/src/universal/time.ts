import type { BerReader } from "../reader";
import { type Tag, UniversalTag } from "../tag";
import { type BerWriter, invalidValue } from "../writer";

/**
 * GeneralizedTime (X.680 §46) and UTCTime (§47), parsed leniently: seconds and fractions
 * optional, `Z`, a numeric offset `±hh[mm]`, or none (taken as UTC, documented). A fraction of
 * seconds or minutes is honoured to the millisecond. Emitted canonically (X.690 §11.7):
 * `YYYYMMDDhhmmss[.f]Z`, trailing zeros of the fraction removed.
 */
const GT = /^(\d{4})(\d{2})(\d{2})(\d{2})(?:(\d{2})(\d{2})?)?(?:[.,](\d{1,9}))?(Z|[+-]\d{2}(?:\d{2})?)?$/;
const UT = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/;

/** Parses a GeneralizedTime string; returns epoch milliseconds, or undefined when malformed. */
export function parseGeneralizedTime(s: string): number | undefined {
  const m = GT.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se, frac, zone] = m;
  let ms = fields(
    Number(y),
    Number(mo),
    Number(d),
    Number(h),
    mi === undefined ? 0 : Number(mi),
    se === undefined ? 0 : Number(se),
  );
  if (ms === undefined) return undefined;
  if (frac !== undefined) {
    // The fraction applies to the last unit present (X.680 §46.2 b-d).
    if (se !== undefined) ms += Number(frac.padEnd(3, "0").slice(0, 3));
    else ms += Math.floor(Number(`0.${frac}`) * (mi !== undefined ? 60_000 : 3_600_000));
  }
  const off = offsetMs(zone);
  return off === undefined ? undefined : ms - off;
}

/** Parses a UTCTime string (two-digit years 50..99 are 19xx, X.509 convention). */
export function parseUtcTime(s: string): number | undefined {
  const m = UT.exec(s);
  if (!m) return undefined;
  const [, yy, mo, d, h, mi, se, zone] = m;
  const y = Number(yy);
  const ms = fields(
    y < 50 ? 2000 + y : 1900 + y,
    Number(mo),
    Number(d),
    Number(h),
    Number(mi),
    se === undefined ? 0 : Number(se),
  );
  const off = offsetMs(zone);
  return ms === undefined || off === undefined ? undefined : ms - off;
}

function fields(y: number, mo: number, d: number, h: number, mi: number, s: number): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0..99 to 1900..1999.
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  // Date rolls 31 February over into March; a calendar check catches it.
  if (date.getUTCDate() !== d) return undefined;
  // A leap second (:60) is accepted and read as the first instant of the next minute.
  return date.getTime() + ((h * 60 + mi) * 60 + s) * 1000;
}

/** Offset of a `±hh[mm]` suffix in ms (0 for `Z` or none), or undefined when out of range. */
function offsetMs(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === "Z") return 0;
  const sign = zone[0] === "-" ? -1 : 1;
  const hh = Number(zone.slice(1, 3));
  const mm = zone.length > 3 ? Number(zone.slice(3, 5)) : 0;
  if (hh > 23 || mm > 59) return undefined;
  return sign * (hh * 60 + mm) * 60_000;
}

function ascii(r: BerReader, tag: Tag): string {
  const len = r.readPrimitive(tag);
  // No valid time is longer than 35 characters (fixed-width primitive, peers.md §5 class 2).
  if (len > 40) r.fail("invalid-time", `time of ${len} octets`, r.contentStart);
  const b = r.bytes;
  let out = "";
  for (let i = r.contentStart; i < r.contentEnd; i++) {
    const c = b[i]!;
    if (c < 0x20 || c > 0x7e) r.fail("invalid-time", `octet 0x${c.toString(16)} in a time`, i);
    out += String.fromCharCode(c);
  }
  return out;
}

/** Reads a GeneralizedTime as a `Date`; malformed values fail with `invalid-time`. */
export function readGeneralizedTime(r: BerReader, tag: Tag = UniversalTag.GeneralizedTime): Date {
  const s = ascii(r, tag);
  const ms = parseGeneralizedTime(s);
  if (ms === undefined) return r.fail("invalid-time", `bad GeneralizedTime "${s}"`, r.contentStart);
  return new Date(ms);
}

/** Reads a UTCTime as a `Date`. */
export function readUtcTime(r: BerReader, tag: Tag = UniversalTag.UTCTime): Date {
  const s = ascii(r, tag);
  const ms = parseUtcTime(s);
  if (ms === undefined) return r.fail("invalid-time", `bad UTCTime "${s}"`, r.contentStart);
  return new Date(ms);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

/** `YYYYMMDDhhmmss[.fff]Z` for a time (canonical DER form, X.690 §11.7). */
export function formatGeneralizedTime(time: Date | number): string {
  const d = typeof time === "number" ? new Date(time) : time;
  const ms = d.getTime();
  if (!Number.isFinite(ms)) invalidValue("invalid Date");
  const y = d.getUTCFullYear();
  if (y < 0 || y > 9999) invalidValue(`year ${y} outside GeneralizedTime`);
  let s = `${pad(y, 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
  const frac = d.getUTCMilliseconds();
  if (frac) s += `.${pad(frac, 3).replace(/0+$/, "")}`;
  return `${s}Z`;
}

/** `YYMMDDhhmmssZ` for a time between 1950 and 2049. */
export function formatUtcTime(time: Date | number): string {
  const d = typeof time === "number" ? new Date(time) : time;
  const y = d.getUTCFullYear();
  if (!(y >= 1950 && y <= 2049)) invalidValue(`year ${y} outside UTCTime`);
  return `${pad(y % 100)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
}

function writeAscii(w: BerWriter, s: string, tag: Tag): void {
  w.writeTag(tag);
  w.writeLength(s.length);
  w.ensure(s.length);
  for (let i = 0; i < s.length; i++) w.buf[w.pos++] = s.charCodeAt(i);
}

export function writeGeneralizedTime(
  w: BerWriter,
  time: Date | number,
  tag: Tag = UniversalTag.GeneralizedTime,
): void {
  writeAscii(w, formatGeneralizedTime(time), tag);
}

export function writeUtcTime(w: BerWriter, time: Date | number, tag: Tag = UniversalTag.UTCTime): void {
  writeAscii(w, formatUtcTime(time), tag);
}
