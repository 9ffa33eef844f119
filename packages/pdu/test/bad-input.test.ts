import { BerDecodeError, bitStringEquals } from "@mms/asn1";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeMmsPdu,
  defaultPduLimits,
  encodeMmsPdu,
  type MmsPdu,
  type PduLimits,
  pduLimits,
} from "../src/index";
import { mmsVectors } from "./helpers/mms-of";
import { fromHex, hex } from "./helpers/test-utils";

/** Decodes and returns the error code, failing the test on success or on any other error type. */
function codeOf(bytes: Uint8Array, limits?: PduLimits): string {
  try {
    decodeMmsPdu(bytes, limits);
  } catch (e) {
    if (!(e instanceof BerDecodeError)) throw e;
    return e.code;
  }
  throw new Error("decoded without error");
}

/** Only BerDecodeError may escape the decoder. */
function total(bytes: Uint8Array, limits?: PduLimits): void {
  try {
    decodeMmsPdu(bytes, limits);
  } catch (e) {
    if (!(e instanceof BerDecodeError)) throw e;
  }
}

/** A confirmed-RequestPDU (invokeID 1) around a service element. */
function req(service: Uint8Array): Uint8Array {
  return wrap(0xa0, Uint8Array.of(0x02, 0x01, 0x01, ...service));
}
/** A confirmed-ResponsePDU (invokeID 1) around a service element. */
function resp(service: Uint8Array): Uint8Array {
  return wrap(0xa1, Uint8Array.of(0x02, 0x01, 0x01, ...service));
}
function wrap(tag: number | number[], content: Uint8Array): Uint8Array {
  const t = Array.isArray(tag) ? tag : [tag];
  const n = content.length;
  const len =
    n < 0x80
      ? [n]
      : n < 0x100
        ? [0x81, n]
        : n < 0x10000
          ? [0x82, n >> 8, n & 0xff]
          : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Uint8Array.of(...t, ...len, ...content);
}
const cat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));
const vis = (s: string): Uint8Array => wrap(0x1a, new TextEncoder().encode(s));
/** Read response (invokeID 1) carrying one AccessResult. */
const readResp = (result: Uint8Array): Uint8Array => resp(wrap(0xa4, wrap(0xa1, result)));
/** Read request of domain/item. */
const readOf = (dom: Uint8Array, item: Uint8Array): Uint8Array =>
  req(wrap(0xa4, wrap(0xa1, wrap(0xa0, wrap(0x30, wrap(0xa0, wrap(0xa1, cat(dom, item))))))));

describe("totality: only BerDecodeError, whatever the input", () => {
  it("arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => total(b)),
      { numRuns: 3000 },
    );
  });
  it("arbitrary bytes behind every MMSpdu tag", () => {
    const tags = [0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0x85, 0x86, 0xa7, 0xa8, 0xa9, 0xaa, 0x8b, 0x8c, 0xad];
    fc.assert(
      fc.property(fc.constantFrom(...tags), fc.uint8Array({ maxLength: 120 }), (t, b) => total(wrap(t, b))),
      { numRuns: 3000 },
    );
  });
  const vectors = mmsVectors();
  it(`mutated vectors (${vectors.length} MMS PDUs: flips, insertions, deletions, truncations)`, () => {
    const mutation = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom("flip", "set", "insert", "delete", "cut"),
      value: fc.integer({ min: 0, max: 255 }),
    });
    for (const v of vectors) {
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (muts) => {
          const b = [...v.mms];
          for (const m of muts) {
            const i = m.at % (b.length + 1);
            if (m.kind === "flip" && i < b.length) b[i] = b[i]! ^ (1 << (m.value & 7));
            else if (m.kind === "set" && i < b.length) b[i] = m.value;
            else if (m.kind === "insert") b.splice(i, 0, m.value);
            else if (m.kind === "delete") b.splice(i, 1);
            else if (m.kind === "cut") b.length = i;
          }
          total(Uint8Array.from(b));
          total(Uint8Array.from(b), pduLimits(1, { strictIdentifiers: true, maxListItems: 3 }));
        }),
        { numRuns: 60 },
      );
    }
  });
});

