import {
  app,
  BerDecodeError,
  BerEncodeError,
  BerReader,
  BerWriter,
  ctx,
  ctxC,
  decodeLimits,
  isConstructed,
  MAX_TAG_NUMBER,
  makeTag,
  TagClass,
  tagClassOf,
  tagName,
  tagNumberOf,
  UniversalTag,
  withConstructed,
} from "@mms/asn1";
import { hex, toHex } from "./support";
import { describe, expect, it } from "vitest";

/** Runs `fn` and returns the BerDecodeError it throws (fails the test otherwise). */
function decodeError(fn: () => unknown): BerDecodeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof BerDecodeError) return e;
    throw e;
  }
  throw new Error("expected a BerDecodeError");
}

describe("identifier octets (X.690 §8.1.2)", () => {
  const cases: [number, string][] = [
    [0, "80"],
    [30, "9e"],
    [31, "9f1f"],
    [127, "9f7f"],
    [128, "9f8100"],
    [16383, "9fff7f"],
    [16384, "9f818000"],
    [MAX_TAG_NUMBER, "9fffff7f"],
  ];
  for (const [n, enc] of cases) {
    it(`tag number ${n} is written as ${enc} and read back`, () => {
      const w = new BerWriter();
      w.writeTag(ctx(n));
      w.writeLength(0);
      expect(toHex(w.view())).toBe(`${enc}00`);
      const r = new BerReader(w.view());
      expect(r.peekTag()).toBe(ctx(n));
      expect(tagNumberOf(r.peekTag())).toBe(n);
      r.skip();
      expect(r.hasMore()).toBe(false);
    });
  }

  it("keeps class and constructed bits for every class", () => {
    for (const cls of [TagClass.universal, TagClass.application, TagClass.context, TagClass.private]) {
      for (const c of [false, true]) {
        for (const n of [1, 30, 31, 200, 20000]) {
          const tag = makeTag(cls, c, n);
          expect(tagClassOf(tag)).toBe(cls);
          expect(isConstructed(tag)).toBe(c);
          expect(tagNumberOf(tag)).toBe(n);
          const w = new BerWriter();
          w.writeTag(tag);
          w.writeLength(0);
          expect(new BerReader(w.view()).peekTag()).toBe(tag);
        }
      }
    }
  });

  it("names tags", () => {
    expect(tagName(UniversalTag.SEQUENCE)).toBe("SEQUENCE");
    expect(tagName(ctx(3))).toBe("[3]");
    expect(tagName(ctxC(3))).toBe("[3]c");
    expect(tagName(app(1))).toBe("[APPLICATION 1]c");
    expect(tagName(makeTag(TagClass.private, false, 7))).toBe("[PRIVATE 7]");
    expect(tagName(makeTag(TagClass.universal, false, 30))).toBe("[UNIVERSAL 30]");
    expect(withConstructed(ctx(5), true)).toBe(ctxC(5));
    expect(withConstructed(ctxC(5), false)).toBe(ctx(5));
  });

  it("refuses tag numbers it cannot represent", () => {
    expect(() => makeTag(TagClass.context, false, MAX_TAG_NUMBER + 1)).toThrow(BerEncodeError);
    expect(() => makeTag(TagClass.context, false, -1)).toThrow(BerEncodeError);
    expect(() => ctx(1.5)).toThrow(BerEncodeError);
  });

  it("accepts a low tag number in the high-tag form leniently, refuses it strictly", () => {
    const bytes = hex`9f 05 00`;
    expect(new BerReader(bytes).peekTag()).toBe(ctx(5));
    const e = decodeError(() => new BerReader(bytes, 0, 3, decodeLimits({ strict: true })).peekTag());
    expect([e.code, e.offset]).toEqual(["invalid-tag", 0]);
  });

  it("refuses a high tag number padded with a leading 0x80 (X.690 §8.1.2.4.2 c)", () => {
    const e = decodeError(() => new BerReader(hex`9f 80 01 00`).peekTag());
    expect([e.code, e.offset]).toEqual(["invalid-tag", 1]);
  });

  it("refuses tag numbers of more than three subsequent octets", () => {
    const e = decodeError(() => new BerReader(hex`9f 81 80 80 00 00`).peekTag());
    expect([e.code, e.offset]).toEqual(["tag-overflow", 0]);
  });

  it("refuses [UNIVERSAL 0] outside an indefinite length", () => {
    const e = decodeError(() => new BerReader(hex`30 02 00 00`).enter(UniversalTag.SEQUENCE).peekTag());
    expect([e.code, e.offset]).toEqual(["invalid-tag", 2]);
  });
});

