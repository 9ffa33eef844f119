import type { BerReader } from "../reader";
import { type Tag, UniversalTag } from "../tag";
import type { BerWriter } from "../writer";

/**
 * OCTET STRING, X.690 §8.7, primitive form: the content as a view of the input (no copy). Copy
 * it if it must outlive the input buffer. The constructed form is not used by MMS or ACSE and is
 * refused as an unexpected tag.
 */
export function readOctetString(r: BerReader, tag: Tag = UniversalTag.OCTET_STRING): Uint8Array {
  return r.readContent(tag);
}

export function writeOctetString(
  w: BerWriter,
  value: Uint8Array,
  tag: Tag = UniversalTag.OCTET_STRING,
): void {
  w.primitive(tag, value);
}
