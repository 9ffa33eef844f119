import { BerEncodeError, BerWriter, ctxC, writeInteger } from "@mms/asn1";
import { fromHex, toHex } from "@mms/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { writeConfirmedServiceResponse } from "../src/codec/confirmed";
import { fileReadResponsePduLength, writeFileReadResponsePdu } from "../src/codec/services/file-read-pdu";
import {
  decodeMmsPdu,
  encodeMmsPdu,
  FILE_READ_HEADROOM,
  FILE_READ_TAILROOM,
  fileReadData,
  type MmsPdu,
} from "../src/index";
import { mmsVectors } from "./helpers/mms-of";

/** The generic encoding (begin/end with length patching), the reference for the fast path. */
function generic(invokeId: number, fileData: Uint8Array, moreFollows: boolean): Uint8Array {
  const w = new BerWriter(16);
  const m = w.begin(ctxC(1)); // confirmed-ResponsePDU
  writeInteger(w, invokeId);
  writeConfirmedServiceResponse(w, { service: "fileRead", fileData, moreFollows });
  w.end(m);
  return w.toBytes();
}

function pdu(invokeId: number, fileData: Uint8Array, moreFollows: boolean): MmsPdu {
  return { type: "confirmedResponse", invokeId, response: { service: "fileRead", fileData, moreFollows } };
}

/** Lengths where a definite length changes form (X.690 §8.1.3), around every enclosing element. */
const edges = [0, 1, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129, 240, 250, 255, 256, 257, 65_000];
const sizes = fc.oneof(
  fc.constantFrom(...edges.flatMap((e) => [e, e + 3, Math.max(0, e - 3), 65_535, 65_536, 65_540])),
  fc.integer({ min: 0, max: 70_000 }),
);
const invokeIds = fc.oneof(
  fc.constantFrom(0, 127, 128, 32_767, 32_768, 0x7fffff, 0x800000, 0x7fffffff, 0x80000000, 0xffffffff),
  fc.integer({ min: 0, max: 0xffffffff }),
);

describe("FileRead confirmed-ResponsePDU fast encoder (ISO 9506-2 Annex D.4)", () => {
  it("is octet-identical to the generic encoder for random sizes, invokeIDs and moreFollows", () => {
    fc.assert(
      fc.property(sizes, invokeIds, fc.boolean(), fc.integer({ min: 0, max: 255 }), (n, id, more, fill) => {
        const data = new Uint8Array(n).fill(fill);
        const fast = encodeMmsPdu(pdu(id, data, more));
        expect(toHex(fast)).toBe(toHex(generic(id, data, more)));
        expect(fast.length).toBe(fileReadResponsePduLength(id, n, more));
        // and with a reused (dirty, small) connection writer
        const w = new BerWriter(16);
        w.raw(new Uint8Array(9).fill(0xee));
        expect(toHex(encodeMmsPdu(pdu(id, data, more), w))).toBe(toHex(fast));
      }),
      { numRuns: 200 },
    );
  });

  it("decodes back to the same response", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), invokeIds, fc.boolean(), (data, id, more) => {
        expect(decodeMmsPdu(encodeMmsPdu(pdu(id, data, more)))).toEqual(pdu(id, data, more));
      }),
      { numRuns: 100 },
    );
  });

  it("writes at the writer's position after earlier content", () => {
    const w = new BerWriter(16);
    w.byte(0x55);
    writeFileReadResponsePdu(w, 7, { service: "fileRead", fileData: fromHex("0102"), moreFollows: false });
    expect(toHex(w.view())).toBe("55a10d020107bf490780020102810100");
  });

  it("re-encodes the golden FileRead response octet for octet (V32b: moreFollows FALSE)", () => {
    const v = mmsVectors().find((x) => x.ids.includes("V32b"));
    if (!v) throw new Error("V32b missing");
    const decoded = decodeMmsPdu(v.mms);
    expect(decoded).toMatchObject({
      type: "confirmedResponse",
      response: { service: "fileRead", moreFollows: false },
    });
    expect(toHex(encodeMmsPdu(decoded))).toBe(toHex(v.mms));
  });

  it("refuses an invokeID that is not an Unsigned32", () => {
    for (const id of [-1, 0x1_0000_0000, 1.5]) {
      expect(() => encodeMmsPdu(pdu(id, new Uint8Array(3), true))).toThrow(/invokeID/);
    }
  });
});

describe("FileRead data with room around it: the PDU written in place (no copy)", () => {
  const room = (n: number, extra = 0) => new ArrayBuffer(FILE_READ_HEADROOM + n + FILE_READ_TAILROOM + extra);

  it("is octet-identical to the copying encoder and a view of the data's own buffer", () => {
    fc.assert(
      fc.property(sizes, invokeIds, fc.boolean(), fc.integer({ min: 0, max: 300 }), (n, id, more, extra) => {
        const buffer = room(n, extra);
        const data = fileReadData(buffer, n);
        data.fill(0x3c);
        const out = encodeMmsPdu(pdu(id, data, more));
        expect(toHex(out)).toBe(toHex(generic(id, new Uint8Array(n).fill(0x3c), more)));
        expect(out.buffer).toBe(buffer);
        expect(out.byteOffset + out.length).toBeLessThanOrEqual(buffer.byteLength);
      }),
      { numRuns: 150 },
    );
  });

  it("a short read trimmed with subarray(0, n) is still written in place", () => {
    const buffer = room(1000);
    const data = fileReadData(buffer, 1000);
    data.fill(7);
    const short = data.subarray(0, 200);
    const out = encodeMmsPdu(pdu(300, short, false));
    expect(out.buffer).toBe(buffer);
    expect(toHex(out)).toBe(toHex(generic(300, new Uint8Array(200).fill(7), false)));
  });

  it("any other view is copied: data moved off its place, plain arrays, a caller's writer", () => {
    const buffer = room(100);
    const data = fileReadData(buffer, 100);
    data.fill(9);
    const before = toHex(new Uint8Array(buffer));
    for (const d of [data.subarray(10), new Uint8Array(100).fill(9), new Uint8Array(buffer, 20, 50)]) {
      const out = encodeMmsPdu(pdu(1, d, true));
      expect(out.buffer).not.toBe(buffer);
      expect(toHex(out)).toBe(toHex(generic(1, d, true)));
    }
    const w = new BerWriter(16);
    expect(encodeMmsPdu(pdu(1, data, false), w).buffer).not.toBe(buffer);
    expect(toHex(new Uint8Array(buffer))).toBe(before); // the room was not touched
  });

  it("refuses a buffer without room and a bad length (BerEncodeError)", () => {
    expect(() => fileReadData(new ArrayBuffer(FILE_READ_HEADROOM + 10), 10)).toThrow(BerEncodeError);
    expect(() => fileReadData(room(10), -1)).toThrow(BerEncodeError);
    expect(() => fileReadData(room(10), 1.5)).toThrow(BerEncodeError);
    expect(() => encodeMmsPdu(pdu(-1, fileReadData(room(3), 3), true))).toThrow(BerEncodeError);
  });

  it("needs no more room than the largest header and trailer", () => {
    // invokeID 0xffffffff (5 content octets) and 16 MiB of data (4-octet lengths): the most.
    const n = 0x1000000;
    expect(fileReadResponsePduLength(0xffffffff, n, false)).toBe(FILE_READ_HEADROOM + n + FILE_READ_TAILROOM);
  });
});
