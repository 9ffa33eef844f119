import type { DecodeLimits } from "./limits";
import { BerReader } from "./reader";
import { isConstructed, type Tag } from "./tag";
import type { BerWriter } from "./writer";

/** A generic BER element: for analysers, debug dumps and differential tests. */
export interface BerNode {
  readonly tag: Tag;
  /** Offset of the identifier octets in the input. */
  readonly offset: number;
  /** Offset of the first content octet. */
  readonly contentOffset: number;
  /** Content octets (a view) of a primitive element; undefined for constructed. */
  readonly content: Uint8Array | undefined;
  /** Children of a constructed element; undefined for primitive. */
  readonly children: readonly BerNode[] | undefined;
}

/** Reads one element and everything inside it as a tree (bounded by the reader's limits). */
export function readNode(r: BerReader): BerNode {
  const offset = r.offset;
  const tag = r.peekTag();
  if (tag === -1) r.fail("truncated", "expected an element, found the end");
  if (isConstructed(tag)) {
    const c = r.enterAny();
    const contentOffset = c.pos;
    const children: BerNode[] = [];
    while (c.hasMore()) children.push(readNode(c));
    return { tag, offset, contentOffset, content: undefined, children };
  }
  r.readAny();
  return {
    tag,
    offset,
    contentOffset: r.contentStart,
    content: r.bytes.subarray(r.contentStart, r.contentEnd),
    children: undefined,
  };
}

/** Decodes a whole buffer as a sequence of top-level elements. */
export function decodeTree(bytes: Uint8Array, limits?: DecodeLimits): BerNode[] {
  const r = new BerReader(bytes, 0, bytes.length, limits);
  const out: BerNode[] = [];
  while (r.hasMore()) out.push(readNode(r));
  return out;
}

/** Writes a tree back, with definite minimal lengths. */
export function writeNode(w: BerWriter, node: BerNode): void {
  if (node.children) {
    const m = w.begin(node.tag);
    for (const c of node.children) writeNode(w, c);
    w.end(m);
  } else w.primitive(node.tag, node.content ?? new Uint8Array(0));
}
