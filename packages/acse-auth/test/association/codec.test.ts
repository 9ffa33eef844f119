import { decodeSpdu, PresentationMachine } from "@mms/osi";
import {
  type Aarq,
  AcseMachine,
  decodeAcseApdu,
  encodeAcseApdu,
  passwordAuthentication,
  AUTHENTICATION_REQUIREMENT,
  certificateAuthentication,
} from "@mms/acse-auth";
import { BerReader, bitAt, readConnectPpdu, UniversalTag } from "./imports";
import { describe, expect, it } from "vitest";
import { concatChain, noTransportInfo } from "@mms/io";
import { loadTestPki } from "../../../../tools/test-pki/src/index";
import {
  INITIATE_REQUEST,
  INITIATE_RESPONSE,
  dissectCheck,
  frame,
  hasTshark,
  reassembled,
  toHex,
  tsduOf,
} from "./support";

/** The AARQ/AARE TLV inside a connect TSDU. */
function acseOfConnect(tsdu: Uint8Array): Uint8Array {
  const s = decodeSpdu(tsdu);
  if (s.kind !== "CN" && s.kind !== "AC") throw new Error("not CN/AC");
  const r = new BerReader(s.userData!);
  const ppdu = readConnectPpdu(r.enter(UniversalTag.SET));
  return ppdu.userData[0]!.value;
}

const mmsExt = (id: number, v: Uint8Array) => ({
  directReference: undefined,
  indirectReference: id,
  dataValueDescriptor: undefined,
  encoding: { type: "single-ASN1-type" as const, value: v },
});

const V05_AARQ: Aarq = {
  type: "AARQ",
  applicationContextName: "1.0.9506.2.3",
  called: { apTitle: "1.1.1.999.1", aeQualifier: 12 },
  calling: { apTitle: "1.1.1.999", aeQualifier: 12 },
  userInformation: [mmsExt(3, INITIATE_REQUEST)],
};

describe("ACSE APDUs of real frames decode", () => {
  it.each(["V05", "V08", "V10", "V12", "V12b"])("%s AARQ", (id) => {
    const a = decodeAcseApdu(acseOfConnect(tsduOf(id)));
    expect(a.type).toBe("AARQ");
    if (a.type !== "AARQ") return;
    expect(a.userInformation?.[0]?.indirectReference).toBe(3);
    expect(a.userInformation?.[0]?.encoding.type).toBe("single-ASN1-type");
  });
  it("V05 AARQ fields", () => {
    const a = decodeAcseApdu(acseOfConnect(tsduOf("V05")));
    expect(a).toMatchObject({
      applicationContextName: "1.0.9506.2.3",
      called: { apTitle: "1.1.1.999.1", aeQualifier: 12 },
      calling: { apTitle: "1.1.1.999", aeQualifier: 12 },
    });
  });
  it("V08 (nmap) carries AP/AE invocation ids and a direct-reference", () => {
    const a = decodeAcseApdu(acseOfConnect(tsduOf("V08")));
    expect(a).toMatchObject({
      called: { apInvocationId: 0, aeInvocationId: 0 },
      calling: { apInvocationId: 0, aeInvocationId: 0 },
    });
    if (a.type === "AARQ") expect(a.userInformation?.[0]?.directReference).toBe("2.1.1");
  });
  it("V10 carries protocol-version and application context 1.0.9506.1.1", () => {
    const a = decodeAcseApdu(acseOfConnect(tsduOf("V10")));
    expect(a).toMatchObject({
      applicationContextName: "1.0.9506.1.1",
      called: { apTitle: "1.1.2", aeQualifier: 2 },
    });
  });
  it("V12 / V12b: password mechanism with charstring values", () => {
    const a = decodeAcseApdu(acseOfConnect(tsduOf("V12")));
    expect(a).toMatchObject({
      mechanismName: "2.2.3.1",
      callingAuthenticationValue: { type: "charstring", value: "secret" },
    });
    if (a.type === "AARQ") expect(bitAt(a.senderAcseRequirements!, 0)).toBe(true);
    expect(decodeAcseApdu(acseOfConnect(tsduOf("V12b")))).toMatchObject({
      callingAuthenticationValue: { value: "wrong" },
    });
  });
  it.each(["V06", "V07", "V09", "V11"])("%s AARE accepted", (id) => {
    expect(decodeAcseApdu(acseOfConnect(tsduOf(id)))).toMatchObject({
      type: "AARE",
      result: 0,
      resultSourceDiagnostic: { source: "service-user", value: 0 },
    });
  });
  it("V47 and V48 reassembled decode to the V05 AARQ and V06 AARE", () => {
    expect(decodeAcseApdu(acseOfConnect(reassembled("V47a", "V47b"))).type).toBe("AARQ");
    expect(decodeAcseApdu(acseOfConnect(reassembled("V48a", "V48b"))).type).toBe("AARE");
  });
  it("RLRQ (V43), RLRE (V44) and ABRT (V45)", () => {
    expect(decodeAcseApdu(tsduOf("V43").subarray(-5))).toEqual({
      type: "RLRQ",
      reason: 0,
      userInformation: undefined,
    });
    expect(decodeAcseApdu(tsduOf("V44").subarray(-2))).toEqual({
      type: "RLRE",
      reason: undefined,
      userInformation: undefined,
    });
    expect(decodeAcseApdu(tsduOf("V45").subarray(-5))).toMatchObject({ type: "ABRT", source: 0 });
  });
  it("APDUs re-encode to the same octets", () => {
    for (const id of ["V05", "V06", "V08", "V09", "V12"]) {
      const tlv = acseOfConnect(tsduOf(id));
      expect(toHex(encodeAcseApdu(decodeAcseApdu(tlv))), id).toBe(toHex(tlv));
    }
  });
});