describe("peers.md §5 bug classes, one named test each", () => {
  it("CVE-2026-50032 class: Write to a named variable list with an empty listOfData decodes to []", () => {
    const pdu = decodeMmsPdu(
      req(wrap(0xa5, cat(wrap(0xa1, cat(wrap(0x80, new TextEncoder().encode("DS")))), hex`a0 00`))),
    );
    expect(pdu).toMatchObject({ type: "confirmedRequest", request: { service: "write", listOfData: [] } });
  });
  it("empty listOfAccessResult and empty name lists decode to []", () => {
    expect(decodeMmsPdu(resp(hex`a4 02 a1 00`))).toMatchObject({ response: { results: [] } });
    expect(decodeMmsPdu(resp(hex`a1 02 a0 00`))).toMatchObject({
      response: { identifiers: [], moreFollows: true },
    });
  });
  it("zero-length identifiers are refused (ObjectName, domainId, continueAfter, name list)", () => {
    expect(codeOf(readOf(vis(""), vis("x")))).toBe("invalid-string");
    expect(codeOf(readOf(vis("d"), vis("")))).toBe("invalid-string");
    expect(codeOf(req(hex`a6 04 a0 02 80 00`))).toBe("invalid-string");
    expect(codeOf(req(hex`a1 0b a0 03 80 01 09 a1 02 80 00 82 00`))).toBe("invalid-string");
    expect(codeOf(resp(hex`a1 04 a0 02 1a 00`))).toBe("invalid-string");
  });
  it("BIT STRING padding: more than 7 unused bits, or unused bits without content octets, are refused", () => {
    expect(codeOf(readResp(hex`84 02 08 00`))).toBe("invalid-encoding");
    expect(codeOf(readResp(hex`84 01 03`))).toBe("invalid-encoding");
    expect(codeOf(readResp(hex`84 00`))).toBe("invalid-encoding");
    // Padding bits carry no meaning: 13-bit values equal by bits whatever the padding.
    const a = decodeMmsPdu(readResp(hex`84 03 03 ab cf`));
    const b = decodeMmsPdu(readResp(hex`84 03 03 ab c8`));
    const bits = (p: MmsPdu) =>
      p.type === "confirmedResponse" && p.response.service === "read" && p.response.results[0]?.success
        ? p.response.results[0].data
        : undefined;
    const x = bits(a);
    const y = bits(b);
    if (x?.type !== "bitString" || y?.type !== "bitString") throw new Error();
    expect(bitStringEquals(x.value, y.value)).toBe(true);
    // …and our encoder zeroes them (X.690 §11.2.1).
    expect([...encodeMmsPdu(a)].slice(-3)).toEqual([0x03, 0xab, 0xc8]);
  });
  it("UtcTime of a length other than 8 is refused", () => {
    for (const n of [0, 4, 7, 9, 16])
      expect(codeOf(readResp(wrap(0x91, new Uint8Array(n))))).toBe("invalid-encoding");
    expect(codeOf(readResp(hex`8c 05 00 00 00 00 00`))).toBe("invalid-encoding"); // TimeOfDay 4 or 6 only
  });
  it("floating-point: the exponent width must be 8 (5 octets) or 11 (9 octets)", () => {
    expect(codeOf(readResp(hex`87 05 0b 3f c0 00 00`))).toBe("invalid-encoding");
    expect(codeOf(readResp(hex`87 09 08 3f f8 00 00 00 00 00 00`))).toBe("invalid-encoding");
    expect(codeOf(readResp(hex`87 04 08 3f c0 00`))).toBe("invalid-encoding");
    expect(codeOf(readResp(hex`87 00`))).toBe("invalid-encoding");
    expect(codeOf(readResp(hex`87 01 08`))).toBe("invalid-encoding");
    expect(decodeMmsPdu(readResp(hex`87 09 0b 3f f8 00 00 00 00 00 00`))).toMatchObject({
      response: { results: [{ data: { type: "floatingPoint", value: 1.5, width: 64 } }] },
    });
  });
  it("fixed-width primitives: BOOLEAN of 0 or 2 octets, INTEGER of 0 octets, invokeID above 2^32-1", () => {
    expect(codeOf(readResp(hex`83 00`))).toBe("invalid-encoding");
    expect(codeOf(readResp(hex`83 02 00 01`))).toBe("invalid-encoding");
    expect(codeOf(readResp(hex`85 00`))).toBe("invalid-encoding");
    expect(codeOf(hex`a0 09 02 05 01 00 00 00 00 82 00`)).toBe("integer-overflow");
    expect(codeOf(hex`85 05 01 00 00 00 00`)).toBe("integer-overflow"); // cancel originalInvokeID
    expect(codeOf(readResp(hex`86 01 ff`))).toBe("invalid-value"); // negative unsigned
  });
  it("huge counts: lists above maxListItems, lengths beyond the input, counts that are only numbers", () => {
    const names = cat(...Array.from({ length: 50 }, (_, i) => vis(`n${i}`)));
    const pdu = resp(wrap(0xa1, wrap(0xa0, names)));
    expect(decodeMmsPdu(pdu)).toMatchObject({ response: { service: "getNameList" } });
    expect(codeOf(pdu, pduLimits(10, { maxListItems: 49 }))).toBe("too-many-elements");
    expect(codeOf(hex`a1 84 7f ff ff ff 02 01 01`)).toMatch(/length-overflow|truncated/);
    expect(codeOf(resp(hex`a4 06 a1 84 10 00 00 00`))).toMatch(/length-overflow|truncated/);
    // numberOfElements 2^32-1 in a TypeSpecification allocates nothing.
    const arrayOf = (n: Uint8Array) =>
      resp(
        wrap(0xa6, cat(hex`80 01 00`, wrap(0xa2, wrap(0xa1, cat(wrap(0x81, n), wrap(0xa2, hex`83 00`)))))),
      );
    const gvaa = decodeMmsPdu(arrayOf(hex`00 ff ff ff ff`));
    expect(gvaa).toMatchObject({
      response: { typeSpecification: { type: "array", numberOfElements: 0xffffffff } },
    });
    expect(codeOf(arrayOf(hex`01 00 00 00 00`))).toBe("integer-overflow");
  });
  it("nesting is bounded by the negotiated dataStructureNestingLevel (Data, TypeSpecification, AlternateAccess)", () => {
    const nested = (levels: number): Uint8Array => {
      let d = hex`83 01 00`;
      for (let i = 0; i < levels; i++) d = wrap(0xa2, d);
      return d;
    };
    expect(() => decodeMmsPdu(readResp(nested(10)), pduLimits(10))).not.toThrow();
    expect(codeOf(readResp(nested(11)), pduLimits(10))).toBe("depth-exceeded");
    expect(codeOf(readResp(nested(200)))).toBe("depth-exceeded");
    const tspec = (levels: number): Uint8Array => {
      let t = hex`83 00`;
      for (let i = 0; i < levels; i++) t = wrap(0xa1, cat(hex`81 01 02`, wrap(0xa2, t)));
      return resp(wrap(0xa6, cat(hex`80 01 00`, wrap(0xa2, t))));
    };
    expect(() => decodeMmsPdu(tspec(4), pduLimits(4))).not.toThrow();
    expect(codeOf(tspec(5), pduLimits(4))).toBe("depth-exceeded");
    const aa = (levels: number): Uint8Array => {
      let a = hex`84 00`; // allElements
      for (let i = 0; i < levels; i++) a = wrap(0xa0, cat(hex`83 00`, wrap(0x30, a)));
      const item = wrap(0x30, cat(wrap(0xa0, wrap(0x80, new TextEncoder().encode("X"))), wrap(0xa5, a)));
      return req(wrap(0xa4, wrap(0xa1, wrap(0xa0, item))));
    };
    expect(() => decodeMmsPdu(aa(2), pduLimits(3))).not.toThrow();
    expect(codeOf(aa(3), pduLimits(3))).toBe("depth-exceeded");
  });
  it("extended tags (≥ 31): file and journal services decode; malformed high-tag forms are refused", () => {
    expect(decodeMmsPdu(req(hex`9f 49 01 00`))).toMatchObject({
      request: { service: "fileRead", frsmId: 0 },
    });
    expect(codeOf(req(hex`9f`))).toMatch(/truncated|length-overflow/);
    expect(codeOf(req(hex`9f 80 49 01 00`))).toBe("invalid-tag"); // leading 0x80 (X.690 §8.1.2.4.2 c)
    expect(codeOf(req(hex`9f ff ff ff 7f 00`))).toBe("tag-overflow");
  });
  it("unknown services of length 0 still advance (kept whole, for a reject)", () => {
    const p = decodeMmsPdu(req(hex`bf 3f 00`));
    expect(p).toMatchObject({ type: "confirmedRequest", invokeId: 1, request: { service: "unknown" } });
    if (p.type !== "confirmedRequest" || p.request.service !== "unknown") throw new Error();
    expect([...p.request.raw]).toEqual([0xbf, 0x3f, 0x00]);
    expect(codeOf(req(hex`bf 3f 00 bf 3f 00`))).toBe("trailing-data");
  });
  it("trailing elements inside constructed values are refused", () => {
    expect(codeOf(readOf(cat(vis("d"), vis("i")), vis("x")))).toBe("trailing-data");
    expect(codeOf(resp(hex`a4 07 a1 03 83 01 00 80 00`))).toBe("trailing-data");
  });
  it("MMS names are values, never object keys: __proto__ and constructor round-trip harmlessly", () => {
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      const p = decodeMmsPdu(readOf(vis("LD"), vis(name)));
      expect(p).toMatchObject({
        request: { variableAccessSpecification: { list: [{ variable: { name: { itemId: name } } }] } },
      });
      expect(encodeMmsPdu(p)).toEqual(readOf(vis("LD"), vis(name)));
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it("identifier length is capped (maxIdentifierLength) and the ISO syntax is enforced on request", () => {
    const long = "A".repeat(130);
    expect(codeOf(readOf(vis("LD"), vis(long)))).toBe("invalid-string");
    expect(() => decodeMmsPdu(readOf(vis("LD"), vis("A".repeat(64))))).not.toThrow();
    const strict = pduLimits(10, { strictIdentifiers: true });
    expect(codeOf(readOf(vis("LD"), vis("A".repeat(33))), strict)).toBe("invalid-string");
    expect(codeOf(readOf(vis("LD"), vis("@AADS")), strict)).toBe("invalid-string");
    expect(codeOf(readOf(vis("LD"), vis("1abc")), strict)).toBe("invalid-string");
    expect(() => decodeMmsPdu(readOf(vis("LD"), vis("GGIO1$MX")), strict)).not.toThrow();
    expect(codeOf(readOf(vis("LD"), wrap(0x1a, hex`41 0a 42`)))).toBe("invalid-string"); // control octet
  });
  it("client-side trust (CVE-2024-45970/-45971 class): long Identify strings and big file directories stay bounded", () => {
    const big = new Uint8Array(20_000).fill(0x41);
    const ident = resp(wrap(0xa2, cat(wrap(0x80, big), wrap(0x81, hex`41`), wrap(0x82, hex`31`))));
    const r = decodeMmsPdu(ident);
    expect(r).toMatchObject({ response: { service: "identify", modelName: "A", revision: "1" } });
    const entry = hex`30 0b a0 03 19 01 61 a1 04 80 02 00 ff`;
    const dir = (n: number) =>
      resp(wrap([0xbf, 0x4d], wrap(0xa0, wrap(0x30, cat(...Array.from({ length: n }, () => entry))))));
    expect(decodeMmsPdu(dir(100))).toMatchObject({ response: { service: "fileDirectory" } });
    expect(codeOf(dir(100), pduLimits(10, { maxListItems: 99 }))).toBe("too-many-elements");
  });
  it("indefinite lengths are accepted on receive and never sent", () => {
    const definite = readOf(vis("LD"), vis("X"));
    const indefinite = req(
      hex`a4 80 a1 80 a0 80 30 80 a0 80 a1 80 1a 02 4c 44 1a 01 58 00 00 00 00 00 00 00 00 00 00 00 00`,
    );
    const p = decodeMmsPdu(indefinite);
    expect(encodeMmsPdu(p)).toEqual(definite);
  });
  it("unknown reject reasons, error classes and PDU types are refused", () => {
    expect(codeOf(hex`a4 03 8c 01 00`)).toBe("unexpected-tag");
    expect(codeOf(hex`a4 03 80 01 00`)).toBe("truncated");
    expect(codeOf(hex`a2 08 80 01 01 a2 03 a0 01 8d`)).toMatch(/unexpected-tag|truncated|length-overflow/);
    expect(codeOf(hex`a2 09 80 01 01 a2 04 a0 02 8d 00`)).toBe("unexpected-tag");
    expect(codeOf(hex`ae 00`)).toBe("unexpected-tag");
    expect(codeOf(hex`8b 01 00`)).toBe("invalid-encoding"); // conclude NULL with content
    expect(codeOf(new Uint8Array(0))).toBe("truncated");
  });
  it("the default limits are safe before negotiation", () => {
    expect(defaultPduLimits.maxNestingLevel).toBeGreaterThanOrEqual(10);
    expect(pduLimits(5).maxNestingLevel).toBe(5);
    expect(pduLimits(1000).maxNestingLevel).toBe(100);
    expect(pduLimits(-3).maxNestingLevel).toBe(0);
    expect(codeOf(readResp(hex`a2 03 83 01 00`), pduLimits(0))).toBe("depth-exceeded");
  });
  it("fromHex helper sanity (vectors stay intact)", () => {
    expect(fromHex("a0 00".replace(" ", ""))).toEqual(hex`a0 00`);
  });
});
