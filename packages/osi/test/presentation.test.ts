import { BerReader, type Codec, readOctetString, UniversalTag, writeOctetString } from "@mms/asn1";
import {
  bindContext,
  concatChain,
  DEFAULT_CONTEXTS,
  decodeAbortPpdu,
  decodeSpdu,
  decodeUserData,
  encodeArp,
  encodeConnectPpdu,
  negotiateContexts,
  OsiProtocolError,
  OsiUsageError,
  PRESENTATION_TRANSITIONS,
  PresentationMachine,
  readAcceptPpdu,
  readConnectPpdu,
  readRefusePpdu,
  userDataHeader,
} from "@mms/osi";
import { describe, expect, it } from "vitest";
import { hex, reassembled, toHex, tsduOf } from "./support";

function cpOf(tsdu: Uint8Array) {
  const s = decodeSpdu(tsdu);
  if (s.kind !== "CN") throw new Error("not CN");
  return readConnectPpdu(new BerReader(s.userData!).enter(UniversalTag.SET));
}

const AARQ = tsduOf("V05").subarray(93); // 60 55 ... (the AARQ TLV)
const AARE = tsduOf("V06").subarray(64); // 61 46 ...

describe("presentation PPDUs of real frames", () => {
  it.each(["V05", "V08", "V10", "V12", "V12b"])(
    "%s CP-type: normal mode, contexts 1 = ACSE and 3 = MMS, ACSE user data",
    (id) => {
      const cp = cpOf(tsduOf(id));
      expect(cp.contexts.map((c) => [c.id, c.abstractSyntax, c.transferSyntaxes])).toEqual([
        [1, "2.2.1.0.1", ["2.1.1"]],
        [3, "1.0.9506.2.1", ["2.1.1"]],
      ]);
      expect(cp.userData).toHaveLength(1);
      expect(cp.userData[0]).toMatchObject({ contextId: 1, encoding: "single-ASN1-type" });
      expect(cp.userData[0]!.value[0]).toBe(0x60);
    },
  );
  it("V10 carries protocol-version, selector 00000002 and presentation-requirements", () => {
    const cp = cpOf(tsduOf("V10"));
    expect(cp.protocolVersion?.bitLength).toBe(1);
    expect(toHex(cp.calledSelector!)).toBe("00000002");
    expect(cp.presentationRequirements?.bitLength).toBe(2);
  });
  it.each(["V06", "V07", "V09", "V11"])("%s CPA-PPDU: two acceptances, AARE in context 1", (id) => {
    const s = decodeSpdu(tsduOf(id));
    if (s.kind !== "AC") throw new Error("not AC");
    const cpa = readAcceptPpdu(new BerReader(s.userData!).enter(UniversalTag.SET));
    expect(cpa.results.map((r) => r.result)).toEqual([0, 0]);
    expect(cpa.userData[0]).toMatchObject({ contextId: 1 });
  });
  it("V45 ARU-PPDU carries the ABRT in context 1", () => {
    const s = decodeSpdu(tsduOf("V45"));
    const aru = decodeAbortPpdu(s.kind === "AB" ? s.userData! : new Uint8Array());
    expect(aru).toMatchObject({ kind: "ARU", userData: [{ contextId: 1 }] });
  });
  it("ARP-PPDU round-trips", () => {
    expect(decodeAbortPpdu(encodeArp(2, 7))).toEqual({ kind: "ARP", reason: 2, eventIdentifier: 7 });
  });
  it("V42a data: fully-encoded-data, context 3", () => {
    const s = decodeSpdu(tsduOf("V42a"));
    expect(decodeUserData(s.kind === "DT" ? s.userData : new Uint8Array())).toMatchObject([
      { contextId: 3, value: hex`8b00` },
    ]);
  });
  it("the data header matches the prefix of stack.md §10 for short and long PDUs", () => {
    expect(toHex(userDataHeader(3, 2))).toBe("61093007020103a002");
    expect(toHex(userDataHeader(3, 300))).toBe("6182013730820133020103a082012c");
  });
});

