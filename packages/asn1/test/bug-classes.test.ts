/**
 * One named test per BER bug class of ../shared/reference/peers.md §5 (the CVEs of the reference
 * C stack), each asserting the exact error `code` and `offset`.
 */
import {
  BerDecodeError,
  BerReader,
  type Codec,
  ctx,
  ctxC,
  decode,
  decodeLimits,
  decodeTree,
  readBitString,
  readBoolean,
  readInteger,
  readNode,
  readNull,
  readOid,
  readUtcTime,
  UniversalTag,
  writeNode,
} from "@mms/asn1";
import { describe, expect, it } from "vitest";
import { hex } from "./support";

function failure(fn: () => unknown): { code: string; offset: number; path: readonly string[] } {
  try {
    fn();
  } catch (e) {
    if (e instanceof BerDecodeError) return { code: e.code, offset: e.offset, path: e.path };
    throw e;
  }
  throw new Error("expected a BerDecodeError");
}
const at = (fn: () => unknown): [string, number] => {
  const f = failure(fn);
  return [f.code, f.offset];
};
const tree = (b: Uint8Array) => () => decodeTree(b);
const treeCodec: Codec<ReturnType<typeof readNode>> = { encode: (v, w) => writeNode(w, v), decode: readNode };

describe("peers.md §5 class 1: trusting length fields", () => {
  it("length trust: a definite length past the end of the input is truncated", () => {
    expect(at(tree(hex`04 05 01 02`))).toEqual(["truncated", 0]);
    expect(at(tree(hex`30 82 01 00 05 00`))).toEqual(["truncated", 0]);
  });

  it("length trust: a multi-octet length that would overflow is refused before any read", () => {
    expect(at(tree(hex`04 84 ff ff ff ff 00`))).toEqual(["length-overflow", 0]); // above maxLength
    expect(at(tree(hex`04 88 00 00 00 00 00 00 00 01 00`))).toEqual(["length-overflow", 1]); // > 4 octets
    expect(at(tree(hex`04 84 7f ff ff ff`))).toEqual(["length-overflow", 0]);
  });

  it("length trust: length octets cut by the end of the input", () => {
    expect(at(tree(hex`04 82 01`))).toEqual(["truncated", 0]);
    expect(at(tree(hex`04`))).toEqual(["truncated", 0]);
  });

  it("inner longer than outer: bounded by the parent even when the input goes on", () => {
    // SEQUENCE of 4 octets holding an OCTET STRING that claims 5.
    const f = failure(tree(hex`30 04 04 05 41 42 43 44 45 46`));
    expect([f.code, f.offset, f.path]).toEqual(["length-overflow", 2, ["SEQUENCE"]]);
    // The same when the outer ends exactly at the end of the input (V50c's shape).
    expect(at(tree(hex`a0 04 a1 03 05 00`))).toEqual(["length-overflow", 2]);
    // Deeper: the innermost element overruns its own parent only.
    expect(at(tree(hex`30 08 30 03 04 02 41 42 05 00`))).toEqual(["length-overflow", 4]);
    // Length octets of a child running past the parent.
    expect(at(tree(hex`30 02 04 82 01 00`))).toEqual(["length-overflow", 2]);
    // An indefinite-length child whose end-of-contents is outside its definite parent.
    expect(at(tree(hex`30 03 30 80 05 00 00 00`))).toEqual(["length-overflow", 2]);
  });
});

describe("peers.md §5 class 2: zero-length and fixed-width primitives", () => {
  it("zero-length primitives: types that need content refuse length 0 at the content offset", () => {
    expect(at(() => readInteger(new BerReader(hex`02 00`)))).toEqual(["invalid-encoding", 2]);
    expect(at(() => readBoolean(new BerReader(hex`01 00`)))).toEqual(["invalid-encoding", 2]);
    expect(at(() => readBitString(new BerReader(hex`03 00`)))).toEqual(["invalid-encoding", 2]);
    expect(at(() => readOid(new BerReader(hex`06 00`)))).toEqual(["invalid-encoding", 2]);
    expect(at(() => readUtcTime(new BerReader(hex`17 00`)))).toEqual(["invalid-time", 2]);
    expect(readNull(new BerReader(hex`05 00`))).toBe(null);
  });

  it("zero-length primitives: unknown elements of length 0 still advance (no endless loop)", () => {
    const n = 5000;
    const bytes = new Uint8Array(2 * n);
    for (let i = 0; i < n; i++) bytes[2 * i] = 0x80 | (i % 31);
    const r = new BerReader(bytes);
    let count = 0;
    r.items((x) => {
      const before = x.pos;
      x.skip();
      expect(x.pos).toBe(before + 2);
      count++;
    });
    expect(count).toBe(n);
    expect(decodeTree(bytes)).toHaveLength(n);
  });

  it("zero-length primitives: an item reader that skips nothing cannot loop forever", () => {
    // A list reader that only knows [1] meets [2] of length 0: it must fail, not spin.
    const r = new BerReader(hex`81 00 82 00 81 00`);
    const f = failure(() => r.items((x) => x.optional(ctx(1), (y) => y.skip())));
    expect([f.code, f.offset]).toEqual(["unexpected-tag", 2]);
  });

  it("fixed-width primitives: BOOLEAN, INTEGER, NULL, BIT STRING, UTCTime of the wrong width", () => {
    expect(at(() => readBoolean(new BerReader(hex`01 02 00 ff`)))).toEqual(["invalid-encoding", 2]);
    expect(at(() => readNull(new BerReader(hex`05 01 00`)))).toEqual(["invalid-encoding", 2]);
    // 9 content octets never fit a number (CVE-2026-65421 read a fixed 8).
    expect(at(() => readInteger(new BerReader(hex`02 09 01 00 00 00 00 00 00 00 00`)))).toEqual([
      "integer-overflow",
      2,
    ]);
    expect(at(() => readInteger(new BerReader(hex`85 05 01 00 00 00 00`), ctx(5), 0, 0xffffffff))).toEqual([
      "integer-overflow",
      2,
    ]);
    // BIT STRING padding octet out of range (CVE-2020-7054).
    expect(at(() => readBitString(new BerReader(hex`03 02 09 ff`)))).toEqual(["invalid-encoding", 2]);
    expect(at(() => readUtcTime(new BerReader(hex`17 06 32 34 30 31 30 31`)))).toEqual(["invalid-time", 2]);
  });
});

