/**
 * Differential properties against asn1js 4 as the reference codec, plus round-trip, prefix and
 * totality properties (issue 2 "Tests that must exist").
 */
import {
  BerDecodeError,
  type BerNode,
  BerReader,
  BerWriter,
  type Codec,
  decode,
  decodeTree,
  isConstructed,
  MAX_TAG_NUMBER,
  makeTag,
  readNode,
  type Tag,
  TagClass,
  tagClassOf,
  tagNumberOf,
  UniversalTag,
  writeNode,
} from "@mms/asn1";
import * as asn1js from "asn1js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toHex, vectorPpdus } from "./support";

/** A BER tree with no offsets: what two codecs must agree on. */
interface T {
  readonly tag: Tag;
  readonly content?: Uint8Array;
  readonly children?: readonly T[];
}

const ASN1JS_CLASS: Record<number, number> = {
  [TagClass.universal]: 1,
  [TagClass.application]: 2,
  [TagClass.context]: 3,
  [TagClass.private]: 4,
};
const FROM_ASN1JS_CLASS = [0, TagClass.universal, TagClass.application, TagClass.context, TagClass.private];

// ---------------------------------------------------------------- conversions

function fromOurs(n: BerNode): T {
  return n.children
    ? { tag: n.tag, children: n.children.map(fromOurs) }
    : { tag: n.tag, content: n.content! };
}

function toAsn1js(t: T): asn1js.BaseBlock {
  const tagClass = ASN1JS_CLASS[tagClassOf(t.tag)]!;
  const tagNumber = tagNumberOf(t.tag);
  if (t.children) {
    const value = t.children.map(toAsn1js);
    if (t.tag === UniversalTag.SEQUENCE) return new asn1js.Sequence({ value });
    if (t.tag === UniversalTag.SET) return new asn1js.Set({ value });
    return new asn1js.Constructed({ idBlock: { tagClass, tagNumber }, value });
  }
  const valueHex = t.content!.slice().buffer;
  if (t.tag === UniversalTag.OCTET_STRING) return new asn1js.OctetString({ valueHex });
  return new asn1js.Primitive({ idBlock: { tagClass, tagNumber }, valueHex });
}

function fromAsn1js(b: asn1js.BaseBlock): T {
  const id = b.idBlock;
  const tag = makeTag(FROM_ASN1JS_CLASS[id.tagClass] as TagClass, id.isConstructed, id.tagNumber);
  if (id.isConstructed) {
    const value = (b.valueBlock as unknown as { value: asn1js.BaseBlock[] }).value;
    return { tag, children: value.map(fromAsn1js) };
  }
  // Universal types keep their own value blocks: take the content octets from the TLV itself.
  return { tag, content: b.valueBeforeDecodeView.subarray(id.blockLength + b.lenBlock.blockLength) };
}

function asn1jsDecode(bytes: Uint8Array): T {
  const r = asn1js.fromBER(bytes);
  if (r.offset === -1 || r.result.error) throw new Error(`asn1js: ${r.result.error}`);
  expect(r.offset).toBe(bytes.length);
  return fromAsn1js(r.result);
}

function asn1jsEncode(t: T): Uint8Array {
  return new Uint8Array(toAsn1js(t).toBER(false));
}

function oursEncode(t: T): Uint8Array {
  const w = new BerWriter(8);
  writeNode(w, t as BerNode);
  return w.toBytes();
}

const treeCodec: Codec<BerNode> = { encode: (v, w) => writeNode(w, v), decode: readNode };

function oursDecode(bytes: Uint8Array): T {
  return fromOurs(decode(treeCodec, bytes));
}

/** Comparable form (hex content) for deep equality. */
function norm(t: T): unknown {
  return t.children ? [t.tag, t.children.map(norm)] : [t.tag, toHex(t.content!)];
}

// ---------------------------------------------------------------- generators

