import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CotpError, encodeData, TpktFramer } from "../src/index";
import { fromHex, loadVectors, toHex } from "./support";

/** A stream of TPKTs: every shared vector followed by DTs of random sizes. */
const tpktArb = fc.oneof(
  fc.constantFrom(...loadVectors().map((v) => fromHex(v.hex))),
  fc.uint8Array({ minLength: 0, maxLength: 300 }).map((d) => encodeData(d, d.length % 2 === 0)),
);

function split(stream: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(stream.subarray(prev, p));
    prev = p;
  }
  out.push(stream.subarray(prev));
  return out;
}

function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe("TpktFramer", () => {
  it("split-feed invariance: any partition of a stream yields the same TPDUs", () => {
    fc.assert(
      fc.property(
        fc.array(tpktArb, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (tpkts, cuts) => {
          const stream = join(tpkts);
          const expected = tpkts.map((t) => toHex(t.subarray(4)));
          const framer = new TpktFramer();
          const got: string[] = [];
          for (const chunk of split(stream, cuts)) for (const f of framer.push(chunk)) got.push(toHex(f));
          expect(got).toEqual(expected);
          expect(framer.buffered).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("byte-at-a-time feeding yields the same TPDUs", () => {
    const stream = join(loadVectors().map((v) => fromHex(v.hex)));
    const framer = new TpktFramer();
    const got: Uint8Array[] = [];
    for (let i = 0; i < stream.length; i++) got.push(...framer.push(stream.subarray(i, i + 1)));
    expect(got.length).toBe(loadVectors().length);
  });

  it("zero copy: a TPKT inside one chunk comes back as a view of that chunk", () => {
    const a = encodeData(new Uint8Array([1, 2, 3]));
    const b = encodeData(new Uint8Array(100));
    const chunk = join([a, b]);
    const frames = new TpktFramer().push(chunk);
    expect(frames).toHaveLength(2);
    expect(frames[0]!.buffer).toBe(chunk.buffer);
    expect(frames[0]!.byteOffset).toBe(4);
    expect(frames[1]!.buffer).toBe(chunk.buffer);
    expect(frames[1]!.byteOffset).toBe(a.length + 4);
  });

  it("a TPKT spanning chunks is assembled once into its own buffer", () => {
    const t = encodeData(new Uint8Array(50).fill(9));
    const framer = new TpktFramer();
    expect(framer.push(t.subarray(0, 2))).toEqual([]);
    expect(framer.push(t.subarray(2, 30))).toEqual([]);
    expect(framer.buffered).toBe(30);
    const [f] = framer.push(t.subarray(30));
    expect(toHex(f!)).toBe(toHex(t.subarray(4)));
    expect(f!.buffer.byteLength).toBe(t.length);
  });

  it("returned views are never overwritten by later input", () => {
    const framer = new TpktFramer();
    const first = framer.push(
      join([encodeData(new Uint8Array([1])), encodeData(new Uint8Array([2])).subarray(0, 5)]),
    );
    const firstHex = toHex(first[0]!);
    const rest = framer.push(encodeData(new Uint8Array([2])).subarray(5));
    framer.push(encodeData(new Uint8Array([3, 3, 3])));
    expect(toHex(first[0]!)).toBe(firstHex);
    expect(rest).toHaveLength(1);
  });

  // peers.md §5 class 1 (trusting length fields), CVE-2020-15158: TPKT length < 4 underflow.
  for (const [name, hex, code] of [
    ["length 0 (CVE-2020-15158 class)", "03000000", "tpkt-length"],
    ["length 3 (below the header)", "03000003", "tpkt-length"],
    ["length 4 (empty TPKT, libiec61850 #250 class)", "03000004", "tpkt-length"],
    ["length 6 (TPDU shorter than 3 octets)", "03000006", "tpkt-length"],
    ["version 2", "02000016", "tpkt-version"],
    ["reserved octet set", "03010016", "tpkt-version"],
    ["HTTP request", "47455420", "tpkt-version"],
    ["TLS ClientHello on the plain port", "16030100", "tpkt-version"],
  ] as const) {
    it(`refuses a TPKT with ${name}`, () => {
      const framer = new TpktFramer();
      const err = (() => {
        try {
          framer.push(fromHex(hex));
          return undefined;
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(CotpError);
      expect((err as CotpError).code).toBe(code);
      // The framer stays failed.
      expect(() => framer.push(encodeData(new Uint8Array(1)))).toThrow(CotpError);
    });
  }

  it("refuses a TPKT longer than its configured maximum", () => {
    const framer = new TpktFramer(8196);
    expect(() => framer.push(fromHex("03002005"))).toThrow(expect.objectContaining({ code: "tpkt-length" }));
  });

  it("accepts the extreme lengths 7 and 65 535", () => {
    const min = encodeData(new Uint8Array(0));
    expect(min.length).toBe(7);
    expect(new TpktFramer().push(min)).toHaveLength(1);
    const max = encodeData(new Uint8Array(65_535 - 7));
    expect(max.length).toBe(65_535);
    expect(new TpktFramer().push(max)).toHaveLength(1);
  });

  it("totality: arbitrary bytes either frame or throw CotpError", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        const framer = new TpktFramer();
        try {
          for (const c of chunks) framer.push(c);
        } catch (e) {
          expect(e).toBeInstanceOf(CotpError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