describe("length octets (X.690 §8.1.3)", () => {
  const cases: [number, string][] = [
    [0, "00"],
    [1, "01"],
    [127, "7f"],
    [128, "8180"],
    [255, "81ff"],
    [256, "820100"],
    [65535, "82ffff"],
    [65536, "83010000"],
    [0xffffff, "83ffffff"],
    [0x1000000, "8401000000"],
  ];
  for (const [len, enc] of cases) {
    it(`length ${len} is written minimally as ${enc}`, () => {
      const w = new BerWriter();
      w.writeLength(len);
      expect(toHex(w.view())).toBe(enc);
    });
  }
  for (const [len] of cases.filter(([l]) => l <= 65536)) {
    it(`an OCTET STRING of ${len} octets round-trips`, () => {
      const content = new Uint8Array(len).map((_, i) => i & 0xff);
      const w = new BerWriter(4);
      w.primitive(UniversalTag.OCTET_STRING, content);
      const r = new BerReader(w.view());
      expect(r.readPrimitive(UniversalTag.OCTET_STRING)).toBe(len);
      expect(r.bytes.subarray(r.contentStart, r.contentEnd)).toEqual(content);
      r.expectEnd();
    });
  }

  it("accepts non-minimal long-form lengths leniently, refuses them strictly", () => {
    for (const bytes of [hex`04 81 01 aa`, hex`04 82 00 01 aa`, hex`04 84 00 00 00 01 aa`]) {
      const r = new BerReader(bytes);
      expect(toHex(r.readContent(UniversalTag.OCTET_STRING))).toBe("aa");
      const e = decodeError(() =>
        new BerReader(bytes, 0, bytes.length, decodeLimits({ strict: true })).peekTag(),
      );
      expect([e.code, e.offset]).toEqual(["invalid-length", 0]);
    }
  });

  it("refuses more than four length octets and the reserved 0xFF", () => {
    let e = decodeError(() => new BerReader(hex`04 85 00 00 00 00 01 aa`).peekTag());
    expect([e.code, e.offset]).toEqual(["length-overflow", 1]);
    e = decodeError(() => new BerReader(hex`04 ff`).peekTag());
    expect([e.code, e.offset]).toEqual(["invalid-length", 1]);
  });

  it("refuses lengths above maxLength before looking for the content", () => {
    const e = decodeError(() =>
      new BerReader(hex`04 83 01 00 00`, 0, 5, decodeLimits({ maxLength: 0xffff })).peekTag(),
    );
    expect([e.code, e.offset]).toEqual(["length-overflow", 0]);
  });

  describe("indefinite form (X.690 §8.1.3.6)", () => {
    it("reads a constructed element closed by end-of-contents", () => {
      const bytes = hex`30 80 02 01 05 04 00 00 00 01 01 ff`;
      const r = new BerReader(bytes);
      const s = r.enter(UniversalTag.SEQUENCE);
      expect(s.end).toBe(7);
      expect(s.readPrimitive(UniversalTag.INTEGER)).toBe(1);
      s.skip();
      s.expectEnd();
      expect(r.pos).toBe(9);
      expect(r.readPrimitive(UniversalTag.BOOLEAN)).toBe(1);
      r.expectEnd();
    });

    it("nests indefinite inside indefinite and definite", () => {
      const bytes = hex`a1 80 30 80 a2 04 30 80 00 00 00 00 00 00`;
      const r = new BerReader(bytes);
      const a = r.enter(ctxC(1));
      const b = a.enter(UniversalTag.SEQUENCE);
      const c = b.enter(ctxC(2));
      const d = c.enter(UniversalTag.SEQUENCE);
      d.expectEnd();
      c.expectEnd();
      b.expectEnd();
      a.expectEnd();
      r.expectEnd();
    });

    it("refuses it on a primitive element", () => {
      const e = decodeError(() => new BerReader(hex`04 80 00 00`).peekTag());
      expect([e.code, e.offset]).toEqual(["invalid-length", 1]);
    });

    it("refuses it when the limits say so", () => {
      const e = decodeError(() =>
        new BerReader(hex`30 80 00 00`, 0, 4, decodeLimits({ allowIndefiniteLength: false })).peekTag(),
      );
      expect([e.code, e.offset]).toEqual(["indefinite-length", 1]);
    });

    it("is truncated without its end-of-contents", () => {
      const e = decodeError(() => new BerReader(hex`30 80 02 01 05`).peekTag());
      expect(e.code).toBe("truncated");
    });
  });
});