const tagNumber = fc.oneof(
  fc.constantFrom(0, 1, 30, 31, 127, 128, 16383, 16384, MAX_TAG_NUMBER),
  fc.integer({ min: 0, max: 40 }),
  fc.integer({ min: 0, max: MAX_TAG_NUMBER }),
);
const nonUniversalClass = fc.constantFrom<TagClass>(TagClass.application, TagClass.context, TagClass.private);
const content = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 120, maxLength: 300 }) },
);
const leaf: fc.Arbitrary<T> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      tag: fc.tuple(nonUniversalClass, tagNumber).map(([c, n]) => makeTag(c, false, n)),
      content,
    }),
  },
  { weight: 1, arbitrary: content.map((c) => ({ tag: UniversalTag.OCTET_STRING, content: c })) },
);
const { tree } = fc.letrec<{ tree: T; node: T }>((rec) => ({
  tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, rec("node")),
  node: fc.record({
    tag: fc.oneof(
      fc.tuple(nonUniversalClass, tagNumber).map(([c, n]) => makeTag(c, true, n)),
      fc.constantFrom(UniversalTag.SEQUENCE, UniversalTag.SET),
    ),
    children: fc.array(rec("tree"), { maxLength: 5 }),
  }),
}));

/** How to encode each constructed node / length leniently (BER allows all of these). */
interface Lenient {
  readonly indefinite: boolean;
  readonly extraLengthOctets: number;
}
const lenient = fc.record({ indefinite: fc.boolean(), extraLengthOctets: fc.integer({ min: 0, max: 2 }) });

/** Non-canonical BER of `t`: indefinite lengths and padded long-form lengths chosen by `pick`. */
function encodeLenient(t: T, pick: () => Lenient): Uint8Array {
  const out: number[] = [];
  const walk = (n: T): void => {
    const w = new BerWriter(8);
    w.writeTag(n.tag);
    out.push(...w.view());
    const how = pick();
    if (n.children && how.indefinite) {
      out.push(0x80);
      for (const c of n.children) walk(c);
      out.push(0, 0);
      return;
    }
    const body = n.children ? n.children.map((c) => encodeLenient(c, pick)) : [n.content!];
    const len = body.reduce((s, b) => s + b.length, 0);
    const lw = new BerWriter(8);
    lw.writeLength(len);
    let lenOctets = [...lw.view()];
    if (how.extraLengthOctets) {
      const value = len < 0x80 ? [len] : lenOctets.slice(1);
      const n2 = Math.min(4, value.length + how.extraLengthOctets);
      lenOctets = [0x80 | n2, ...new Array<number>(n2 - value.length).fill(0), ...value];
    }
    out.push(...lenOctets);
    for (const b of body) out.push(...b);
  };
  walk(t);
  return Uint8Array.from(out);
}

// ---------------------------------------------------------------- properties

describe("differential against asn1js", () => {
  it("our encoding decodes to the same tree in asn1js, and both encoders agree byte for byte", () => {
    fc.assert(
      fc.property(tree, (t) => {
        const ours = oursEncode(t);
        expect(norm(asn1jsDecode(ours))).toEqual(norm(t));
        expect(toHex(asn1jsEncode(t))).toBe(toHex(ours));
      }),
      { numRuns: 2000 },
    );
  });

  it("asn1js's encoding decodes to the same tree in ours", () => {
    fc.assert(
      fc.property(tree, (t) => {
        expect(norm(oursDecode(asn1jsEncode(t)))).toEqual(norm(t));
      }),
      { numRuns: 2000 },
    );
  });

  it("lenient BER (indefinite and padded lengths) decodes to the same tree in both codecs", () => {
    fc.assert(
      fc.property(tree, fc.array(lenient, { minLength: 1, maxLength: 16 }), (t, picks) => {
        let i = 0;
        const bytes = encodeLenient(t, () => picks[i++ % picks.length]!);
        const mine = oursDecode(bytes);
        expect(norm(mine)).toEqual(norm(t));
        expect(norm(asn1jsDecode(bytes))).toEqual(norm(t));
        // Re-encoding is canonical: the same octets as encoding the tree directly.
        expect(toHex(oursEncode(mine))).toBe(toHex(oursEncode(t)));
      }),
      { numRuns: 1500 },
    );
  });

  it("the presentation PPDU of every unsegmented real frame decodes to the same tree in both codecs", () => {
    let n = 0;
    for (const { ids, ppdu } of vectorPpdus()) {
      if (ids[0] === "V50c") continue; // malformed on purpose: see vectors.test.ts
      expect(norm(oursDecode(ppdu)), ids.join("+")).toEqual(norm(asn1jsDecode(ppdu)));
      n++;
    }
    expect(n).toBeGreaterThan(75);
  });
});

