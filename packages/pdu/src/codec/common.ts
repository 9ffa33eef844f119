import {
  BerEncodeError,
  type BerReader,
  type BerWriter,
  readGeneralizedTime,
  readInteger,
  readOctetCharString,
  type Tag,
  UniversalTag,
  writeOctetCharString,
} from "@mms/asn1";
import type { PduLimits } from "../limits";
import type { BinaryTime } from "../model/data";
import type { FileName } from "../model/names";

/** Throws the encoder's error for a value that has no valid MMS encoding (a caller bug). */
export function invalid(message: string): never {
  throw new BerEncodeError(message);
}

const ISO_IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]{0,31}$/;

/**
 * True when `s` follows the ISO 9506-2 §7.5.2 Identifier syntax: 1 to 32 characters from
 * letters, digits, `_` and `$`, not starting with a digit.
 */
export function isMmsIdentifier(s: string): boolean {
  return ISO_IDENTIFIER.test(s);
}

/**
 * Identifier ::= VisibleString (ISO 9506-2 §7.5.2). Zero-length identifiers are refused (peers.md
 * §5 class 5); the length is capped by `maxIdentifierLength`; the ISO syntax is enforced when
 * `strictIdentifiers` is set.
 */
export function readIdentifier(r: BerReader, tag: Tag, lim: PduLimits): string {
  const len = r.readPrimitive(tag);
  const b = r.bytes;
  const start = r.contentStart;
  if (len === 0) r.fail("invalid-string", "zero-length Identifier", start);
  if (len > lim.maxIdentifierLength) r.fail("invalid-string", `Identifier of ${len} characters`, start);
  // VisibleString (X.680 §41): 0x20..0x7E only.
  const end = start + len;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c < 0x20 || c > 0x7e) r.fail("invalid-string", `octet 0x${c.toString(16)} in an Identifier`, i);
  }
  const s = octetString(b, start, end);
  if (lim.strictIdentifiers && !ISO_IDENTIFIER.test(s))
    r.fail("invalid-string", "Identifier outside the ISO 9506 syntax", start);
  return s;
}

/**
 * `SEQUENCE OF Identifier` (the content of `r`), at most `lim.maxListItems`. Fast path for the
 * usual short-form `1a LL` elements; anything else goes through `readIdentifier` (same errors).
 */
export function readIdentifierList(r: BerReader, lim: PduLimits): string[] {
  const out: string[] = [];
  const b = r.bytes;
  const end = r.end;
  const max = lim.maxListItems;
  const maxLen = lim.maxIdentifierLength;
  const strict = lim.strictIdentifiers;
  while (r.pos < end) {
    if (out.length >= max) r.fail("too-many-elements", `more than ${max} items`);
    const p = r.pos;
    const len = p + 1 < end ? b[p + 1]! : 0;
    const s = p + 2;
    const e = s + len;
    if (b[p] === 0x1a && len > 0 && len < 0x80 && len <= maxLen && e <= end) {
      // Validate (VisibleString, X.680 §41) and collect the codes in one pass.
      const codes = new Array<number>(len);
      let i = s;
      for (; i < e; i++) {
        const c = b[i]!;
        if (c < 0x20 || c > 0x7e) break;
        codes[i - s] = c;
      }
      if (i === e) {
        const id = String.fromCharCode.apply(null, codes);
        if (!strict || ISO_IDENTIFIER.test(id)) {
          r.pos = e;
          out.push(id);
          continue;
        }
      }
    }
    out.push(readIdentifier(r, UniversalTag.VisibleString, lim));
  }
  return out;
}

export function writeIdentifier(w: BerWriter, s: string, tag: Tag = UniversalTag.VisibleString): void {
  const n = s.length;
  if (n === 0) invalid("zero-length Identifier");
  const num = tag & 0x1fffff;
  let p: number;
  if (num < 31 && n < 0x80) {
    // Usual case: one-octet identifier and short-form length (X.690 §8.1.2.2, §8.1.3.4).
    w.ensure(n + 2);
    p = w.pos;
    w.buf[p++] = ((tag >>> 21) & 0xe0) | num;
    w.buf[p++] = n;
  } else {
    w.writeTag(tag);
    w.writeLength(n);
    w.ensure(n);
    p = w.pos;
  }
  const b = w.buf;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) invalid(`character U+${c.toString(16)} in an Identifier`);
    b[p++] = c;
  }
  w.pos = p;
}

/**
 * Octets [s, e) as a string of char codes 0..255: one `fromCharCode` call over a plain array
 * gives a flat string (no concatenation chain to flatten when the string is next read, e.g. by
 * the encoder), in chunks of 1024 for long strings.
 */
export function octetString(b: Uint8Array, s: number, e: number): string {
  const n = e - s;
  if (n <= 1024) {
    const codes = new Array<number>(n);
    for (let i = 0; i < n; i++) codes[i] = b[s + i]!;
    return String.fromCharCode.apply(null, codes);
  }
  let out = "";
  for (let i = s; i < e; i += 1024) out += octetString(b, i, Math.min(e, i + 1024));
  return out;
}

