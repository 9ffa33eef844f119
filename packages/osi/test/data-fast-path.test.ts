import { concatChain, PresentationMachine } from "@mms/osi";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hex, tsduOf } from "./support";

const AARE = tsduOf("V06").subarray(64);

/** A responder in the data phase with contexts 1 (ACSE) and 3 (MMS), as after V05. */
function open(): PresentationMachine {
  const m = new PresentationMachine({ role: "responder" });
  m.receive(tsduOf("V05"));
  m.acceptResponse(AARE);
  return m;
}

/** One BER TLV with a low tag number and `len` content octets (short or long form). */
const tlv = fc
  .tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 70_000 }))
  .map(([tag, len]) => {
    const l =
      len < 0x80
        ? [len]
        : len < 0x100
          ? [0x81, len]
          : len < 0x10000
            ? [0x82, len >> 8, len & 0xff]
            : [0x83, len >> 16, (len >> 8) & 0xff, len & 0xff];
    const v = new Uint8Array(1 + l.length + len);
    v[0] = 0xa0 | tag;
    v.set(l, 1);
    return v;
  });

describe("presentation data fast path (receiveData)", () => {
  it("returns the MMS value of GT+DT user data of the given context, as the general path does", () => {
    fc.assert(
      fc.property(tlv, (value) => {
        const m = open();
        const tsdu = concatChain([hex`01000100`, ...userData(3, value)]);
        const fast = m.receiveData(tsdu, 3);
        expect(fast && Buffer.from(fast).equals(value)).toBe(true);
        const ev = open().receive(tsdu);
        expect(ev.type === "data" && Buffer.from(ev.values[0]!.value).equals(value)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("declines other contexts, undefined contexts, other shapes and trailing octets", () => {
    const m = open();
    const ok = hex`0100010061093007020103a0028b00`;
    expect([...m.receiveData(ok, 3)!]).toEqual([0x8b, 0x00]);
    expect(m.receiveData(ok, 1)).toBeUndefined();
    // Context 5 is not in the defined set: the general path answers it (ARP in AB).
    expect(m.receiveData(hex`0100010061093007020105a0028b00`, 5)).toBeUndefined();
    // A trailing octet after the value, a short PDV length, no GT+DT prefix.
    expect(m.receiveData(hex`0100010061093007020103a0028b0000`, 3)).toBeUndefined();
    expect(m.receiveData(hex`0100010061093006020103a0028b00`, 3)).toBeUndefined();
    expect(m.receiveData(hex`0100010161093007020103a0028b00`, 3)).toBeUndefined();
    // The value's own length must end exactly at the end of the PDV.
    expect(m.receiveData(hex`0100010061093007020103a0028b01`, 3)).toBeUndefined();
    // Not in the data phase yet.
    expect(new PresentationMachine({ role: "responder" }).receiveData(ok, 3)).toBeUndefined();
  });

  it("never throws on arbitrary octets after a GT+DT prefix (totality)", () => {
    const m = open();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (tail) => {
        const tsdu = concatChain([hex`01000100`, tail]);
        const v = m.receiveData(tsdu, 3);
        if (v) {
          // Whatever it accepts, the general decoder reads as the same single value.
          const ev = open().receive(tsdu);
          expect(ev.type === "data" && [...ev.values[0]!.value]).toEqual([...v]);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

/** `61 L 30 L 02 01 id a0 L` + value: the PDV as our dataRequest writes it. */
function userData(contextId: number, value: Uint8Array): Uint8Array[] {
  const m = open();
  const chain = m.dataRequest(contextId, [value]);
  // dataRequest prefixes GT+DT (01 00 01 00): strip it to keep only the PPDU.
  const head = chain[0]!;
  return [head.subarray(4), ...chain.slice(1)];
}
