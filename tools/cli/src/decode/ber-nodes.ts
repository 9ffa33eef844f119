import { type BerNode, BerDecodeError, decodeTree, tagClassOf, tagNumberOf, isConstructed } from "@mms/asn1";

/** The tag value of a one-octet BER identifier (e.g. 0xa1), in @mms/asn1's tag numbering. */
export function t(octet: number): number {
  return ((octet & 0xe0) << 21) | (octet & 0x1f);
}

/** Identifier octet of a low tag (for printing), or `[class n]` for a high one. */
export function tagHex(tag: number): string {
  const n = tagNumberOf(tag);
  const first = tagClassOf(tag) | (isConstructed(tag) ? 0x20 : 0);
  return n < 31 ? (first | n).toString(16).padStart(2, "0") : `${first.toString(16)}/${n}`;
}

/** Decodes one BER element, or returns the decode error text. */
export function node(bytes: Uint8Array): BerNode | string {
  try {
    const nodes = decodeTree(bytes);
    const first = nodes[0];
    if (!first) return "empty";
    return first;
  } catch (e) {
    if (e instanceof BerDecodeError) return e.message;
    throw e;
  }
}

export function child(n: BerNode | undefined, octet: number): BerNode | undefined {
  return n?.children?.find((c) => c.tag === t(octet));
}

export function uint(n: BerNode | undefined): number | undefined {
  const c = n?.content;
  if (!c || c.length === 0 || c.length > 6) return undefined;
  let v = 0;
  for (const x of c) v = v * 256 + x;
  return v;
}

export function oidText(n: BerNode | undefined): string | undefined {
  const c = n?.content;
  if (!c || c.length === 0) return undefined;
  const arcs: number[] = [];
  let v = 0;
  for (const x of c) {
    v = v * 128 + (x & 0x7f);
    if ((x & 0x80) === 0) {
      arcs.push(v);
      v = 0;
    }
  }
  const first = arcs.shift() ?? 0;
  const a = first < 40 ? 0 : first < 80 ? 1 : 2;
  return [a, first - a * 40, ...arcs].join(".");
}

export function text(n: BerNode | undefined): string | undefined {
  const c = n?.content;
  return c ? new TextDecoder("latin1").decode(c) : undefined;
}

export function hexOf(b: Uint8Array, max = 32): string {
  let s = "";
  const n = Math.min(b.length, max);
  for (let i = 0; i < n; i++) s += (i ? " " : "") + (b[i] ?? 0).toString(16).padStart(2, "0");
  return b.length > max ? `${s} …(+${b.length - max})` : s;
}

/** The bytes of an element's whole TLV inside the buffer it was decoded from. */
export function contentBytes(buf: Uint8Array, n: BerNode): Uint8Array {
  if (n.content) return n.content;
  const last = n.children?.[n.children.length - 1];
  const end = last ? endOf(buf, last) : n.contentOffset;
  return buf.subarray(n.contentOffset, end);
}

function endOf(buf: Uint8Array, n: BerNode): number {
  if (n.content) return n.contentOffset + n.content.length;
  const last = n.children?.[n.children.length - 1];
  return last ? endOf(buf, last) : n.contentOffset;
}

/** The whole TLV of an element inside the buffer it was decoded from. */
export function tlvBytes(buf: Uint8Array, n: BerNode): Uint8Array {
  return buf.subarray(n.offset, endOf(buf, n));
}
