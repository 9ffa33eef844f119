import type { BerReader } from "../reader";
import { type Tag, UniversalTag } from "../tag";
import { type BerWriter, invalidValue } from "../writer";

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

/** Decodes ASCII only: WHATWG "latin1" is windows-1252, equal to ISO 8859-1 below 0x80. */
const asciiDecoder = new TextDecoder("latin1");

/** Octets [s, e) as a string of char codes 0..255 (one JS char per octet). */
function latin1(b: Uint8Array, s: number, e: number): string {
  if (e - s <= 4096) return String.fromCharCode.apply(null, b.subarray(s, e) as unknown as number[]);
  let out = "";
  for (let i = s; i < e; i += 4096)
    out += String.fromCharCode.apply(null, b.subarray(i, Math.min(e, i + 4096)) as unknown as number[]);
  return out;
}

/**
 * VisibleString (X.680 §41: ISO 646 graphic characters 0x20..0x7E). MMS `Identifier` is one.
 * Anything else fails with `invalid-string`: identifiers never carry control or 8-bit octets.
 */
export function readVisibleString(r: BerReader, tag: Tag = UniversalTag.VisibleString): string {
  r.readPrimitive(tag);
  const b = r.bytes;
  const e = r.contentEnd;
  for (let i = r.contentStart; i < e; i++) {
    const c = b[i]!;
    if (c < 0x20 || c > 0x7e) r.fail("invalid-string", `octet 0x${c.toString(16)} in a VisibleString`, i);
  }
  return asciiDecoder.decode(b.subarray(r.contentStart, e));
}

/**
 * GraphicString, IA5String and other 8-bit strings read octet-per-character (ISO 8859-1), so
 * that any octets a peer sends survive a round trip.
 */
export function readOctetCharString(r: BerReader, tag: Tag = UniversalTag.GraphicString): string {
  r.readPrimitive(tag);
  return latin1(r.bytes, r.contentStart, r.contentEnd);
}

/** UTF8String, X.680 §41.16; malformed UTF-8 fails with `invalid-string`. */
export function readUtf8String(r: BerReader, tag: Tag = UniversalTag.UTF8String): string {
  r.readPrimitive(tag);
  const content = r.bytes.subarray(r.contentStart, r.contentEnd);
  try {
    return utf8Decoder.decode(content);
  } catch {
    return r.fail("invalid-string", "malformed UTF-8", r.contentStart);
  }
}

/** Writes a string of char codes 0..255 one octet each (VisibleString, GraphicString…). */
export function writeOctetCharString(
  w: BerWriter,
  value: string,
  tag: Tag = UniversalTag.GraphicString,
): void {
  const n = value.length;
  w.writeTag(tag);
  w.writeLength(n);
  w.ensure(n);
  const b = w.buf;
  let p = w.pos;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff) invalidValue(`character U+${c.toString(16)} does not fit one octet`);
    b[p++] = c;
  }
  w.pos = p;
}

/** Writes a VisibleString; characters outside 0x20..0x7E are refused. */
export function writeVisibleString(w: BerWriter, value: string, tag: Tag = UniversalTag.VisibleString): void {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) invalidValue(`character U+${c.toString(16)} is not in VisibleString`);
  }
  writeOctetCharString(w, value, tag);
}

export function writeUtf8String(w: BerWriter, value: string, tag: Tag = UniversalTag.UTF8String): void {
  w.primitive(tag, utf8Encoder.encode(value));
}