describe("round trips", () => {
  it("decode(encode(x)) = x and encode(decode(b)) = b for canonical b", () => {
    fc.assert(
      fc.property(tree, (t) => {
        const b = oursEncode(t);
        const back = oursDecode(b);
        expect(norm(back)).toEqual(norm(t));
        expect(toHex(oursEncode(back))).toBe(toHex(b));
      }),
      { numRuns: 3000 },
    );
  });

  it("every strict prefix of a valid encoding is rejected as truncated", () => {
    fc.assert(
      fc.property(tree, fc.boolean(), fc.array(lenient, { minLength: 1, maxLength: 8 }), (t, lax, picks) => {
        let i = 0;
        const b = lax ? encodeLenient(t, () => picks[i++ % picks.length]!) : oursEncode(t);
        // All prefixes of short encodings, a spread of them for long ones.
        const step = Math.max(1, Math.floor(b.length / 64));
        for (let len = 0; len < b.length; len += step) {
          let code = "none";
          try {
            decode(treeCodec, b.subarray(0, len));
          } catch (e) {
            if (!(e instanceof BerDecodeError)) throw e;
            code = e.code;
          }
          expect(code, `prefix ${len} of ${toHex(b)}`).toBe("truncated");
        }
      }),
      { numRuns: 600 },
    );
  });
});

/** Decodes `bytes` as a tree; any throw but BerDecodeError fails the property. */
function total(bytes: Uint8Array): void {
  try {
    decodeTree(bytes);
  } catch (e) {
    if (!(e instanceof BerDecodeError)) throw e;
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(bytes.length);
  }
}

describe("totality (no input makes the decoder throw anything but BerDecodeError)", () => {
  it("arbitrary bytes (60 000 runs)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), (b) => total(b)),
      { numRuns: 60_000 },
    );
  });

  it("BER-shaped bytes: header-like octets are likelier (20 000 runs)", () => {
    const octet = fc.oneof(
      fc.constantFrom(0x00, 0x1f, 0x30, 0x80, 0x81, 0x82, 0x84, 0x85, 0xa0, 0xbf, 0xff, 0x7f, 0x9f),
      fc.integer({ min: 0, max: 255 }),
    );
    fc.assert(
      fc.property(fc.array(octet, { maxLength: 40 }), (a) => total(Uint8Array.from(a))),
      { numRuns: 20_000 },
    );
  });

  it("mutated real frames (30 000 runs)", () => {
    const ppdus = vectorPpdus().map((v) => v.ppdu);
    const mutation = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom("flip", "set", "insert", "delete", "cut"),
      value: fc.integer({ min: 0, max: 255 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: ppdus.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (which, muts) => {
          let b = Array.from(ppdus[which]!);
          for (const m of muts) {
            const at = m.at % Math.max(1, b.length);
            if (m.kind === "flip") b[at] = (b[at] ?? 0) ^ (1 << (m.value & 7));
            else if (m.kind === "set") b[at] = m.value;
            else if (m.kind === "insert") b.splice(at, 0, m.value);
            else if (m.kind === "delete") b.splice(at, 1);
            else b = b.slice(0, at);
          }
          total(Uint8Array.from(b));
        },
      ),
      { numRuns: 30_000 },
    );
  });

  it("the reader of a random window of random bytes is total too", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 32 }), fc.nat(), fc.nat(), (b, x, y) => {
        const s = x % b.length;
        const e = s + (y % (b.length - s + 1));
        const r = new BerReader(b, s, e);
        try {
          while (r.hasMore()) {
            const tag = r.peekTag();
            if (isConstructed(tag)) readNode(r);
            else r.readTlv();
          }
        } catch (err) {
          if (!(err instanceof BerDecodeError)) throw err;
        }
      }),
      { numRuns: 5000 },
    );
  });
});
