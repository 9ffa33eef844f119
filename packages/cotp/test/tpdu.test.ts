import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CotpError,
  decodeTpdu,
  encodeConnect,
  encodeDisconnect,
  encodeError,
  TpktFramer,
} from "../src/index";
import { fromHex, loadVectors, toHex } from "./support";

const tpduOf = (tpkt: Uint8Array): Uint8Array => tpkt.subarray(4);

function decodeError(hex: string): CotpError {
  try {
    decodeTpdu(fromHex(hex));
  } catch (e) {
    if (e instanceof CotpError) return e;
    throw e;
  }
  throw new Error(`decoded: ${hex}`);
}

describe("decodeTpdu", () => {
  it("round-trips CR/CC with every TPDU size 128..8192 and TSAPs of any length", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("CR" as const, "CC" as const),
        fc.integer({ min: 7, max: 13 }),
        fc.uint8Array({ maxLength: 16 }),
        fc.uint8Array({ maxLength: 16 }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffff }),
        (type, code, calling, called, dstRef, srcRef) => {
          const t = decodeTpdu(
            tpduOf(
              encodeConnect(type, {
                dstRef,
                srcRef,
                tpduSize: 1 << code,
                callingTsap: calling,
                calledTsap: called,
              }),
            ),
          );
          expect(t).toMatchObject({ type, dstRef, srcRef, classOption: 0, tpduSize: 1 << code });
          if (t.type !== "CR" && t.type !== "CC") throw new Error();
          expect(toHex(t.callingTsap!)).toBe(toHex(calling));
          expect(toHex(t.calledTsap!)).toBe(toHex(called));
        },
      ),
    );
  });

  it("a CR without TPDU size parameter leaves it undefined (128 by default)", () => {
    expect(decodeTpdu(fromHex("06e00000000100"))).toMatchObject({ type: "CR", tpduSize: undefined });
  });

  it("skips unknown and class 1-4 parameters (C6, C4, C3, 99) and reads F0", () => {
    const t = decodeTpdu(
      fromHex("16e000000001" + "00" + "c60101" + "c40101" + "990200ff" + "f00140" + "c0010a"),
    );
    expect(t).toMatchObject({ type: "CR", tpduSize: 1024, preferredMaxTpduSize: 64 * 128 });
  });

  it("round-trips DR and ER", () => {
    expect(decodeTpdu(tpduOf(encodeDisconnect({ dstRef: 1, srcRef: 2, reason: 128 })))).toEqual({
      type: "DR",
      dstRef: 1,
      srcRef: 2,
      reason: 128,
      additionalInfo: undefined,
    });
    const dr = decodeTpdu(
      tpduOf(encodeDisconnect({ dstRef: 1, srcRef: 2, reason: 3, additionalInfo: fromHex("aabb") })),
    );
    if (dr.type !== "DR") throw new Error();
    expect(toHex(dr.additionalInfo!)).toBe("aabb");
    const er = decodeTpdu(tpduOf(encodeError({ dstRef: 5, cause: 2, invalidTpdu: fromHex("02f080") })));
    if (er.type !== "ER") throw new Error();
    expect(er).toMatchObject({ dstRef: 5, cause: 2 });
    expect(toHex(er.invalidTpdu!)).toBe("02f080");
  });

  it("an ER echo is cut to keep LI within 254", () => {
    const er = encodeError({ dstRef: 0, cause: 0, invalidTpdu: new Uint8Array(400) });
    expect(er[4]).toBeLessThanOrEqual(254);
    expect(decodeTpdu(tpduOf(er)).type).toBe("ER");
  });

  // Named tests for peers.md §5 COTP bug classes.
  describe("peers.md §5 class 1: trusting length fields", () => {
    it("COTP LI 0 is refused (LI < minimum)", () => expect(decodeError("00f080").code).toBe("invalid-li"));
    it("COTP LI 255 (reserved) is refused", () => expect(decodeError("fff080").code).toBe("invalid-li"));
    it("LI pointing past the TPDU is refused", () =>
      expect(decodeError("11e00000000100c001").code).toBe("invalid-li"));
    it("CR with LI < 6 (fixed part cut short) is refused", () =>
      expect(decodeError("04e0000000").code).toBe("invalid-li"));
    it("DT with LI other than 2 is refused", () => expect(decodeError("03f08000").code).toBe("invalid-li"));
    it("DR with LI < 6 is refused", () => expect(decodeError("0380000000").code).toBe("invalid-li"));
    it("ER with LI < 4 is refused", () => expect(decodeError("02700000").code).toBe("invalid-li"));
    it("a parameter longer than the header is refused", () =>
      expect(decodeError("0ae00000000100c205aabb").code).toBe("invalid-parameter"));
    it("a parameter code with no length octet is refused", () =>
      expect(decodeError("07e00000000100c2").code).toBe("invalid-parameter"));
  });

  describe("peers.md §5 class 2: fixed-width fields", () => {
    it("TPDU size parameter of length 0 is refused", () =>
      expect(decodeError("08e00000000100c000").code).toBe("invalid-parameter"));
    it("TPDU size parameter of length 2 is refused", () =>
      expect(decodeError("0ae00000000100c0020a0a").code).toBe("invalid-parameter"));
    it("TPDU size code 6 (64 octets) is refused", () =>
      expect(decodeError("09e00000000100c00106").code).toBe("invalid-parameter"));
    it("TPDU size code 14 (16384 octets) is refused", () =>
      expect(decodeError("09e00000000100c0010e").code).toBe("invalid-parameter"));
  });

  describe("peers.md §5 class 3/5: unknown codes, empties, duplicates", () => {
    it("TPDU types of classes 1-4 (DC, ED, AK, EA, RJ) are invalid in class 0", () => {
      for (const code of ["c0", "10", "60", "20", "50", "00", "30", "40", "90", "a0", "b0"])
        expect(decodeError(`06${code}0000000100`).code).toBe("invalid-tpdu-type");
    });
    it("an unknown parameter of length 0 is skipped (the walk still advances)", () =>
      expect(decodeTpdu(fromHex("08e000000001009900"))).toMatchObject({ type: "CR" }));
    it("a zero-length TSAP-ID is accepted as empty", () => {
      const t = decodeTpdu(fromHex("08e00000000100c100"));
      if (t.type !== "CR") throw new Error();
      expect(t.callingTsap?.length).toBe(0);
    });
    it("a DT with no user data is accepted", () =>
      expect(decodeTpdu(fromHex("02f080"))).toMatchObject({ eot: true }));
    it("duplicate TPDU size parameters are refused", () =>
      expect(decodeError("0ce00000000100c0010dc0010a").code).toBe("duplicate-parameter"));
    it("duplicate TSAP parameters are refused", () =>
      expect(decodeError("0ee00000000100c1020001c1020001").code).toBe("duplicate-parameter"));
    it("user data in a class 0 CR is refused", () =>
      expect(decodeError("06e00000000100ff").code).toBe("unexpected-user-data"));
  });

  it("decodes every vector's TPDU, and the decoder output for DT is a view", () => {
    for (const v of loadVectors()) {
      const tpdu = new TpktFramer().push(fromHex(v.hex))[0]!;
      const t = decodeTpdu(tpdu);
      if (t.type === "DT") expect(t.data.buffer).toBe(tpdu.buffer);
    }
  });

  it("totality: arbitrary bytes decode or throw CotpError, never anything else", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 80 }), (bytes) => {
        try {
          decodeTpdu(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(CotpError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("totality: mutated vector TPDUs and CR/CC headers decode or throw CotpError", () => {
    const seeds = [
      ...loadVectors()
        .slice(0, 6)
        .map((v) => fromHex(v.hex).subarray(4)),
      fromHex("16e000000001" + "00" + "c60101" + "c40101" + "990200ff" + "f00140" + "c0010a"),
      fromHex("0680000100018000"),
      fromHex("0770000000c10102f080"),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        (seed, edits, cut) => {
          const b = seed.slice(0, Math.max(0, seed.length - (cut % 4)));
          for (const [at, v] of edits) if (b.length) b[at % b.length] = v;
          try {
            decodeTpdu(b);
          } catch (e) {
            expect(e).toBeInstanceOf(CotpError);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
