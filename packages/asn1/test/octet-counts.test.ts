import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BerWriter, integerOctets, lengthOctets, writeInteger } from "../src/index";

describe("octet counts used to compute lengths up front", () => {
  it("lengthOctets is the size writeLength writes", () => {
    const edges = [0, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0xffffff, 0x1000000, 0xffffffff];
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...edges), fc.nat({ max: 0xffffffff })), (len) => {
        const w = new BerWriter(16);
        w.writeLength(len);
        expect(lengthOctets(len)).toBe(w.pos);
      }),
      { numRuns: 2000 },
    );
  });

  it("integerOctets is the content size writeInteger writes, for every safe integer", () => {
    const edges = [0, 127, 128, -128, -129, 32767, 32768, -32768, -32769, 0x7fffffff, 0x80000000, 0xffffffff];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(...edges, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
          fc.integer(),
          fc.maxSafeInteger(),
        ),
        (v) => {
          const w = new BerWriter(16);
          writeInteger(w, v);
          // 02 L content: the length octet is short form for these sizes.
          expect(integerOctets(v)).toBe(w.buf[1]);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
