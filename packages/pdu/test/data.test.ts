import { BerDecodeError, BerEncodeError, BerReader, BerWriter } from "@mms/asn1";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  binaryTimeFromDate,
  binaryTimeToDate,
  type Data,
  dataCodec,
  decodeMmsPdu,
  encodeMmsPdu,
  isMmsIdentifier,
  objectNameCodec,
  peekInvokeId,
  peekMmsPduType,
  TimeQuality,
  utcTimeFromDate,
  utcTimeToDate,
} from "../src/index";
import { hex, toHex } from "./helpers/test-utils";

const enc = (d: Data): string => {
  const w = new BerWriter();
  dataCodec.encode(d, w);
  return toHex(w.view());
};
const dec = (bytes: Uint8Array): Data => dataCodec.decode(new BerReader(bytes));

describe("Data encodings (stack.md §6.5 examples)", () => {
  it("floating-point: exponent-width octet then IEEE 754 big-endian", () => {
    expect(enc({ type: "floatingPoint", value: 1.5, width: 32 })).toBe("8705083fc00000");
    expect(enc({ type: "floatingPoint", value: -2.25, width: 32 })).toBe("870508c0100000");
    expect(enc({ type: "floatingPoint", value: 1.5, width: 64 })).toBe("87090b3ff8000000000000");
    expect(dec(hex`87 05 08 7f 80 00 00`)).toEqual({
      type: "floatingPoint",
      value: Number.POSITIVE_INFINITY,
      width: 32,
    });
    expect(dec(hex`87 05 08 00 00 00 01`)).toEqual({ type: "floatingPoint", value: 2 ** -149, width: 32 });
    expect(Number.isNaN((dec(hex`87 05 08 7f c0 00 00`) as { value: number }).value)).toBe(true);
    expect(() => enc({ type: "floatingPoint", value: 0.1, width: 32 })).toThrow(BerEncodeError);
  });
  it("float decoding agrees with DataView for any bit pattern", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (hi, lo) => {
          const b = new Uint8Array(9);
          const dv = new DataView(b.buffer);
          b[0] = 11;
          dv.setUint32(1, hi);
          dv.setUint32(5, lo);
          const d = dec(Uint8Array.of(0x87, 9, ...b)) as { value: number };
          expect(Object.is(d.value, dv.getFloat64(1)) || Number.isNaN(d.value)).toBe(true);
          const s = dec(Uint8Array.of(0x87, 5, 8, ...b.subarray(1, 5))) as { value: number };
          expect(Object.is(s.value, dv.getFloat32(1)) || Number.isNaN(s.value)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
  it("unsigned needs the leading zero; integers beyond 2^53 are bigint", () => {
    expect(enc({ type: "unsigned", value: 1000 })).toBe("860203e8");
    expect(enc({ type: "unsigned", value: 255 })).toBe("860200ff");
    expect(dec(hex`85 08 7f ff ff ff ff ff ff ff`)).toEqual({ type: "integer", value: 2n ** 63n - 1n });
    expect(dec(hex`86 09 00 ff ff ff ff ff ff ff ff`)).toEqual({ type: "unsigned", value: 2n ** 64n - 1n });
    expect(dec(hex`85 07 1f ff ff ff ff ff ff`)).toEqual({ type: "integer", value: 2 ** 53 - 1 });
    expect(() => enc({ type: "unsigned", value: -1 })).toThrow(BerEncodeError);
  });
  it("utc-time with quality, and the Date helpers", () => {
    const t = utcTimeFromDate(new Date("2024-01-01T00:00:00.500Z"), TimeQuality.leapSecondsKnown);
    expect(enc({ type: "utcTime", value: t })).toBe("910865920080800000" + "80");
    expect(utcTimeToDate(t).toISOString()).toBe("2024-01-01T00:00:00.500Z");
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 * 1000 - 1 }), (ms) => {
        expect(utcTimeToDate(utcTimeFromDate(ms)).getTime()).toBe(ms);
      }),
    );
  });
  it("binary-time (TimeOfDay) 6 and 4 octets, and the Date helpers", () => {
    expect(dec(hex`8c 06 03 8c 7c 4e 3d 35`)).toEqual({
      type: "binaryTime",
      value: { msSinceMidnight: 59538510, days: 15669 },
    });
    expect(dec(hex`8c 04 00 00 00 01`)).toEqual({
      type: "binaryTime",
      value: { msSinceMidnight: 1, days: undefined },
    });
    expect(binaryTimeToDate({ msSinceMidnight: 59538510, days: 15669 }).toISOString()).toBe(
      "2026-11-25T16:32:18.510Z",
    );
    const now = Date.UTC(2026, 10, 25, 16, 32, 18, 510);
    expect(binaryTimeFromDate(now)).toEqual({ msSinceMidnight: 59538510, days: 15669 });
  });
  it("other alternatives: octet-string, visible-string, generalized-time, bcd, booleanArray, objId, mMSString", () => {
    expect(enc({ type: "visibleString", value: "ACME" })).toBe("8a0441434d45");
    expect(enc({ type: "visibleString", value: "" })).toBe("8a00");
    expect(enc({ type: "octetString", value: Uint8Array.of(1, 2) })).toBe("89020102");
    expect(enc({ type: "bcd", value: 42 })).toBe("8d012a");
    expect(enc({ type: "objectId", value: "1.0.9506.2.3" })).toBe("8f0528ca220203");
    expect(enc({ type: "mmsString", value: "é" })).toBe("9002c3a9");
    expect(enc({ type: "generalizedTime", value: new Date("2026-11-25T16:31:12Z") })).toBe(
      toHex(Uint8Array.of(0x8b, 19, ...new TextEncoder().encode("20261125163112.000Z"))),
    );
    expect(dec(hex`8e 02 05 a0`)).toEqual({
      type: "booleanArray",
      value: { bytes: Uint8Array.of(0xa0), bitLength: 3 },
    });
    expect(dec(hex`83 01 01`)).toEqual({ type: "boolean", value: true });
    expect(enc({ type: "boolean", value: true })).toBe("8301ff");
    expect(() => dec(hex`88 01 00`)).toThrow(BerDecodeError); // real [8]: not supported
  });
});

