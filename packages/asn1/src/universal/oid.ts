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
  if (!startOfArc) r.fail("invalid-encoding", "OID ends inside a subidentifier", e - 1);
  return out;
}

/** Parses a dotted OID into its arcs, refusing what X.660 / X.690 §8.19.4 cannot encode. */
function oidArcs(oid: Oid): number[] {
  const arcs: number[] = [];
  let arc = -1;
  for (let i = 0; i <= oid.length; i++) {
    const c = i < oid.length ? oid.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (arc < 0) invalidValue(`bad OID "${oid}"`);
      arcs.push(arc);
      arc = -1;
    } else if (c >= 0x30 && c <= 0x39) {
      arc = (arc < 0 ? 0 : arc * 10) + (c - 0x30);
      if (arc > Number.MAX_SAFE_INTEGER) invalidValue(`OID arc too large in "${oid}"`);
    } else invalidValue(`bad OID "${oid}"`);
  }
  const a0 = arcs[0]!;
  const a1 = arcs[1];
  if (a1 === undefined || a0 > 2 || (a0 < 2 && a1 >= 40)) invalidValue(`bad OID "${oid}"`);
  return arcs;
}

/** Octets of one subidentifier, base 128, high bit set on all but the last (X.690 §8.19.2). */
function subidLength(v: number): number {
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function writeSubid(b: Uint8Array, p: number, v: number): number {
  const n = subidLength(v);
  for (let i = n - 1; i >= 0; i--) {
    b[p + i] = (v % 128) | (i === n - 1 ? 0 : 0x80);
    v = Math.floor(v / 128);
  }
  return p + n;
}

/** Content octets of an OID (a fresh array; codecs with fixed OIDs may compute them once). */
export function oidContent(oid: Oid): Uint8Array {
  const arcs = oidArcs(oid);
  const first = arcs[0]! * 40 + arcs[1]!;
  let n = subidLength(first);
  for (let i = 2; i < arcs.length; i++) n += subidLength(arcs[i]!);
  const out = new Uint8Array(n);
  let p = writeSubid(out, 0, first);
  for (let i = 2; i < arcs.length; i++) p = writeSubid(out, p, arcs[i]!);
  return out;
}

export function writeOid(w: BerWriter, oid: Oid, tag: Tag = UniversalTag.OBJECT_IDENTIFIER): void {
  w.primitive(tag, oidContent(oid));
}