describe("peers.md §5 class 3: tags", () => {
  it("extended tags: identifier octets cut by the end of the input or of the parent", () => {
    // CVE-2026-66349: a multi-octet tag read one octet past the buffer.
    expect(at(tree(hex`9f`))).toEqual(["truncated", 0]);
    expect(at(tree(hex`bf 81`))).toEqual(["truncated", 0]);
    expect(at(tree(hex`bf 81 80`))).toEqual(["truncated", 0]);
    expect(at(tree(hex`30 02 9f 81 05 00`))).toEqual(["length-overflow", 2]);
    expect(at(tree(hex`30 03 9f 81 01`))).toEqual(["length-overflow", 2]);
  });

  it("extended tags: too many octets and the 0x80 pad are refused", () => {
    expect(at(tree(hex`9f ff ff ff 7f 00`))).toEqual(["tag-overflow", 0]);
    expect(at(tree(hex`9f 80 80 01 00`))).toEqual(["invalid-tag", 1]);
  });

  it("trailing bytes: decode() and expectEnd() refuse unread octets", () => {
    expect(at(() => decode(treeCodec, hex`05 00 00`))).toEqual(["trailing-data", 2]);
    expect(at(() => decode(treeCodec, hex`30 00 30 00`))).toEqual(["trailing-data", 2]);
    const s = new BerReader(hex`a1 06 02 01 01 02 01 02`).enter(ctxC(1));
    readInteger(s);
    expect(at(() => s.expectEnd())).toEqual(["trailing-data", 5]);
  });

  it("unexpected tags are refused where a codec expects another", () => {
    expect(at(() => readInteger(new BerReader(hex`0a 01 01`)))).toEqual(["unexpected-tag", 0]);
    expect(at(() => new BerReader(hex`02 01 01`).enter(UniversalTag.SEQUENCE))).toEqual([
      "unexpected-tag",
      0,
    ]);
  });
});

describe("peers.md §5 class 4: recursion and size bombs", () => {
  it("indefinite-length recursion: nesting is bounded while scanning, not by the stack", () => {
    const depth = 100_000;
    const bytes = new Uint8Array(2 * depth + 2 * depth);
    for (let i = 0; i < depth; i++) {
      bytes[2 * i] = 0x30;
      bytes[2 * i + 1] = 0x80;
    }
    // 33 levels: the default maxDepth is 32, found at the 33rd header's content.
    expect(at(tree(bytes))).toEqual(["depth-exceeded", 2 * 33]);
    expect(at(tree(bytes.subarray(0, 2 * 40)))).toEqual(["depth-exceeded", 2 * 33]);
  });

  it("indefinite-length recursion: limits shrink the bound", () => {
    const nested = (n: number): Uint8Array => {
      const b = new Uint8Array(4 * n);
      for (let i = 0; i < n; i++) {
        b[2 * i] = 0xa0;
        b[2 * i + 1] = 0x80;
      }
      return b;
    };
    expect(decodeTree(nested(4), decodeLimits({ maxDepth: 4 }))).toHaveLength(1);
    expect(at(() => decodeTree(nested(5), decodeLimits({ maxDepth: 4 })))).toEqual(["depth-exceeded", 10]);
  });

  it("definite-length nesting is bounded too", () => {
    const n = 40;
    const len = new Uint8Array(2 * n);
    for (let i = 0; i < n; i++) {
      len[2 * i] = 0x30;
      len[2 * i + 1] = 2 * (n - i - 1);
    }
    expect(at(tree(len))).toEqual(["depth-exceeded", 2 * 32]);
  });

  it("element bombs: the element budget stops a flood of empty elements", () => {
    const bytes = new Uint8Array(2 * 1001);
    for (let i = 0; i < 1001; i++) bytes[2 * i] = 0x05;
    expect(at(() => decodeTree(bytes, decodeLimits({ maxElements: 1000 })))).toEqual([
      "too-many-elements",
      2000,
    ]);
  });
});
