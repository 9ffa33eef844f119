import {
  BerDecodeError,
  BerReader,
  BerWriter,
  berToString,
  type Codec,
  ctx,
  ctxC,
  decode,
  decodeLimits,
  decodeTree,
  encode,
  readInteger,
  readNull,
  makeTag,
  readVisibleString,
  TagClass,
  UniversalTag,
  writeInteger,
  writeNode,
  writeNull,
  writeVisibleString,
} from "@mms/asn1";
import { describe, expect, it } from "vitest";
import { hex, toHex } from "./support";

function err(fn: () => unknown): { code: string; offset: number; path: readonly string[] } {
  try {
    fn();
  } catch (e) {
    if (e instanceof BerDecodeError) return e;
    throw e;
  }
  throw new Error("expected a BerDecodeError");
}

// A small SEQUENCE { a [0] IMPLICIT INTEGER, b [1] IMPLICIT VisibleString OPTIONAL, c SEQUENCE OF NULL }
interface Rec {
  a: number;
  b: string | undefined;
  c: number;
}
const recCodec: Codec<Rec> = {
  encode(v, w) {
    const m = w.begin(UniversalTag.SEQUENCE);
    writeInteger(w, v.a, ctx(0));
    if (v.b !== undefined) writeVisibleString(w, v.b, ctx(1));
    const n = w.begin(ctxC(2));
    for (let i = 0; i < v.c; i++) writeNull(w);
    w.end(n);
    w.end(m);
  },
  decode(r) {
    const s = r.enter(UniversalTag.SEQUENCE);
    const a = readInteger(s, ctx(0));
    const b = s.optional(ctx(1), (x) => readVisibleString(x, ctx(1)));
    const c = s.sequenceOf(ctxC(2), (x) => readNull(x), 10).length;
    s.expectEnd();
    return { a, b, c };
  },
};

