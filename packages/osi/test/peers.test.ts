/**
 * peers.md §5: bug classes seen in other MMS stacks' session and presentation parsers, each
 * as a named test. Every case must end in a typed answer (RF with a CPR-PPDU, AB with an
 * ARP-PPDU, or a clean event), never an exception.
 */
import { BerWriter, ctxC, UniversalTag } from "@mms/asn1";
import { concatChain, decodeSpdu, encodeCN, FU_DUPLEX, PresentationMachine, VERSION_2 } from "@mms/osi";
import { describe, expect, it } from "vitest";
import { hex, tsduOf } from "./support";

/** Wraps a CP-type body in a CN SPDU. */
function cn(cp: Uint8Array): Uint8Array {
  return concatChain(
    encodeCN(
      {
        protocolOptions: 0,
        versionNumber: VERSION_2,
        sessionUserRequirements: FU_DUPLEX,
        tsduMaximumSize: undefined,
        callingSelector: hex`0001`,
        calledSelector: hex`0001`,
      },
      [cp],
    ),
  );
}

/** Builds `31 { a0 03 80 01 01, a2 { <params> } }`. */
function cpWith(params: Uint8Array): Uint8Array {
  const w = new BerWriter();
  const s = w.begin(UniversalTag.SET);
  w.raw(hex`a003800101`);
  const n = w.begin(ctxC(2));
  w.raw(params);
  w.end(n);
  w.end(s);
  return w.toBytes();
}

const CONTEXTS = hex`a423300f0201010604520100013004060251013010020103060528ca220201300406025101`;
const AARQ = tsduOf("V05").subarray(93);
const USER_DATA = concatChain([
  Uint8Array.of(0x61, AARQ.length + 7, 0x30, AARQ.length + 5, 0x02, 0x01, 0x01, 0xa0, AARQ.length),
  AARQ,
]);

/** Feeds a CN to a fresh responder; returns the SPDU kind of the reply (or the event type). */
function answer(tsdu: Uint8Array): string {
  const m = new PresentationMachine({ role: "responder" });
  const ev = m.receive(tsdu);
  if (ev.type !== "protocol-error") return ev.type;
  return ev.error.reply ? decodeSpdu(concatChain(ev.error.reply)).kind : "none";
}

describe("peers.md §5: presentation and session bug classes", () => {
  it("sanity: the helper builds a valid CP", () => {
    expect(answer(cn(cpWith(concatChain([hex`810400000001820400000001`, CONTEXTS, USER_DATA]))))).toBe(
      "connect-indication",
    );
  });

  it("CVE-2026-66360: zero-length normal-mode parameters before association", () => {
    // Empty selectors are legal (zero octets); an empty context list leaves no ACSE context: refused.
    expect(answer(cn(cpWith(concatChain([hex`81008200`, CONTEXTS, USER_DATA]))))).toBe("connect-indication");
    expect(answer(cn(cpWith(concatChain([hex`a400`, USER_DATA]))))).toBe("RF");
    expect(answer(cn(cpWith(concatChain([CONTEXTS, hex`6100`]))))).toBe("RF");
    expect(answer(cn(cpWith(hex`8000`)))).toBe("RF"); // BIT STRING without its unused-bits octet
  });

  it("libiec61850 #252: CP-type without normal-mode-parameters (absent, or present and empty)", () => {
    expect(answer(cn(hex`3105a003800101`))).toBe("RF");
    expect(answer(cn(hex`3107a003800101a200`))).toBe("RF");
    expect(answer(cn(hex`3100`))).toBe("RF");
  });

  it("libiec61850 #368: presentation message without user data", () => {
    expect(answer(cn(cpWith(CONTEXTS)))).toBe("RF");
    const m = new PresentationMachine({ role: "responder" });
    m.receive(tsduOf("V05"));
    m.acceptResponse(tsduOf("V06").subarray(64));
    for (const data of [hex`01000100`, hex`010001006100`, hex`01000100610230 00`]) {
      const mm = new PresentationMachine({ role: "responder" });
      mm.receive(tsduOf("V05"));
      mm.acceptResponse(tsduOf("V06").subarray(64));
      const ev = mm.receive(data);
      expect(ev.type).toBe("protocol-error");
      if (ev.type === "protocol-error") expect(decodeSpdu(concatChain(ev.error.reply!)).kind).toBe("AB");
    }
  });

  it("LIB61850-302: presentation parser infinite loop — unknown zero-length elements are skipped and parsing ends", () => {
    const junk = new Uint8Array(600);
    for (let i = 0; i < 600; i += 3) junk.set([0x9f, 0x1f, 0x00], i); // [31] with length 0, 200 times
    expect(answer(cn(cpWith(concatChain([junk, CONTEXTS, USER_DATA]))))).toBe("connect-indication");
    expect(answer(cn(cpWith(junk)))).toBe("RF");
  });

  it("trusting length fields: inner TLV longer than the enclosing one, LI past the SPDU, PGI past its SPDU", () => {
    expect(answer(cn(hex`3105a0ff800101`))).toBe("RF");
    expect(answer(hex`0dff0100`)).toBe("AB");
    expect(answer(hex`0d08c1ff0102030405`)).toBe("AB");
    expect(answer(hex`0d0505ff00`)).toBe("AB");
  });

  it("indefinite-length recursion: deeply nested indefinite elements hit the depth limit", () => {
    const deep = concatChain([
      new Uint8Array(200).fill(0).map((_, i) => (i % 2 ? 0x80 : 0xa0)),
      new Uint8Array(200),
    ]);
    expect(answer(cn(concatChain([hex`3180`, deep, hex`0000`])))).toBe("RF");
  });

  it("extended (multi-byte) tags at the end of the input do not read past it", () => {
    expect(answer(cn(hex`31039f8f`))).toBe("RF");
    expect(answer(cn(hex`3104bf878780`))).toBe("RF");
  });

  it("session: PI lengths of 0, unknown PIs and PGIs of length 0 are skipped; SPDU with zero parameters", () => {
    expect(answer(hex`0d00`)).toBe("RF"); // no user data, no version 2: refused, not crashed
    expect(answer(hex`0d047f00 0100`)).toBe("RF");
  });
});