/** Unsigned32 (invokeID, counts, positions). */
export function readUnsigned32(r: BerReader, tag: Tag): number {
  return readInteger(r, tag, 0, 0xffffffff);
}
/** Integer32 (frsmID, sizes). */
export function readInteger32(r: BerReader, tag: Tag): number {
  return readInteger(r, tag, -0x80000000, 0x7fffffff);
}

export function checkUnsigned32(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) invalid(`${what} ${v} is not an Unsigned32`);
  return v;
}

/** Reads the items of `r` with `read`, at most `lim.maxListItems` (peers.md §5 class 4). */
export function readList<T>(r: BerReader, lim: PduLimits, read: (r: BerReader) => T): T[] {
  const out: T[] = [];
  const max = lim.maxListItems;
  while (r.hasMore()) {
    if (out.length >= max) r.fail("too-many-elements", `more than ${max} items`);
    out.push(read(r));
  }
  return out;
}

/** FileName ::= SEQUENCE OF GraphicString (ISO 9506-2 Annex D), content of `r`. */
export function readFileNameContent(r: BerReader, lim: PduLimits): FileName {
  return readList(r, lim, (c) => readOctetCharString(c, UniversalTag.GraphicString));
}
export function readFileName(r: BerReader, tag: Tag, lim: PduLimits): FileName {
  return readFileNameContent(r.enter(tag), lim);
}
export function writeFileNameContent(w: BerWriter, name: FileName): void {
  for (const part of name) writeOctetCharString(w, part, UniversalTag.GraphicString);
}
export function writeFileName(w: BerWriter, tag: Tag, name: FileName): void {
  const m = w.begin(tag);
  writeFileNameContent(w, name);
  w.end(m);
}

/** TimeOfDay ::= OCTET STRING (SIZE (4 | 6)): ms since midnight, then days since 1984-01-01. */
export function readTimeOfDay(r: BerReader, tag: Tag): BinaryTime {
  const len = r.readPrimitive(tag);
  const b = r.bytes;
  const s = r.contentStart;
  if (len !== 4 && len !== 6) r.fail("invalid-encoding", `TimeOfDay of ${len} octets`, s);
  const ms = b[s]! * 0x1000000 + ((b[s + 1]! << 16) | (b[s + 2]! << 8) | b[s + 3]!);
  return { msSinceMidnight: ms, days: len === 6 ? (b[s + 4]! << 8) | b[s + 5]! : undefined };
}

export function writeTimeOfDay(w: BerWriter, tag: Tag, t: BinaryTime): void {
  const ms = t.msSinceMidnight;
  if (!Number.isInteger(ms) || ms < 0 || ms > 0xffffffff) invalid(`TimeOfDay ms ${ms}`);
  const days = t.days;
  if (days !== undefined && (!Number.isInteger(days) || days < 0 || days > 0xffff))
    invalid(`TimeOfDay days ${days}`);
  w.writeTag(tag);
  const n = days === undefined ? 4 : 6;
  w.ensure(n + 1);
  const b = w.buf;
  let p = w.pos;
  b[p++] = n;
  b[p++] = ms >>> 24;
  b[p++] = (ms >>> 16) & 0xff;
  b[p++] = (ms >>> 8) & 0xff;
  b[p++] = ms & 0xff;
  if (days !== undefined) {
    b[p++] = days >>> 8;
    b[p++] = days & 0xff;
  }
  w.pos = p;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/**
 * GeneralizedTime as MMS stacks write it (`YYYYMMDDhhmmss.fffZ`, libiec61850's form: BER allows
 * the fraction's trailing zeros).
 */
export function writeMmsGeneralizedTime(w: BerWriter, tag: Tag, time: Date): void {
  const ms = time.getTime();
  if (!Number.isFinite(ms)) invalid("invalid Date");
  const y = time.getUTCFullYear();
  if (y < 0 || y > 9999) invalid(`year ${y} outside GeneralizedTime`);
  const s = `${pad(y, 4)}${pad(time.getUTCMonth() + 1)}${pad(time.getUTCDate())}${pad(time.getUTCHours())}${pad(time.getUTCMinutes())}${pad(time.getUTCSeconds())}.${pad(time.getUTCMilliseconds(), 3)}Z`;
  writeOctetCharString(w, s, tag);
}

export function readMmsGeneralizedTime(r: BerReader, tag: Tag): Date {
  return readGeneralizedTime(r, tag);
}

/** Writes `[tag] IMPLICIT NULL`. */
export function writeNullTag(w: BerWriter, tag: Tag): void {
  w.writeTag(tag);
  w.byte(0);
}

/** Reads `[tag] IMPLICIT NULL`, refusing content (X.690 §8.8.2). */
export function readNullTag(r: BerReader, tag: Tag): void {
  if (r.readPrimitive(tag) !== 0) r.fail("invalid-encoding", "NULL with content", r.contentStart);
}
