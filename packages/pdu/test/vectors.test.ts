import { BerDecodeError, bitStringEquals, bitStringToBits } from "@mms/asn1";
import { describe, expect, it } from "vitest";
import {
  type ConfirmedServiceRequest,
  type ConfirmedServiceResponse,
  type Data,
  decodeMmsPdu,
  encodeMmsPdu,
  type MmsPdu,
  utcTimeToDate,
} from "../src/index";
import { mmsVectors } from "./helpers/mms-of";
import { toHex } from "./helpers/test-utils";

const all = mmsVectors();
const byId = new Map(all.map((v) => [v.ids.join("+"), v]));

function pdu(id: string): MmsPdu {
  const v = byId.get(id);
  if (!v) throw new Error(`no MMS PDU in ${id}`);
  return decodeMmsPdu(v.mms);
}
function request(id: string): ConfirmedServiceRequest {
  const p = pdu(id);
  if (p.type !== "confirmedRequest") throw new Error(`${id} is ${p.type}`);
  return p.request;
}
function response(id: string): ConfirmedServiceResponse {
  const p = pdu(id);
  if (p.type !== "confirmedResponse") throw new Error(`${id} is ${p.type}`);
  return p.response;
}

/**
 * Vectors whose only difference from our encoding is BOOLEAN TRUE sent as 0x01 by libiec61850
 * (X.690 §11.1: canonical TRUE is 0xFF; any non-zero octet decodes as TRUE).
 */
const NON_CANONICAL_BOOLEAN = new Set(["V22a", "V25b", "V26a", "V26b", "V39a"]);
/** Hand-built malformed frame: the confirmed-RequestPDU claims one octet more than it has. */
const MALFORMED = new Set(["V50c"]);

describe("every MMS PDU of the 95 vectors: decode, re-encode, mirror", () => {
  it("finds the MMS PDU of every data and connect frame", () => {
    expect(all.length).toBeGreaterThanOrEqual(80);
  });
  for (const v of all) {
    const id = v.ids.join("+");
    if (MALFORMED.has(id)) {
      it(`${id}: refused with BerDecodeError (truncated)`, () => {
        expect(() => decodeMmsPdu(v.mms)).toThrow(BerDecodeError);
        try {
          decodeMmsPdu(v.mms);
        } catch (e) {
          expect((e as BerDecodeError).code).toBe("truncated");
        }
      });
      continue;
    }
    it(`${id}: ${v.title.slice(0, 70)}`, () => {
      const decoded = decodeMmsPdu(v.mms);
      const encoded = encodeMmsPdu(decoded);
      if (NON_CANONICAL_BOOLEAN.has(id)) {
        expect(toHex(encoded)).not.toBe(toHex(v.mms));
        expect(encoded.length).toBe(v.mms.length);
        // Only BOOLEAN content octets differ: 01 → ff after a `xx 01` BOOLEAN header.
        for (let i = 0; i < encoded.length; i++)
          if (encoded[i] !== v.mms[i]) {
            expect([v.mms[i], encoded[i], v.mms[i - 1]]).toEqual([0x01, 0xff, 0x01]);
          }
      } else expect(toHex(encoded)).toBe(toHex(v.mms));
      // Mirror: our encoding decodes to the same value.
      expect(decodeMmsPdu(encoded)).toEqual(decoded);
    });
  }
});