describe("BerReader API", () => {
  it("enter() bounds the child by the element's content", () => {
    const r = new BerReader(hex`30 03 02 01 07 05 00`);
    const s = r.enter(UniversalTag.SEQUENCE);
    expect([s.pos, s.end, s.depth]).toEqual([2, 5, 1]);
    expect(readInteger(s)).toBe(7);
    expect(s.hasMore()).toBe(false);
    expect(s.peekTag()).toBe(-1);
    expect(r.pos).toBe(5);
    expect(readNull(r)).toBe(null);
    r.expectEnd();
  });

  it("peekTag() caches the header; isNext/optional do not consume", () => {
    const r = new BerReader(hex`80 01 05 81 00`);
    expect(r.peekTag()).toBe(ctx(0));
    expect(r.peekTag()).toBe(ctx(0));
    expect(r.isNext(ctx(1))).toBe(false);
    expect(r.optional(ctx(1), () => 1)).toBeUndefined();
    expect(r.pos).toBe(0);
    expect(r.optional(ctx(0), (x) => readInteger(x, ctx(0)))).toBe(5);
    expect(r.isNext(ctx(1))).toBe(true);
    r.skip();
    r.expectEnd();
  });

  it("a Codec round-trips through encode/decode, with and without the optional", () => {
    for (const v of [
      { a: 1, b: "x", c: 3 },
      { a: -300, b: undefined, c: 0 },
      { a: 2 ** 40, b: "y".repeat(200), c: 10 },
    ]) {
      const bytes = encode(recCodec, v);
      expect(decode(recCodec, bytes)).toEqual(v);
      const w = new BerWriter(1);
      expect(toHex(encode(recCodec, v, w))).toBe(toHex(bytes));
    }
    expect(toHex(encode(recCodec, { a: 1, b: undefined, c: 1 }))).toBe("3007800101a2020500");
  });

  it("decode() refuses trailing octets", () => {
    const e = err(() => decode(recCodec, hex`30 05 80 01 01 a2 00 00`));
    expect([e.code, e.offset]).toEqual(["trailing-data", 7]);
  });

  it("sequenceOf() enforces its count limit", () => {
    const bytes = encode(recCodec, { a: 1, b: undefined, c: 11 });
    const e = err(() => decode(recCodec, bytes));
    expect(e.code).toBe("too-many-elements");
    expect(e.offset).toBe(2 + 3 + 2 + 2 * 10); // the 11th NULL
    expect(e.path).toEqual(["SEQUENCE", "[2]c"]);
  });

  it("items() reads to the end of the reader, at most maxCount", () => {
    const r = new BerReader(hex`02 01 01 02 01 02 02 01 03`);
    expect(r.items((x) => readInteger(x))).toEqual([1, 2, 3]);
    const r2 = new BerReader(hex`02 01 01 02 01 02 02 01 03`);
    expect(err(() => r2.items((x) => readInteger(x), 2)).code).toBe("too-many-elements");
  });

  it("expectEnd() names what is left", () => {
    const r = new BerReader(hex`30 05 02 01 01 05 00`);
    const s = r.enter(UniversalTag.SEQUENCE);
    readInteger(s);
    const e = err(() => s.expectEnd());
    expect([e.code, e.offset, e.path]).toEqual(["trailing-data", 5, ["SEQUENCE"]]);
  });

  it("readTlv() returns the whole element as a view; readAny() the content bounds", () => {
    const bytes = hex`a0 03 80 01 09 1f 81 00 01 ee`;
    const r = new BerReader(bytes);
    const tlv = r.readTlv();
    expect(toHex(tlv)).toBe("a003800109");
    expect(tlv.buffer).toBe(bytes.buffer);
    expect(r.readAny()).toBe(makeTag(TagClass.universal, false, 128));
    expect([r.contentStart, r.contentEnd]).toEqual([9, 10]);
    r.expectEnd();
  });

  it("unexpected tags and missing elements fail with their offset and path", () => {
    const r = new BerReader(hex`30 03 81 01 01`);
    const s = r.enter(UniversalTag.SEQUENCE);
    let e = err(() => readInteger(s, ctx(0)));
    expect([e.code, e.offset, e.path]).toEqual(["unexpected-tag", 2, ["SEQUENCE"]]);
    s.skip();
    e = err(() => readInteger(s, ctx(0)));
    expect([e.code, e.offset]).toEqual(["truncated", 5]);
    e = err(() => s.enterAny());
    expect(e.code).toBe("truncated");
    const p = new BerReader(hex`02 01 01`);
    e = err(() => p.enterAny());
    expect([e.code, e.offset]).toEqual(["unexpected-tag", 0]);
  });

  it("maxDepth bounds enter()", () => {
    const deep = (n: number): Uint8Array => {
      const w = new BerWriter();
      const marks: number[] = [];
      for (let i = 0; i < n; i++) marks.push(w.begin(UniversalTag.SEQUENCE));
      for (let i = n - 1; i >= 0; i--) w.end(marks[i]!);
      return w.toBytes();
    };
    const limits = decodeLimits({ maxDepth: 4 });
    expect(decodeTree(deep(4), limits)).toHaveLength(1);
    const e = err(() => decodeTree(deep(5), limits));
    expect([e.code, e.offset]).toEqual(["depth-exceeded", 8]);
    expect(e.path).toHaveLength(4);
  });

  it("maxElements bounds the headers read in one decode", () => {
    const bytes = new Uint8Array(2 * 101);
    for (let i = 0; i < 101; i++) bytes[2 * i] = 0x05;
    expect(decodeTree(bytes.subarray(0, 200), decodeLimits({ maxElements: 100 }))).toHaveLength(100);
    const e = err(() => decodeTree(bytes, decodeLimits({ maxElements: 100 })));
    expect([e.code, e.offset]).toEqual(["too-many-elements", 200]);
  });

  it("works on a window of a larger buffer", () => {
    const bytes = hex`ff ff 02 01 05 ff`;
    const r = new BerReader(bytes, 2, 5);
    expect(readInteger(r)).toBe(5);
    r.expectEnd();
    const e = err(() => new BerReader(bytes, 2, 4).peekTag());
    expect([e.code, e.offset]).toEqual(["truncated", 2]);
  });
});

