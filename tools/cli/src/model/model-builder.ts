import { binaryTimeFromDate, type Data, type TypeSpecification } from "@mms/pdu";

/**
 * A node of an IEC 61850-style MMS variable tree: a leaf (type + value) or a structure.
 * One logical node is one MMS named variable whose components are the functional
 * constraints, data objects and attributes (IEC 61850-8-1 §8.1.3: `LN$FC$DO$DA`).
 */
export type ModelNode =
  | { readonly name: string; readonly type: TypeSpecification; value: Data; readonly writable?: boolean }
  | { readonly name: string; readonly children: readonly ModelNode[] };

export const leaf = (name: string, type: TypeSpecification, value: Data, writable = false): ModelNode =>
  writable ? { name, type, value, writable } : { name, type, value };
export const struct = (name: string, children: readonly ModelNode[]): ModelNode => ({ name, children });

export const isLeaf = (n: ModelNode): n is Extract<ModelNode, { type: TypeSpecification }> => "type" in n;

/** The MMS TypeSpecification of a node (structures of named components). */
export function typeOf(n: ModelNode): TypeSpecification {
  if (isLeaf(n)) return n.type;
  return {
    type: "structure",
    packed: false,
    components: n.children.map((c) => ({ name: c.name, type: typeOf(c) })),
  };
}

/** The MMS Data value of a node. */
export function dataOf(n: ModelNode): Data {
  if (isLeaf(n)) return n.value;
  return { type: "structure", value: n.children.map(dataOf) };
}

/** Finds `A$B$C` below a node (the first component names the node itself). */
export function findNode(root: ModelNode, path: readonly string[]): ModelNode | undefined {
  if (path[0] !== root.name) return undefined;
  let n: ModelNode | undefined = root;
  for (const p of path.slice(1)) {
    if (!n || isLeaf(n)) return undefined;
    n = n.children.find((c) => c.name === p);
  }
  return n;
}

/** Every item name of the tree in GetNameList order (parents before children, alphabetical). */
export function itemNames(root: ModelNode, prefix = ""): string[] {
  const name = prefix ? `${prefix}$${root.name}` : root.name;
  if (isLeaf(root)) return [name];
  const children = [...root.children].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [name, ...children.flatMap((c) => itemNames(c, name))];
}

// Common IEC 61850 basic types (IEC 61850-8-1 Table 20).
export const FLOAT32: TypeSpecification = { type: "floatingPoint", formatWidth: 32, exponentWidth: 8 };
export const BOOLEAN: TypeSpecification = { type: "boolean" };
export const INT8: TypeSpecification = { type: "integer", bits: 8 };
export const INT32: TypeSpecification = { type: "integer", bits: 32 };
export const INT8U: TypeSpecification = { type: "unsigned", bits: 8 };
export const INT32U: TypeSpecification = { type: "unsigned", bits: 32 };
export const QUALITY: TypeSpecification = { type: "bitString", size: 13 };
export const TIMESTAMP: TypeSpecification = { type: "utcTime" };
export const VSTRING255: TypeSpecification = { type: "visibleString", size: -255 };
export const VSTRING64: TypeSpecification = { type: "visibleString", size: -64 };
export const OCTET64: TypeSpecification = { type: "octetString", size: -64 };
export const CHECK: TypeSpecification = { type: "bitString", size: 2 };
export const VSTRING129: TypeSpecification = { type: "visibleString", size: -129 };
/** EntryTime (IEC 61850-8-1 Table 20): a 6-octet binary-time. */
export const ENTRY_TIME: TypeSpecification = { type: "binaryTime", withDate: true };
/** EntryID: an 8-octet string. */
export const OCTET8: TypeSpecification = { type: "octetString", size: 8 };
/** TrgOps of a log or report control block (6 bits). */
export const TRGOPS: TypeSpecification = { type: "bitString", size: 6 };

export const float32 = (value: number): Data => ({
  type: "floatingPoint",
  value: Math.fround(value),
  width: 32,
});
export const bool = (value: boolean): Data => ({ type: "boolean", value });
export const int = (value: number): Data => ({ type: "integer", value });
export const uns = (value: number): Data => ({ type: "unsigned", value });
export const vstr = (value: string): Data => ({ type: "visibleString", value });
/** Quality good (13 bits, all clear). */
export const goodQuality = (): Data => ({
  type: "bitString",
  value: { bytes: new Uint8Array(2), bitLength: 13 },
});
/** A 6-octet binary-time; instants before its 1984 epoch are shown as the epoch. */
export const entryTime = (ms: number): Data => ({
  type: "binaryTime",
  value: binaryTimeFromDate(Math.max(ms, Date.UTC(1984, 0, 1))),
});
export const entryId = (id: Uint8Array): Data => ({ type: "octetString", value: id });
export const utc = (ms: number): Data => ({
  type: "utcTime",
  value: {
    secondsSinceEpoch: Math.floor(ms / 1000),
    fraction: Math.floor(((ms % 1000) / 1000) * 2 ** 24),
    quality: 0x0a,
  },
});