describe("what we send is byte-identical to libiec61850", () => {
  it("CN + CP + AARQ equals V05", () => {
    const m = new AcseMachine({ role: "initiator" });
    expect(toHex(concatChain(m.associateRequest(V05_AARQ)))).toBe(toHex(tsduOf("V05")));
  });
  it("CN with the password AARQ equals V12", async () => {
    const value = await passwordAuthentication({ password: "secret" }).credentials({} as never);
    const m = new AcseMachine({ role: "initiator" });
    const aarq: Aarq = {
      ...V05_AARQ,
      senderAcseRequirements: AUTHENTICATION_REQUIREMENT,
      mechanismName: "2.2.3.1",
      callingAuthenticationValue: value,
    };
    expect(toHex(concatChain(m.associateRequest(aarq)))).toBe(toHex(tsduOf("V12")));
  });
  it("AC + CPA + AARE equals V06; FN+RLRQ, DN+RLRE, AB+ABRT equal V43, V44, V45", () => {
    const responder = new AcseMachine({ role: "responder" });
    expect(responder.receive(tsduOf("V05")).type).toBe("associate-indication");
    const ac = responder.associateResponse({
      type: "AARE",
      applicationContextName: "1.0.9506.2.3",
      result: 0,
      resultSourceDiagnostic: { source: "service-user", value: 0 },
      userInformation: [mmsExt(3, INITIATE_RESPONSE)],
    });
    expect(toHex(concatChain(ac))).toBe(toHex(tsduOf("V06")));
    const initiator = new AcseMachine({ role: "initiator" });
    initiator.associateRequest(V05_AARQ);
    expect(initiator.receive(tsduOf("V06")).type).toBe("associate-confirm");
    expect(toHex(concatChain(initiator.releaseRequest()))).toBe(toHex(tsduOf("V43")));
    expect(responder.receive(tsduOf("V43")).type).toBe("release-indication");
    expect(toHex(concatChain(responder.releaseResponse({ type: "RLRE" })))).toBe(toHex(tsduOf("V44")));
    const other = new AcseMachine({ role: "initiator" });
    other.associateRequest(V05_AARQ);
    other.receive(tsduOf("V06"));
    expect(toHex(concatChain(other.abortRequest({ type: "ABRT", source: 0 })))).toBe(toHex(tsduOf("V45")));
  });
  it("data PDUs equal V42a (conclude-Request in context 3)", () => {
    const m = new AcseMachine({ role: "initiator" });
    m.associateRequest(V05_AARQ);
    m.receive(tsduOf("V06"));
    expect(toHex(concatChain(m.dataRequest([Uint8Array.of(0x8b, 0)])))).toBe(toHex(tsduOf("V42a")));
  });
  it.skipIf(!hasTshark())("our frames pass dissect-check", async () => {
    const m = new AcseMachine({ role: "initiator" });
    const cn = concatChain(m.associateRequest(V05_AARQ));
    const r = new AcseMachine({ role: "responder" });
    r.receive(cn);
    const ac = concatChain(
      r.associateResponse({
        type: "AARE",
        applicationContextName: "1.0.9506.2.3",
        result: 0,
        resultSourceDiagnostic: { source: "service-user", value: 0 },
        userInformation: [mmsExt(3, INITIATE_RESPONSE)],
      }),
    );
    m.receive(ac);
    const dt = concatChain(m.dataRequest([Uint8Array.of(0x8b, 0)]));
    const fn = concatChain(m.releaseRequest());
    r.receive(dt);
    r.receive(fn);
    const dn = concatChain(r.releaseResponse());
    const res = dissectCheck([
      { dir: ">", bytes: frame(cn) },
      { dir: "<", bytes: frame(ac) },
      { dir: ">", bytes: frame(dt) },
      { dir: ">", bytes: frame(fn) },
      { dir: "<", bytes: frame(dn) },
    ]);
    expect(res.ok, res.output).toBe(true);
  });
});

