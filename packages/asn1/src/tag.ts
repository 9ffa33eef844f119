import { BerEncodeError } from "./errors";

/**
 * A tag is one number: the class and constructed bits of the first identifier octet in bits
 * 21..28, the tag number (at most 2^21 - 1) below them. Comparing tags is comparing numbers.
 * X.690 §8.1.2.
 */
export type Tag = number;

export const TagClass = {
  universal: 0x00,
  application: 0x40,
  context: 0x80,
  private: 0xc0,
} as const;
export type TagClass = (typeof TagClass)[keyof typeof TagClass];

const CONSTRUCTED = 0x20;
/** Largest tag number this codec represents (three subsequent octets in the high-tag form). */
export const MAX_TAG_NUMBER: number = 0x1fffff;

export function makeTag(tagClass: TagClass, constructed: boolean, tagNumber: number): Tag {
  if (!(tagNumber >= 0 && tagNumber <= MAX_TAG_NUMBER && Number.isInteger(tagNumber)))
    throw new BerEncodeError(`tag number ${tagNumber} outside 0..${MAX_TAG_NUMBER}`);
  return ((tagClass | (constructed ? CONSTRUCTED : 0)) << 21) | tagNumber;
}
/** Context-specific primitive tag `[n] IMPLICIT` of a primitive type. */
export function ctx(n: number): Tag {
  return makeTag(TagClass.context, false, n);
}
/** Context-specific constructed tag `[n]` (explicit tags, or implicit SEQUENCE / CHOICE). */
export function ctxC(n: number): Tag {
  return makeTag(TagClass.context, true, n);
}
export function app(n: number, constructed = true): Tag {
  return makeTag(TagClass.application, constructed, n);
}
export function tagClassOf(tag: Tag): TagClass {
  return ((tag >>> 21) & 0xc0) as TagClass;
}
export function isConstructed(tag: Tag): boolean {
  return ((tag >>> 21) & CONSTRUCTED) !== 0;
}
export function tagNumberOf(tag: Tag): number {
  return tag & MAX_TAG_NUMBER;
}
/** The same tag with the constructed bit set or cleared. */
export function withConstructed(tag: Tag, constructed: boolean): Tag {
  return makeTag(tagClassOf(tag), constructed, tagNumberOf(tag));
}

/** Universal tags, X.680 §8.6 Table 1. */
export const UniversalTag = {
  BOOLEAN: makeTag(0, false, 1),
  INTEGER: makeTag(0, false, 2),
  BIT_STRING: makeTag(0, false, 3),
  OCTET_STRING: makeTag(0, false, 4),
  NULL: makeTag(0, false, 5),
  OBJECT_IDENTIFIER: makeTag(0, false, 6),
  OBJECT_DESCRIPTOR: makeTag(0, false, 7),
  EXTERNAL: makeTag(0, true, 8),
  REAL: makeTag(0, false, 9),
  ENUMERATED: makeTag(0, false, 10),
  UTF8String: makeTag(0, false, 12),
  SEQUENCE: makeTag(0, true, 16),
  SET: makeTag(0, true, 17),
  PrintableString: makeTag(0, false, 19),
  IA5String: makeTag(0, false, 22),
  UTCTime: makeTag(0, false, 23),
  GeneralizedTime: makeTag(0, false, 24),
  GraphicString: makeTag(0, false, 25),
  VisibleString: makeTag(0, false, 26),
  GeneralString: makeTag(0, false, 27),
} as const;

const CLASS_NAMES = ["UNIVERSAL ", "APPLICATION ", "", "PRIVATE "] as const;
const UNIVERSAL_NAMES: Record<number, string> = {
  1: "BOOLEAN",
  2: "INTEGER",
  3: "BIT STRING",
  4: "OCTET STRING",
  5: "NULL",
  6: "OBJECT IDENTIFIER",
  7: "ObjectDescriptor",
  8: "EXTERNAL",
  9: "REAL",
  10: "ENUMERATED",
  12: "UTF8String",
  16: "SEQUENCE",
  17: "SET",
  19: "PrintableString",
  22: "IA5String",
  23: "UTCTime",
  24: "GeneralizedTime",
  25: "GraphicString",
  26: "VisibleString",
  27: "GeneralString",
};

/** `[1]`, `[APPLICATION 0]`, `SEQUENCE`…, with a `c` mark for constructed context tags. */
export function tagName(tag: Tag): string {
  const cls = tagClassOf(tag);
  const n = tagNumberOf(tag);
  if (cls === TagClass.universal) return UNIVERSAL_NAMES[n] ?? `[UNIVERSAL ${n}]`;
  return `[${CLASS_NAMES[cls >> 6]}${n}]${isConstructed(tag) ? "c" : ""}`;
}