describe("decoded vector values", () => {
  it("V17a: read of simpleIOGenericIO/GGIO1$MX$AnIn1$mag$f", () => {
    const p = pdu("V17a");
    expect(p).toMatchObject({ type: "confirmedRequest", invokeId: 5 });
    expect(request("V17a")).toEqual({
      service: "read",
      specificationWithResult: false,
      variableAccessSpecification: {
        kind: "listOfVariable",
        list: [
          {
            variable: {
              kind: "name",
              name: { scope: "domain", domainId: "simpleIOGenericIO", itemId: "GGIO1$MX$AnIn1$mag$f" },
            },
            alternateAccess: undefined,
          },
        ],
      },
    });
  });
  it("V17b: floating-point 1.5 (32 bits)", () => {
    expect(response("V17b")).toEqual({
      service: "read",
      variableAccessSpecification: undefined,
      results: [{ success: true, data: { type: "floatingPoint", value: 1.5, width: 32 } }],
    });
  });
  it("V18b: structure {mag{f}, q(13 bits), t}", () => {
    const r = response("V18b");
    if (r.service !== "read") throw new Error();
    const s = r.results[0];
    if (!s?.success || s.data.type !== "structure") throw new Error("not a structure");
    const [mag, q, t] = s.data.value as [Data, Data, Data];
    expect(mag).toEqual({ type: "structure", value: [{ type: "floatingPoint", value: 1.5, width: 32 }] });
    if (q.type !== "bitString" || t.type !== "utcTime") throw new Error();
    expect(q.value.bitLength).toBe(13);
    expect(bitStringToBits(q.value).every((b) => !b)).toBe(true);
    // quality 0x80: LeapSecondsKnown
    expect(t.value).toEqual({ secondsSinceEpoch: 1704067200, fraction: 0x800000, quality: 0x80 });
    expect(utcTimeToDate(t.value).toISOString()).toBe("2024-01-01T00:00:00.500Z");
  });
  it("V19b: empty visible-string; V20b: object-non-existent (10)", () => {
    expect(response("V19b")).toMatchObject({
      results: [{ success: true, data: { type: "visibleString", value: "" } }],
    });
    expect(response("V20b")).toMatchObject({ results: [{ success: false, error: 10 }] });
  });
  it("V13b identify, V14b status, V15b/V16a name lists", () => {
    expect(response("V13b")).toEqual({
      service: "identify",
      vendorName: "MZ",
      modelName: "basic io",
      revision: "1.4.2",
      abstractSyntaxes: undefined,
    });
    expect(request("V13a")).toEqual({ service: "identify" });
    expect(request("V14a")).toEqual({ service: "status", extendedDerivation: false });
    expect(response("V14b")).toEqual({
      service: "status",
      logicalStatus: 0,
      physicalStatus: 0,
      localDetail: undefined,
    });
    expect(request("V15a")).toEqual({
      service: "getNameList",
      objectClass: 9,
      scope: { kind: "vmd" },
      continueAfter: undefined,
    });
    expect(response("V15b")).toEqual({
      service: "getNameList",
      identifiers: ["simpleIOGenericIO"],
      moreFollows: false,
    });
    expect(request("V16a")).toMatchObject({
      objectClass: 2,
      scope: { kind: "domain", domainId: "simpleIOGenericIO" },
    });
  });
  it("V21a write 'ACME', V21b success, V22b object-access-denied", () => {
    expect(request("V21a")).toMatchObject({
      service: "write",
      variableAccessSpecification: {
        list: [{ variable: { name: { domainId: "simpleIOGenericIO", itemId: "GGIO1$DC$NamPlt$vendor" } } }],
      },
      listOfData: [{ type: "visibleString", value: "ACME" }],
    });
    expect(response("V21b")).toEqual({ service: "write", results: [{ success: true, error: undefined }] });
    expect(response("V22b")).toEqual({ service: "write", results: [{ success: false, error: 3 }] });
    expect(request("V22a")).toMatchObject({ listOfData: [{ type: "boolean", value: true }] });
  });
  it("V23b: TypeSpecification {mag{f: float(32,8)}, q: bit-string(-13), t: utc-time}", () => {
    expect(response("V23b")).toEqual({
      service: "getVariableAccessAttributes",
      mmsDeletable: false,
      address: undefined,
      typeSpecification: {
        type: "structure",
        packed: false,
        components: [
          {
            name: "mag",
            type: {
              type: "structure",
              packed: false,
              components: [{ name: "f", type: { type: "floatingPoint", formatWidth: 32, exponentWidth: 8 } }],
            },
          },
          { name: "q", type: { type: "bitString", size: -13 } },
          { name: "t", type: { type: "utcTime" } },
        ],
      },
    });
  });
  it("V24a/V25b/V27a/V28a/V29a: named variable lists", () => {
    const d = request("V24a");
    if (d.service !== "defineNamedVariableList") throw new Error();
    expect(d.variableListName).toEqual({
      scope: "domain",
      domainId: "simpleIOGenericIO",
      itemId: "LLN0$TestDS",
    });
    expect(d.listOfVariable.map((x) => x.variable.kind === "name" && x.variable.name.itemId)).toEqual([
      "GGIO1$MX$AnIn1$mag$f",
      "GGIO1$ST$SPCSO1$stVal",
    ]);
    expect(response("V24b")).toEqual({ service: "defineNamedVariableList" });
    expect(response("V25b")).toMatchObject({ mmsDeletable: true });
    expect(request("V27a")).toEqual({
      service: "deleteNamedVariableList",
      scopeOfDelete: 0,
      listOfVariableListName: [{ scope: "domain", domainId: "simpleIOGenericIO", itemId: "LLN0$TestDS" }],
      domainName: undefined,
    });
    expect(response("V27b")).toEqual({
      service: "deleteNamedVariableList",
      numberMatched: 1,
      numberDeleted: 1,
    });
    expect(request("V28a")).toMatchObject({ variableListName: { scope: "aa", itemId: "@AADS" } });
    expect(request("V29a")).toMatchObject({ listOfVariableListName: [{ scope: "aa", itemId: "@AADS" }] });
  });
  it("V26: read of a named variable list with the specification echoed", () => {
    expect(request("V26a")).toMatchObject({
      specificationWithResult: true,
      variableAccessSpecification: { kind: "variableListName", name: { itemId: "LLN0$TestDS" } },
    });
    expect(response("V26b")).toMatchObject({
      variableAccessSpecification: { kind: "variableListName" },
      results: [{ data: { type: "floatingPoint", value: 1.5 } }, { data: { type: "boolean", value: true } }],
    });
  });
  it("V30–V37: file services", () => {
    expect(request("V30a")).toEqual({
      service: "fileDirectory",
      fileSpecification: [""],
      continueAfter: undefined,
    });
    expect(response("V30b")).toEqual({
      service: "fileDirectory",
      entries: [{ fileName: ["test.txt"], sizeOfFile: 23, lastModified: new Date("2026-11-25T16:31:12Z") }],
      moreFollows: false,
    });
    expect(request("V31a")).toEqual({ service: "fileOpen", fileName: ["test.txt"], initialPosition: 0 });
    expect(response("V31b")).toMatchObject({ service: "fileOpen", frsmId: 0, sizeOfFile: 23 });
    expect(request("V32a")).toEqual({ service: "fileRead", frsmId: 0 });
    const fr = response("V32b");
    if (fr.service !== "fileRead") throw new Error();
    expect(new TextDecoder().decode(fr.fileData)).toBe("Hello MMS file service\n");
    expect(fr.moreFollows).toBe(false);
    expect(request("V33a")).toEqual({ service: "fileClose", frsmId: 0 });
    expect(response("V33b")).toEqual({ service: "fileClose" });
    expect(request("V35a")).toMatchObject({ service: "fileRename", currentFileName: ["test.txt"] });
    expect(request("V36.83")).toEqual({
      service: "obtainFile",
      sourceFileServer: undefined,
      sourceFile: ["up.txt"],
      destinationFile: ["obtained.txt"],
    });
    expect(response("V36.91")).toEqual({ service: "obtainFile" });
    expect(request("V37a")).toEqual({ service: "fileDelete", fileName: ["obtained.txt"] });
    expect(response("V37b")).toEqual({ service: "fileDelete" });
  });
  it("V34b: confirmed-ErrorPDU class file, file-non-existent", () => {
    expect(pdu("V34b")).toEqual({
      type: "confirmedError",
      invokeId: 22,
      modifierPosition: undefined,
      error: {
        errorClass: "file",
        code: 7,
        additionalCode: undefined,
        additionalDescription: undefined,
        serviceSpecificInformation: undefined,
      },
    });
  });
  it("V35b / V50b: rejects", () => {
    expect(pdu("V35b")).toEqual({
      type: "reject",
      originalInvokeId: 23,
      problem: { kind: "confirmedRequest", code: 1 },
    });
    expect(pdu("V50b")).toEqual({
      type: "reject",
      originalInvokeId: undefined,
      problem: { kind: "pduError", code: 0 },
    });
    expect(pdu("V50a")).toEqual({ type: "cancelRequest", invokeId: 0x22 });
  });
  it("V38b: RCB values (visible-string, boolean, unsigned, bit-strings, octet-string, binary-time)", () => {
    const r = response("V38b");
    if (r.service !== "read") throw new Error();
    const s = r.results[0];
    if (!s?.success || s.data.type !== "structure") throw new Error();
    const v = s.data.value;
    expect(v[0]).toEqual({ type: "visibleString", value: "Measurements" });
    expect(v[1]).toEqual({ type: "boolean", value: false });
    expect(v[3]).toEqual({ type: "unsigned", value: 1 });
    const optFlds = v[4];
    if (optFlds?.type !== "bitString") throw new Error();
    expect(bitStringToBits(optFlds.value).map(Number).join("")).toBe("0111101110");
    expect(v).toContainEqual({ type: "unsigned", value: 1000 });
    expect(v).toContainEqual({ type: "binaryTime", value: { msSinceMidnight: 0, days: 0 } });
  });
  it("V40: InformationReport RPT with 8 values and reason codes", () => {
    const p = pdu("V40");
    if (p.type !== "unconfirmed" || p.service.service !== "informationReport") throw new Error();
    expect(p.service.variableAccessSpecification).toEqual({
      kind: "variableListName",
      name: { scope: "vmd", itemId: "RPT" },
    });
    const values = p.service.results.map((r) => (r.success ? r.data : undefined));
    expect(values[0]).toEqual({ type: "visibleString", value: "Measurements" });
    expect(values).toContainEqual({ type: "binaryTime", value: { msSinceMidnight: 59538510, days: 15669 } });
    const floats = JSON.stringify(values).match(/"floatingPoint","value":(-?[\d.]+)/g);
    expect(floats).toEqual(
      expect.arrayContaining(['"floatingPoint","value":1.5', '"floatingPoint","value":-2.25']),
    );
    expect(JSON.stringify(values)).toContain('"floatingPoint","value":100');
  });
  it("V41: ReadJournal request and response", () => {
    expect(request("V41a")).toEqual({
      service: "readJournal",
      journalName: { scope: "domain", domainId: "simpleIOGenericIO", itemId: "LLN0$EventLog" },
      rangeStart: { kind: "startingTime", time: { msSinceMidnight: 21242822, days: 15600 } },
      rangeStop: { kind: "endingTime", time: { msSinceMidnight: 59642822, days: 15669 } },
      listOfVariables: undefined,
      entryToStartAfter: undefined,
    });
    const r = response("V41b");
    if (r.service !== "readJournal") throw new Error();
    expect(r.moreFollows).toBe(false);
    const e = r.entries[0]!;
    expect(e.originatingApplication).toEqual({
      apTitle: undefined,
      apInvocationId: undefined,
      aeQualifier: undefined,
      aeInvocationId: undefined,
    });
    expect(e.entryContent.occurrenceTime).toEqual({ msSinceMidnight: 59639823, days: 15669 });
    if (e.entryContent.form.kind !== "data") throw new Error();
    expect(e.entryContent.form.listOfVariables?.map((x) => x.variableTag)).toEqual([
      "simpleIOGenerioIO/GPIO1$ST$SPCSO1$stVal",
      "ReasonCode",
      "simpleIOGenerioIO/GPIO1$ST$SPCSO1$t",
      "ReasonCode",
    ]);
    expect(e.entryContent.form.listOfVariables?.[0]?.value).toEqual({ type: "integer", value: 123 });
  });
  it("V05/V06/V10: initiate parameters", () => {
    const q = pdu("V47a+V47b");
    expect(q).toMatchObject({
      type: "initiateRequest",
      localDetail: 65000,
      maxServOutstandingCalling: 5,
      maxServOutstandingCalled: 5,
      dataStructureNestingLevel: 10,
      version: 1,
    });
    if (q.type !== "initiateRequest") throw new Error();
    expect(q.parameterCbb.bitLength).toBe(11);
    expect(q.servicesSupported.bitLength).toBe(85);
    expect(bitStringEquals(q.parameterCbb, { bytes: Uint8Array.of(0xf1, 0x00), bitLength: 11 })).toBe(true);
    expect(pdu("V06")).toMatchObject({
      type: "initiateResponse",
      localDetail: 65000,
      dataStructureNestingLevel: 10,
    });
    expect(pdu("V10")).toMatchObject({
      type: "initiateRequest",
      localDetail: 32000,
      maxServOutstandingCalling: 20,
      dataStructureNestingLevel: 4,
    });
    expect(pdu("V42a")).toEqual({ type: "concludeRequest" });
    expect(pdu("V42b")).toEqual({ type: "concludeResponse" });
  });
  it("V49: reassembled read response of the FC-structure GGIO1$MX", () => {
    expect(response("V49b+V49c")).toMatchObject({
      service: "read",
      results: [{ success: true, data: { type: "structure" } }],
    });
  });
  it("V51: SystemCorp write of an Oper structure (ctlVal TRUE, origin, utc-time, Check)", () => {
    const q = request("V51");
    if (q.service !== "write") throw new Error();
    const oper = q.listOfData[0];
    if (oper?.type !== "structure") throw new Error();
    expect(oper.value[0]).toEqual({ type: "boolean", value: true });
    expect(oper.value[1]).toEqual({
      type: "structure",
      value: [
        { type: "integer", value: 0 },
        { type: "octetString", value: new TextEncoder().encode("127.0.0.1") },
      ],
    });
  });
});
