import { bitStringFromBits, bitStringToBits } from "@mms/asn1";
import { describe, expect, it } from "vitest";
import {
  bitStringAnd,
  checkInitiateResponse,
  decodeMmsPdu,
  encodeMmsPdu,
  type InitiateRequestPdu,
  type LocalCapabilities,
  negotiateInitiate,
  ParameterCbb,
  pduLimits,
  ServiceSupport,
} from "../src/index";
import { mmsVectors } from "./helpers/mms-of";

const vectors = new Map(mmsVectors().map((v) => [v.ids.join("+"), v.mms]));
const initiate = (id: string) => {
  const p = decodeMmsPdu(vectors.get(id)!);
  if (p.type !== "initiateRequest" && p.type !== "initiateResponse") throw new Error(id);
  return p;
};

/** What a libiec61850 1.5 server (log service off) supports: its V06 response parameters. */
const v06 = initiate("V06");
const server: LocalCapabilities = {
  localDetail: 65000,
  maxServOutstandingCalling: 5,
  maxServOutstandingCalled: 5,
  dataStructureNestingLevel: 10,
  version: 1,
  parameterCbb: v06.parameterCbb,
  servicesSupported: v06.servicesSupported,
};

describe("negotiateInitiate (ISO 9506-1 §8.2)", () => {
  it("V05 → exactly the V06 response libiec61850 sends", () => {
    const n = negotiateInitiate(initiate("V05") as InitiateRequestPdu, server);
    if (!n.ok) throw new Error("refused");
    expect(encodeMmsPdu(n.response)).toEqual(vectors.get("V06"));
  });
  it("V08 (nmap: 10/10 calls, nesting 5) → 5/5, nesting 5, as V09", () => {
    const n = negotiateInitiate(initiate("V08") as InitiateRequestPdu, server);
    if (!n.ok) throw new Error("refused");
    expect(n.response).toMatchObject({
      maxServOutstandingCalling: 5,
      maxServOutstandingCalled: 5,
      dataStructureNestingLevel: 5,
    });
    expect(encodeMmsPdu(n.response)).toEqual(vectors.get("V09"));
  });
  it("V10 (32000 octets, 20/20, nesting 4, CBB fb 00) → min of each, CBB intersection", () => {
    const n = negotiateInitiate(initiate("V10") as InitiateRequestPdu, server);
    if (!n.ok) throw new Error("refused");
    expect(n.response).toMatchObject({
      localDetail: 32000,
      maxServOutstandingCalling: 5,
      dataStructureNestingLevel: 4,
      version: 1,
    });
    // fb 00 ∩ f1 00 = f1 00 (vadr and tpy are not ours).
    expect(bitStringToBits(n.parameterCbb).slice(0, 8)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      true,
    ]);
    expect(pduLimits(n.response.dataStructureNestingLevel).maxNestingLevel).toBe(4);
  });
  it("the common service set is the intersection of both ends", () => {
    const n = negotiateInitiate(initiate("V05") as InitiateRequestPdu, server);
    if (!n.ok) throw new Error("refused");
    const bits = bitStringToBits(n.commonServices);
    expect(bits[ServiceSupport.read]).toBe(true);
    expect(bits[ServiceSupport.fileRename]).toBe(false); // the server lacks it (V35)
    expect(bits[ServiceSupport.informationReport]).toBe(true);
  });
  it("absent optional fields fall back to the local values", () => {
    const q = {
      ...(initiate("V05") as InitiateRequestPdu),
      localDetail: undefined,
      dataStructureNestingLevel: undefined,
    };
    const n = negotiateInitiate(q, server);
    expect(n.ok && n.response).toMatchObject({ localDetail: 65000, dataStructureNestingLevel: 10 });
  });
  it("refusals carry the initiate error class codes", () => {
    const q = initiate("V05") as InitiateRequestPdu;
    const code = (r: ReturnType<typeof negotiateInitiate>) => (r.ok ? -1 : r.error.code);
    expect(code(negotiateInitiate({ ...q, version: 0 }, server))).toBe(1);
    expect(code(negotiateInitiate({ ...q, localDetail: 10 }, server))).toBe(2);
    expect(code(negotiateInitiate({ ...q, maxServOutstandingCalling: 0 }, server))).toBe(3);
    expect(code(negotiateInitiate({ ...q, maxServOutstandingCalled: -1 }, server))).toBe(4);
    const strictServer = {
      ...server,
      requiredParameterCbb: bitStringFromBits([true, true, true]),
      minNestingLevel: 4,
    };
    expect(code(negotiateInitiate(q, strictServer))).toBe(-1);
    expect(
      code(negotiateInitiate({ ...q, parameterCbb: bitStringFromBits([true, false, true]) }, strictServer)),
    ).toBe(6);
    expect(code(negotiateInitiate({ ...q, dataStructureNestingLevel: 3 }, strictServer))).toBe(7);
    const r = negotiateInitiate({ ...q, version: 0 }, server);
    if (r.ok) throw new Error();
    expect(r.error.errorClass).toBe("initiate");
    // An initiate-ErrorPDU of it encodes as `aa 05 a0 03 88 01 01`.
    expect([...encodeMmsPdu({ type: "initiateError", error: r.error })]).toEqual([
      0xaa, 0x05, 0xa0, 0x03, 0x88, 0x01, 0x01,
    ]);
  });
  it("checkInitiateResponse: the client accepts V06 for V05 and refuses inflated values", () => {
    const q = initiate("V05") as InitiateRequestPdu;
    const r = initiate("V06");
    if (r.type !== "initiateResponse") throw new Error();
    expect(checkInitiateResponse(q, r)).toBeUndefined();
    expect(checkInitiateResponse(q, { ...r, maxServOutstandingCalling: 6 })).toMatch(/Calling/);
    expect(checkInitiateResponse(q, { ...r, dataStructureNestingLevel: 11 })).toMatch(/nesting/);
    expect(checkInitiateResponse(q, { ...r, version: 2 })).toMatch(/version/);
  });
  it("bitStringAnd and the named bits", () => {
    const a = bitStringFromBits([true, true, false, true]);
    const b = bitStringFromBits([true, false, true, true, true]);
    expect(bitStringToBits(bitStringAnd(a, b))).toEqual([true, false, false, true]);
    expect(bitStringToBits(v06.parameterCbb)[ParameterCbb.vlis]).toBe(true);
  });
});