describe("identifiers, object names, PDU peeking", () => {
  it("isMmsIdentifier follows ISO 9506-2 §7.5.2", () => {
    expect(isMmsIdentifier("GGIO1$MX$AnIn1")).toBe(true);
    expect(isMmsIdentifier("_x")).toBe(true);
    expect(isMmsIdentifier("")).toBe(false);
    expect(isMmsIdentifier("1abc")).toBe(false);
    expect(isMmsIdentifier("@AADS")).toBe(false);
    expect(isMmsIdentifier("a".repeat(32))).toBe(true);
    expect(isMmsIdentifier("a".repeat(33))).toBe(false);
  });
  it("objectNameCodec: the three scopes; empty identifiers cannot be encoded", () => {
    const w = new BerWriter();
    objectNameCodec.encode({ scope: "vmd", itemId: "RPT" }, w);
    objectNameCodec.encode({ scope: "domain", domainId: "LD", itemId: "X" }, w);
    objectNameCodec.encode({ scope: "aa", itemId: "@A" }, w);
    expect(toHex(w.view())).toBe("8003525054a1071a024c441a01588202" + "4041");
    const r = new BerReader(w.toBytes());
    expect(objectNameCodec.decode(r)).toEqual({ scope: "vmd", itemId: "RPT" });
    expect(() => objectNameCodec.encode({ scope: "vmd", itemId: "" }, new BerWriter())).toThrow(
      BerEncodeError,
    );
  });
  it("peekMmsPduType and peekInvokeId never throw", () => {
    expect(peekMmsPduType(hex`a0 03 02 01 05`)).toBe("confirmedRequest");
    expect(peekMmsPduType(hex`8b 00`)).toBe("concludeRequest");
    expect(peekMmsPduType(hex`ab 00`)).toBeUndefined(); // conclude-Request is primitive
    expect(peekMmsPduType(hex`ae 00`)).toBeUndefined();
    expect(peekMmsPduType(new Uint8Array(0))).toBeUndefined();
    expect(peekInvokeId(hex`a0 06 02 01 07 bf 3f 00`)).toBe(7);
    expect(peekInvokeId(hex`a0 06 02 01`)).toBeUndefined();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        peekMmsPduType(b);
        peekInvokeId(b);
      }),
    );
  });
  it("encodeMmsPdu with a writer returns a view of it; decodeMmsPdu views the input", () => {
    const w = new BerWriter(8);
    const a = encodeMmsPdu({ type: "concludeRequest" }, w);
    expect(a.buffer).toBe(w.buf.buffer);
    const input = hex`a1 0c 02 01 01 bf 49 06 80 01 41 81 01 00`;
    const p = decodeMmsPdu(input);
    if (p.type !== "confirmedResponse" || p.response.service !== "fileRead") throw new Error();
    expect(p.response.fileData.buffer).toBe(input.buffer);
  });
});
