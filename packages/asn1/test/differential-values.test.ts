/** Universal-type values against asn1js 4: same octets out, same values back, both ways. */
import {
  BerReader,
  BerWriter,
  readBigInt,
  readBoolean,
  readGeneralizedTime,
  readOid,
  readUtf8String,
  readVisibleString,
  writeBoolean,
  writeGeneralizedTime,
  writeInteger,
  writeOid,
  writeUtf8String,
  writeVisibleString,
} from "@mms/asn1";
import * as asn1js from "asn1js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toHex } from "./support";

function ours(write: (w: BerWriter) => void): Uint8Array {
  const w = new BerWriter(8);
  write(w);
  return w.toBytes();
}
function theirs(block: asn1js.BaseBlock): Uint8Array {
  return new Uint8Array(block.toBER(false));
}
function parsed<T extends asn1js.BaseBlock>(bytes: Uint8Array): T {
  const r = asn1js.fromBER(bytes);
  if (r.offset !== bytes.length || r.result.error) throw new Error(`asn1js: ${r.result.error}`);
  return r.result as T;
}

describe("universal values against asn1js", () => {
  it("INTEGER (any width, bigint)", () => {
    const big = fc.oneof(
      fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
      fc.integer().map(BigInt),
      fc.constantFrom(0n, -1n, 127n, 128n, -128n, -129n, 255n, 256n, 2n ** 53n, -(2n ** 53n)),
    );
    fc.assert(
      fc.property(big, (v) => {
        const b = ours((w) => writeInteger(w, v));
        expect(toHex(theirs(asn1js.Integer.fromBigInt(v)))).toBe(toHex(b));
        expect(parsed<asn1js.Integer>(b).toBigInt()).toBe(v);
        expect(readBigInt(new BerReader(b))).toBe(v);
      }),
      { numRuns: 1000 },
    );
  });

  it("OBJECT IDENTIFIER", () => {
    const oid = fc
      .tuple(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 39 }),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 2 ** 31 })), {
          maxLength: 8,
        }),
      )
      .map(([a, b, rest]) => [a, b, ...rest].join("."));
    fc.assert(
      fc.property(oid, (s) => {
        const b = ours((w) => writeOid(w, s));
        expect(toHex(theirs(new asn1js.ObjectIdentifier({ value: s })))).toBe(toHex(b));
        expect(parsed<asn1js.ObjectIdentifier>(b).getValue()).toBe(s);
        expect(readOid(new BerReader(b))).toBe(s);
      }),
      { numRuns: 1000 },
    );
  });

  it("BOOLEAN", () => {
    for (const v of [true, false]) {
      const b = ours((w) => writeBoolean(w, v));
      expect(toHex(theirs(new asn1js.Boolean({ value: v })))).toBe(toHex(b));
      expect(parsed<asn1js.Boolean>(b).getValue()).toBe(v);
      expect(readBoolean(new BerReader(b))).toBe(v);
    }
  });

  it("UTF8String and VisibleString", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (s) => {
        const b = ours((w) => writeUtf8String(w, s));
        expect(toHex(theirs(new asn1js.Utf8String({ value: s })))).toBe(toHex(b));
        expect(parsed<asn1js.Utf8String>(b).getValue()).toBe(s);
        expect(readUtf8String(new BerReader(b))).toBe(s);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
          maxLength: 150,
        }),
        (s) => {
          const b = ours((w) => writeVisibleString(w, s));
          expect(toHex(theirs(new asn1js.VisibleString({ value: s })))).toBe(toHex(b));
          expect(parsed<asn1js.VisibleString>(b).getValue()).toBe(s);
          expect(readVisibleString(new BerReader(b))).toBe(s);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("GeneralizedTime: the same instant in both codecs", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(2200, 0, 1) }), (ms) => {
        const b = ours((w) => writeGeneralizedTime(w, ms));
        expect(parsed<asn1js.GeneralizedTime>(b).toDate().getTime()).toBe(ms);
        expect(readGeneralizedTime(new BerReader(b)).getTime()).toBe(ms);
        // asn1js's own encoding (its fraction style may differ) reads back to the same instant.
        const their = theirs(new asn1js.GeneralizedTime({ valueDate: new Date(ms) }));
        expect(readGeneralizedTime(new BerReader(their)).getTime()).toBe(ms);
      }),
      { numRuns: 500 },
    );
  });
});