export { PresentationMachine };

describe("large AARQs (DECISIONS.md)", () => {
  it("an AARQ with an 8 KiB certificate value goes in Extended User Data (PI 194) and arrives intact", () => {
    const cert = new Uint8Array(8192).fill(0x5a);
    const aarq: Aarq = {
      ...V05_AARQ,
      mechanismName: "1.0.840.0.1.0.1.1",
      callingAuthenticationValue: {
        type: "external",
        value: {
          directReference: undefined,
          indirectReference: undefined,
          dataValueDescriptor: undefined,
          encoding: {
            type: "single-ASN1-type",
            value: concatChain([Uint8Array.of(0x04, 0x82, 0x20, 0x00), cert]),
          },
        },
      },
    };
    const cn = concatChain(new AcseMachine({ role: "initiator" }).associateRequest(aarq));
    expect(cn[1]).toBe(0xff); // two-octet SPDU length
    expect(cn.subarray(0, 40).includes(0xc2)).toBe(true); // PGI 194 Extended User Data
    const ev = new AcseMachine({ role: "responder" }).receive(cn);
    expect(ev.type).toBe("associate-indication");
    if (ev.type !== "associate-indication") return;
    const v = ev.aarq.callingAuthenticationValue;
    expect(
      v?.type === "external" && v.value.encoding.type === "single-ASN1-type" && v.value.encoding.value.length,
    ).toBe(8196);
  });
});

describe("dissect-check of the refusal, abort and large-AARQ frames", () => {
  it.skipIf(!hasTshark())(
    "RF with CPR and AARE-, AB with ARU and ABRT, CN with a 62351-4 certificate AARQ",
    async () => {
      const frames: Array<{ dir: ">" | "<"; bytes: Uint8Array }> = [];
      const r = new AcseMachine({ role: "responder" });
      r.receive(tsduOf("V05"));
      frames.push({ dir: ">", bytes: frame(tsduOf("V05")) });
      frames.push({
        dir: "<",
        bytes: frame(
          concatChain(
            r.associateResponse({
              type: "AARE",
              applicationContextName: "1.0.9506.2.3",
              result: 1,
              resultSourceDiagnostic: { source: "service-user", value: 12 },
            }),
          ),
        ),
      });
      const pki = loadTestPki();
      const mech = certificateAuthentication({
        certificate: pki.entities.client.certPem,
        privateKey: pki.entities.client.keyPem,
        trustAnchors: [pki.cas.caA.certPem],
      });
      const value = await mech.credentials({
        role: "initiator",
        now: Date.now(),
        transport: noTransportInfo,
        peerApTitle: undefined,
        peerAeQualifier: undefined,
        emit: () => undefined,
      });
      const big: Aarq = {
        ...V05_AARQ,
        senderAcseRequirements: AUTHENTICATION_REQUIREMENT,
        mechanismName: mech.mechanismNames[0],
        callingAuthenticationValue: value,
      };
      const i = new AcseMachine({ role: "initiator" });
      const cn = concatChain(i.associateRequest(big));
      expect(cn.length).toBeGreaterThan(512);
      frames.push({
        dir: ">",
        bytes: frame(concatChain(i.abortRequest({ type: "ABRT", source: 1, diagnostic: 5 }))),
      });
      const res = dissectCheck(frames);
      expect(res.ok, res.output).toBe(true);
      // The CN with PI 194: Wireshark walks session, presentation and ACSE; it then reads the
      // 62351-4 EXTERNAL (sent without indirect-reference, DECISIONS.md) as MMS and flags it, a
      // limitation of its dissector for this value, not of the framing checked here.
      const big3 = dissectCheck([{ dir: ">", bytes: frame(cn) }]);
      expect(big3.output).toMatch(/ses:pres:acse/);
    },
  );
});

describe("our responder answers third-party requests exactly as libiec61850 did", () => {
  it.each([
    ["V08", "V09"],
    ["V10", "V11"],
  ])("%s → %s (selectors echoed, contexts echoed, AARE as libiec61850's)", (req, res) => {
    const r = new AcseMachine({ role: "responder" });
    expect(r.receive(tsduOf(req)).type).toBe("associate-indication");
    const expected = tsduOf(res);
    const initiateResponse = decodeAcseApdu(acseOfConnect(expected));
    if (initiateResponse.type !== "AARE") throw new Error("not an AARE");
    const ac = r.associateResponse({
      type: "AARE",
      applicationContextName: "1.0.9506.2.3",
      result: 0,
      resultSourceDiagnostic: { source: "service-user", value: 0 },
      userInformation: initiateResponse.userInformation,
    });
    expect(toHex(concatChain(ac))).toBe(toHex(expected));
  });
});
