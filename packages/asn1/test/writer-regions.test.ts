import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BerWriter, UniversalTag } from "../src/index";

// Small writer buffers are carved out of shared slabs: a view a writer returned must never be
// touched by any other writer, before or after, however the writers grow.
describe("BerWriter buffer regions", () => {
  it("views returned by many writers keep their octets (no region is handed out twice)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 2048 }), fc.integer({ min: 0, max: 3000 })), {
          minLength: 1,
          maxLength: 200,
        }),
        (specs) => {
          const kept: { view: Uint8Array; fill: number; length: number }[] = [];
          specs.forEach(([capacity, length], i) => {
            const w = new BerWriter(capacity);
            const fill = i & 0xff;
            w.primitive(UniversalTag.OCTET_STRING, new Uint8Array(length).fill(fill));
            kept.push({ view: w.view(), fill, length });
          });
          for (const k of kept) {
            const header = k.view.length - k.length;
            expect(k.view[0]).toBe(0x04);
            for (let j = header; j < k.view.length; j++) if (k.view[j] !== k.fill) expect.fail("overwritten");
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it("a fresh writer starts from zeroed, unshared memory (no octets of another writer)", () => {
    const a = new BerWriter(64);
    a.raw(new Uint8Array(64).fill(0xee));
    const b = new BerWriter(64);
    expect([...b.buf]).toEqual(new Array(b.buf.length).fill(0));
    expect(b.buf.buffer === a.buf.buffer ? b.buf.byteOffset >= a.buf.byteOffset + a.buf.length : true).toBe(
      true,
    );
  });
});