describe("BerWriter", () => {
  it("reserve-and-patch: short lengths stay in place", () => {
    const w = new BerWriter();
    const m = w.begin(UniversalTag.SEQUENCE);
    w.primitive(UniversalTag.OCTET_STRING, new Uint8Array(125));
    w.end(m);
    expect(toHex(w.view().subarray(0, 4))).toBe("307f047d");
    expect(w.pos).toBe(129);
  });

  for (const [len, lenHex] of [
    [127, "7f"],
    [128, "8180"],
    [255, "81ff"],
    [256, "820100"],
    [65535, "82ffff"],
    [65536, "83010000"],
  ] as const) {
    it(`end() patches a content of ${len} octets as ${lenHex}, shifting it when needed`, () => {
      const body = new Uint8Array(len).map((_, i) => (i * 7) & 0xff);
      const w = new BerWriter(8);
      const m = w.begin(ctxC(1));
      w.raw(body);
      w.end(m);
      const out = w.view();
      expect(out.length).toBe(1 + lenHex.length / 2 + len);
      expect(toHex(out.subarray(1, 1 + lenHex.length / 2))).toBe(lenHex);
      const r = new BerReader(out);
      expect(r.readAny()).toBe(ctxC(1));
      expect(r.bytes.subarray(r.contentStart, r.contentEnd)).toEqual(body);
      r.expectEnd();
    });
  }

  it("nested patches shift inner then outer, keeping marks valid", () => {
    const w = new BerWriter(4);
    const a = w.begin(ctxC(0));
    const b = w.begin(ctxC(1));
    w.primitive(UniversalTag.OCTET_STRING, new Uint8Array(300).fill(0xab));
    w.end(b);
    writeNull(w);
    const c = w.begin(ctxC(2));
    w.primitive(UniversalTag.OCTET_STRING, new Uint8Array(130).fill(0xcd));
    w.end(c);
    w.end(a);
    const tree = decodeTree(w.toBytes());
    const w2 = new BerWriter();
    for (const n of tree) writeNode(w2, n);
    expect(toHex(w2.view())).toBe(toHex(w.view()));
    expect(toHex(w.view().subarray(0, 8))).toBe("a08201bea1820130");
    const r = new BerReader(w.view()).enter(ctxC(0));
    expect(
      r
        .enter(ctxC(1))
        .readContent(UniversalTag.OCTET_STRING)
        .every((x) => x === 0xab),
    ).toBe(true);
    readNull(r);
    expect(r.enter(ctxC(2)).readContent(UniversalTag.OCTET_STRING)).toHaveLength(130);
    r.expectEnd();
  });

  it("constructs correctly into a dirty, reused buffer", () => {
    const w = new BerWriter(16);
    w.raw(new Uint8Array(600).fill(0xee));
    const dirtyCapacity = w.buf.length;
    w.reset();
    expect(w.buf.length).toBe(dirtyCapacity); // the buffer is kept
    w.constructed(UniversalTag.SEQUENCE, (x) => {
      x.constructed(ctxC(0), () => {});
      writeInteger(x, 0);
      x.primitive(ctx(1), new Uint8Array(0));
    });
    expect(toHex(w.view())).toBe("3007a0000201008100");
    expect(toHex(w.toBytes())).toBe("3007a0000201008100");
    expect(w.toBytes().buffer).not.toBe(w.buf.buffer);
  });

  it("grows geometrically", () => {
    const w = new BerWriter(16);
    const sizes = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      w.byte(i & 0xff);
      sizes.add(w.buf.length);
    }
    expect(sizes.size).toBeLessThanOrEqual(11);
    expect(w.pos).toBe(10_000);
  });

  it("splices pre-encoded TLVs with raw()", () => {
    const w = new BerWriter();
    w.constructed(ctxC(3), (x) => x.raw(hex`02 01 05 05 00`));
    expect(toHex(w.view())).toBe("a3050201050500");
  });
});

describe("berToString", () => {
  it("prints a tree with offsets, and the error on malformed input", () => {
    const s = berToString(hex`a1 07 1a 03 61 62 63 80 00 04 02 00 01`);
    expect(s).toContain("    0 [1]c {");
    expect(s).toContain('    2   VisibleString (3) 61 62 63  "abc"');
    expect(s).toContain("    7   [0] (0) ");
    expect(s).toContain("    9 OCTET STRING (2) 00 01");
    const bad = berToString(hex`30 05 02 01`);
    expect(bad).toMatch(/^!! truncated at offset 0/m);
  });
});
