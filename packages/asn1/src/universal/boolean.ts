import type { BerReader } from "../reader";
import { type Tag, UniversalTag } from "../tag";
import type { BerWriter } from "../writer";

/** BOOLEAN, X.690 §8.2: one content octet; any non-zero value is TRUE in BER. */
export function readBoolean(r: BerReader, tag: Tag = UniversalTag.BOOLEAN): boolean {
  const len = r.readPrimitive(tag);
  if (len !== 1) r.fail("invalid-encoding", `BOOLEAN of ${len} octets`, r.contentStart);
  const v = r.bytes[r.contentStart]!;
  if (r.limits.strict && v !== 0 && v !== 0xff)
    r.fail("invalid-encoding", "DER BOOLEAN must be 00 or FF", r.contentStart);
  return v !== 0;
}

export function writeBoolean(w: BerWriter, value: boolean, tag: Tag = UniversalTag.BOOLEAN): void {
  w.writeTag(tag);
  w.ensure(2);
  w.buf[w.pos++] = 1;
  w.buf[w.pos++] = value ? 0xff : 0;
}
