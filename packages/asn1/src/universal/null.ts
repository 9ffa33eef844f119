import type { BerReader } from "../reader";
import { type Tag, UniversalTag } from "../tag";
import type { BerWriter } from "../writer";

/** NULL, X.690 §8.8: no content octets. */
export function readNull(r: BerReader, tag: Tag = UniversalTag.NULL): null {
  const len = r.readPrimitive(tag);
  if (len !== 0) r.fail("invalid-encoding", `NULL with ${len} content octets`, r.contentStart);
  return null;
}

export function writeNull(w: BerWriter, tag: Tag = UniversalTag.NULL): void {
  w.writeTag(tag);
  w.byte(0);
}
