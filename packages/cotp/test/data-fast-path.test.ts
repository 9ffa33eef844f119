import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CotpMachine, encodeConnect, encodeData, TpktFramer } from "../src/index";
import { fromHex } from "./support";

/** A responder in the data phase with a negotiated TPDU size of 1024 (maxTsdu as given). */
function open(maxTsduSize?: number): CotpMachine {
  const m = new CotpMachine({ role: "responder", ...(maxTsduSize ? { maxTsduSize } : {}) });
  const cr = encodeConnect("CR", {
    dstRef: 0,
    srcRef: 9,
    tpduSize: 1024,
    callingTsap: fromHex("0001"),
    calledTsap: fromHex("0001"),
  });
  m.receive(cr.subarray(4));
  m.takeOutgoing();
  return m;
}

/** What the general path makes of one TPKT: the TSDU it indicates, or the event types. */
function general(m: CotpMachine, tpkt: Uint8Array): Uint8Array | string {
  let frames: Uint8Array[];
  try {
    frames = new TpktFramer(1024 + 4).push(tpkt);
  } catch {
    return "framing error";
  }
  if (frames.length !== 1) return `${frames.length} frames`;
  const ev = m.receive(frames[0]!);
  const data = ev.find((e) => e.type === "dataIndication");
  return data && data.type === "dataIndication" ? data.tsdu : ev.map((e) => e.type).join(",") || "none";
}

describe("COTP data fast path (TpktFramer.isWhole + CotpMachine.receiveWholeDt)", () => {
  it("takes exactly what the general path would deliver as one whole TSDU, and nothing else", () => {
    const tpkt = fc.oneof(
      // Well-formed DTs with EOT, of every size around the negotiated 1024.
      fc.integer({ min: 0, max: 1030 }).map((n) => encodeData(new Uint8Array(n).fill(0x5a))),
      // Segments without EOT.
      fc.integer({ min: 0, max: 40 }).map((n) => encodeData(new Uint8Array(n), false)),
      // One octet of a valid DT changed at random.
      fc
        .tuple(fc.integer({ min: 0, max: 40 }), fc.nat(), fc.integer({ min: 0, max: 255 }))
        .map(([n, at, v]) => {
          const t = encodeData(new Uint8Array(n).fill(1));
          t[at % t.length] = v;
          return t;
        }),
      fc.uint8Array({ minLength: 0, maxLength: 20 }),
    );
    fc.assert(
      fc.property(tpkt, fc.constantFrom(undefined, 16), (t, maxTsdu) => {
        const framer = new TpktFramer(1024 + 4);
        const fast = framer.isWhole(t) ? open(maxTsdu).receiveWholeDt(t) : undefined;
        const slow = general(open(maxTsdu), t);
        if (fast !== undefined) {
          expect(slow).toBeInstanceOf(Uint8Array);
          expect(Buffer.from(fast).equals(slow as Uint8Array)).toBe(true);
        }
        // Whenever the general path delivers a TSDU from a whole well-formed TPKT, so does the fast one.
        if (slow instanceof Uint8Array && framer.isWhole(t)) expect(fast).toBeDefined();
      }),
      { numRuns: 3000 },
    );
  });

  it("declines while a framer holds a partial TPKT or a machine holds earlier segments", () => {
    const whole = encodeData(Uint8Array.of(1, 2, 3));
    const framer = new TpktFramer();
    expect(framer.isWhole(whole)).toBe(true);
    framer.push(whole.subarray(0, 2));
    expect(framer.isWhole(whole)).toBe(false);
    const m = open();
    m.receive(encodeData(Uint8Array.of(9), false).subarray(4));
    expect(m.receiveWholeDt(whole)).toBeUndefined();
    expect(new CotpMachine({ role: "responder" }).receiveWholeDt(whole)).toBeUndefined();
  });
});
