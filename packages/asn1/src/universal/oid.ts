import type { BerReader } from "../reader";
import { type Tag, UniversalTag } from "../tag";
import { type BerWriter, invalidValue } from "../writer";

/** An OBJECT IDENTIFIER in dotted form, e.g. `"1.0.9506.2.3"`. */
export type Oid = string;

/** OBJECT IDENTIFIER, X.690 §8.19. Arcs up to 2^53 - 1. */
export function readOid(r: BerReader, tag: Tag = UniversalTag.OBJECT_IDENTIFIER): Oid {
  const len = r.readPrimitive(tag);
  const b = r.bytes;
  const s = r.contentStart;
  const e = r.contentEnd;
  if (len === 0) r.fail("invalid-encoding", "empty OBJECT IDENTIFIER", s);
  let out = "";
  let arc = 0;
  let first = true;
  let startOfArc = true;
  for (let p = s; p < e; p++) {
    const o = b[p]!;
    // X.690 §8.19.2: a subidentifier shall not start with 0x80.
    if (startOfArc && o === 0x80) r.fail("invalid-encoding", "OID subidentifier padded with 0x80", p);
    arc = arc * 128 + (o & 0x7f);
    if (arc > Number.MAX_SAFE_INTEGER) r.fail("integer-overflow", "OID arc too large", p);
    startOfArc = (o & 0x80) === 0;
    if (!startOfArc) continue;
    if (first) {
      // X.690 §8.19.4: the first subidentifier packs the first two arcs.
      out = arc < 40 ? `0.${arc}` : arc < 80 ? `1.${arc - 40}` : `2.${arc - 80}`;
      first = false;
    } else out += `.${arc}`;
    arc = 0;
  }
  if (!startOfArc) r.fail("truncated", "OID ends inside a subidentifier", e);
  return out;
}

const encodedOids = new Map<string, Uint8Array>();

/** Content octets of an OID (cached: protocol OIDs are a small fixed set). */
export function oidContent(oid: Oid): Uint8Array {
  const hit = encodedOids.get(oid);
  if (hit) return hit;
  const arcs = oid.split(".").map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0))
    invalidValue(`bad OID "${oid}"`);
  const [a0, a1] = arcs as [number, number];
  if (a0 > 2 || (a0 < 2 && a1 >= 40)) invalidValue(`bad OID "${oid}"`);
  const out: number[] = [];
  const push = (v: number): void => {
    const tmp = [v % 128];
    v = Math.floor(v / 128);
    while (v > 0) {
      tmp.push(0x80 | (v % 128));
      v = Math.floor(v / 128);
    }
    for (let i = tmp.length - 1; i >= 0; i--) out.push(tmp[i]!);
  };
  push(a0 * 40 + a1);
  for (let i = 2; i < arcs.length; i++) push(arcs[i]!);
  const bytes = Uint8Array.from(out);
  if (encodedOids.size < 1024) encodedOids.set(oid, bytes);
  return bytes;
}

export function writeOid(w: BerWriter, oid: Oid, tag: Tag = UniversalTag.OBJECT_IDENTIFIER): void {
  w.primitive(tag, oidContent(oid));
}