describe("presentation machine", () => {
  it("initiator sends CP with libiec61850's bytes (V05) and accepts V06", () => {
    const m = new PresentationMachine({ role: "initiator" });
    expect(toHex(concatChain(m.connectRequest(AARQ)))).toBe(toHex(tsduOf("V05")));
    const ev = m.receive(tsduOf("V06"));
    expect(ev).toMatchObject({ type: "connect-confirm" });
    expect(m.state).toBe("STAt0");
    expect(m.mmsContextId).toBe(3);
  });
  it("responder echoes the initiator's context identifiers (7 and 9 here)", () => {
    const contexts = [
      { id: 7, abstractSyntax: "2.2.1.0.1", transferSyntaxes: ["2.1.1"] },
      { id: 9, abstractSyntax: "1.0.9506.2.1", transferSyntaxes: ["2.1.1"] },
    ];
    const i = new PresentationMachine({ role: "initiator", contexts });
    const r = new PresentationMachine({ role: "responder" });
    const ev = r.receive(concatChain(i.connectRequest(AARQ)));
    expect(ev.type).toBe("connect-indication");
    expect(r.acseContextId).toBe(7);
    expect(r.mmsContextId).toBe(9);
    const ac = concatChain(r.acceptResponse(AARE));
    const cc = i.receive(ac);
    expect(cc.type === "protocol-error" ? cc.error.message : cc.type).toBe("connect-confirm");
    const dt = concatChain(i.dataRequest(9, [hex`8b00`]));
    expect(toHex(dt)).toBe("0100010061093007020109a0028b00");
    expect(r.receive(dt)).toMatchObject({ type: "data", values: [{ contextId: 9 }] });
  });
  it("negotiation: unsupported abstract syntax and transfer syntax are provider-rejected (reasons 1 and 2)", () => {
    const { results, accepted } = negotiateContexts(
      [
        ...DEFAULT_CONTEXTS,
        { id: 5, abstractSyntax: "1.2.3", transferSyntaxes: ["2.1.1"] },
        { id: 7, abstractSyntax: "1.0.9506.2.1", transferSyntaxes: ["2.1.2.1"] },
      ],
      ["2.2.1.0.1", "1.0.9506.2.1"],
    );
    expect(results.map((r) => [r.result, r.providerReason])).toEqual([
      [0, undefined],
      [0, undefined],
      [2, 1],
      [2, 2],
    ]);
    expect(accepted.map((c) => c.id)).toEqual([1, 3]);
    expect(() => negotiateContexts([DEFAULT_CONTEXTS[0]!, DEFAULT_CONTEXTS[0]!], ["2.2.1.0.1"])).toThrow(
      OsiProtocolError,
    );
  });
  it("pluggable codec seam: a context bound to any Codec", () => {
    const octets: Codec<Uint8Array> = {
      encode: (v, w) => writeOctetString(w, v),
      decode: (r) => readOctetString(r),
    };
    const bound = bindContext({ id: 3, abstractSyntax: "1.0.9506.2.1", transferSyntax: "2.1.1" }, octets);
    const enc = bound.encode(hex`0102`);
    expect(toHex(enc)).toBe("04020102");
    expect(toHex(bound.decode(enc))).toBe("0102");
    expect(() => bound.decode(hex`0403`)).toThrow(OsiProtocolError);
  });
  it("state table: P-DTreq in STAI0 and an undefined context are usage errors", () => {
    const m = new PresentationMachine({ role: "initiator" });
    expect(() => m.dataRequest(3, [hex`00`])).toThrow(OsiUsageError);
    expect(PRESENTATION_TRANSITIONS.STAI0["P-DTreq"]).toBeUndefined();
    m.connectRequest(AARQ);
    m.receive(tsduOf("V06"));
    expect(() => m.dataRequest(5, [hex`00`])).toThrow(OsiUsageError);
  });
  it("cell STAt0 × CPA is missing: a second AC is answered with AB (protocol error)", () => {
    const m = new PresentationMachine({ role: "initiator" });
    m.connectRequest(AARQ);
    m.receive(tsduOf("V06"));
    const ev = m.receive(tsduOf("V06"));
    expect(ev.type).toBe("protocol-error");
    expect(m.state).toBe("closed");
  });
  it("data in a context outside the defined set is answered with ARP in AB", () => {
    const m = new PresentationMachine({ role: "responder" });
    m.receive(tsduOf("V05"));
    m.acceptResponse(AARE);
    const ev = m.receive(hex`0100010061093007020105a0028b00`);
    expect(ev.type).toBe("protocol-error");
    if (ev.type !== "protocol-error") return;
    const ab = decodeSpdu(concatChain(ev.error.reply!));
    expect(ab.kind === "AB" && decodeAbortPpdu(ab.userData!)).toMatchObject({ kind: "ARP" });
  });
  it("segmented CN (V47) and AC (V48), reassembled, go through the machines", () => {
    const r = new PresentationMachine({ role: "responder" });
    expect(r.receive(reassembled("V47a", "V47b")).type).toBe("connect-indication");
    const i = new PresentationMachine({ role: "initiator" });
    i.connectRequest(AARQ);
    expect(i.receive(reassembled("V48a", "V48b")).type).toBe("connect-confirm");
  });
  it("refusal: CPR-PPDU in RF with provider-reason", () => {
    const r = new PresentationMachine({ role: "responder" });
    r.receive(tsduOf("V05"));
    const rf = decodeSpdu(concatChain(r.refuseResponse(undefined, 2)));
    expect(rf).toMatchObject({ kind: "RF", reason: 2 });
    const cpr = readRefusePpdu(
      new BerReader(rf.kind === "RF" ? rf.userData! : new Uint8Array()).enter(UniversalTag.SEQUENCE),
    );
    expect(cpr.providerReason).toBe(2);
    const i = new PresentationMachine({ role: "initiator" });
    i.connectRequest(AARQ);
    const s2 = new PresentationMachine({ role: "responder" });
    s2.receive(tsduOf("V05"));
    expect(i.receive(concatChain(s2.session.refuseResponse(2)))).toMatchObject({
      type: "connect-refused",
    });
  });
  it("CP encoder places optional protocol-version", () => {
    const cp = encodeConnectPpdu({
      protocolVersion: { bytes: hex`80`, bitLength: 1 },
      callingSelector: undefined,
      calledSelector: undefined,
      contexts: DEFAULT_CONTEXTS,
      userData: [{ contextId: 1, value: AARQ }],
    });
    expect(readConnectPpdu(new BerReader(cp).enter(UniversalTag.SET)).protocolVersion?.bitLength).toBe(1);
  });
});
