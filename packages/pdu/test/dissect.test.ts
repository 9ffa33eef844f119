import { bitStringFromBits } from "@mms/asn1";
import { describe, expect, it } from "vitest";
import { type Data, encodeMmsPdu, type MmsPdu, serviceError, utcTimeFromDate } from "../src/index";
import { dataFrame, mmsVectors } from "./helpers/mms-of";
import { dissectCheck, hasTshark, vectorBytes } from "./helpers/test-utils";

const dom = (itemId: string) => ({ scope: "domain" as const, domainId: "simpleIOGenericIO", itemId });
const named = (itemId: string) => ({
  variable: { kind: "name" as const, name: dom(itemId) },
  alternateAccess: undefined,
});
const list = (...items: string[]) => ({ kind: "listOfVariable" as const, list: items.map(named) });
const q = (invokeId: number, request: Extract<MmsPdu, { type: "confirmedRequest" }>["request"]): MmsPdu => ({
  type: "confirmedRequest",
  invokeId,
  request,
  modifiers: undefined,
});
const s = (
  invokeId: number,
  response: Extract<MmsPdu, { type: "confirmedResponse" }>["response"],
): MmsPdu => ({
  type: "confirmedResponse",
  invokeId,
  response,
});
const time = new Date("2026-11-25T16:31:12.250Z");
const values: Data[] = [
  {
    type: "structure",
    value: [
      { type: "floatingPoint", value: 1.5, width: 32 },
      { type: "floatingPoint", value: -2.5, width: 64 },
    ],
  },
  {
    type: "bitString",
    value: bitStringFromBits([
      false,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]),
  },
  { type: "utcTime", value: utcTimeFromDate(time, 0x0a) },
  {
    type: "array",
    value: [
      { type: "integer", value: -5 },
      { type: "unsigned", value: 4_000_000_000 },
    ],
  },
  { type: "boolean", value: true },
  { type: "octetString", value: Uint8Array.of(0, 1, 0xa2) },
  { type: "visibleString", value: "Measurements" },
  { type: "generalizedTime", value: time },
  { type: "binaryTime", value: { msSinceMidnight: 59538510, days: 15669 } },
  { type: "bcd", value: 12 },
  { type: "booleanArray", value: bitStringFromBits([true, false, true]) },
  { type: "objectId", value: "1.0.9506.2.3" },
  { type: "mmsString", value: "Zählerstand" },
  { type: "integer", value: 2n ** 62n },
];

/** PDUs built with the codecs: every PDU type and every coded service. */
const built: { dir: ">" | "<"; pdu: MmsPdu }[] = [
  { dir: ">", pdu: q(1, { service: "identify" }) },
  {
    dir: "<",
    pdu: s(1, {
      service: "identify",
      vendorName: "@mms",
      modelName: "pdu",
      revision: "0.1",
      abstractSyntaxes: ["1.0.9506.2.1"],
    }),
  },
  { dir: ">", pdu: q(2, { service: "status", extendedDerivation: true }) },
  { dir: "<", pdu: s(2, { service: "status", logicalStatus: 0, physicalStatus: 1, localDetail: undefined }) },
  {
    dir: ">",
    pdu: q(3, {
      service: "getNameList",
      objectClass: 0,
      scope: { kind: "domain", domainId: "simpleIOGenericIO" },
      continueAfter: "GGIO1$MX",
    }),
  },
  {
    dir: "<",
    pdu: s(3, {
      service: "getNameList",
      identifiers: ["GGIO1$MX$AnIn1", "GGIO1$MX$AnIn2"],
      moreFollows: false,
    }),
  },
  {
    dir: ">",
    pdu: q(4, {
      service: "read",
      specificationWithResult: true,
      variableAccessSpecification: list("GGIO1$MX$AnIn1", "LLN0$Mod"),
    }),
  },
  {
    dir: "<",
    pdu: s(4, {
      service: "read",
      variableAccessSpecification: list("GGIO1$MX$AnIn1", "LLN0$Mod"),
      results: [...values.map((data) => ({ success: true as const, data })), { success: false, error: 10 }],
    }),
  },
  {
    dir: ">",
    pdu: q(41, {
      service: "read",
      specificationWithResult: false,
      variableAccessSpecification: {
        kind: "listOfVariable",
        list: [
          {
            variable: { kind: "name", name: dom("LLN0$LG$Log") },
            alternateAccess: [
              {
                componentName: undefined,
                selection: {
                  kind: "selectAccess",
                  selector: { kind: "indexRange", lowIndex: 2, numberOfElements: 3 },
                },
              },
              {
                componentName: "entry",
                selection: {
                  kind: "selectAlternateAccess",
                  selector: { kind: "index", index: 4 },
                  alternateAccess: [
                    {
                      componentName: undefined,
                      selection: {
                        kind: "selectAccess",
                        selector: { kind: "component", component: "stVal" },
                      },
                    },
                  ],
                },
              },
            ],
          },
        ],
      },
    }),
  },
  {
    dir: ">",
    pdu: q(5, {
      service: "write",
      variableAccessSpecification: list("GGIO1$CO$SPCSO1$Oper"),
      listOfData: [values[0]!],
    }),
  },
  {
    dir: "<",
    pdu: s(5, {
      service: "write",
      results: [
        { success: true, error: undefined },
        { success: false, error: 3 },
      ],
    }),
  },
  {
    dir: ">",
    pdu: q(6, { service: "getVariableAccessAttributes", name: dom("GGIO1$MX$AnIn1"), address: undefined }),
  },
  {
    dir: "<",
    pdu: s(6, {
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
          {
            name: "arr",
            type: {
              type: "array",
              packed: false,
              numberOfElements: 4,
              elementType: { type: "visibleString", size: -64 },
            },
          },
        ],
      },
    }),
  },
  {
    dir: ">",
    pdu: q(7, {
      service: "defineNamedVariableList",
      variableListName: dom("LLN0$DS1"),
      listOfVariable: [named("GGIO1$MX$AnIn1"), named("GGIO1$ST$Ind1")],
    }),
  },
  { dir: "<", pdu: s(7, { service: "defineNamedVariableList" }) },
  { dir: ">", pdu: q(8, { service: "getNamedVariableListAttributes", variableListName: dom("LLN0$DS1") }) },
  {
    dir: "<",
    pdu: s(8, {
      service: "getNamedVariableListAttributes",
      mmsDeletable: true,
      listOfVariable: [named("GGIO1$MX$AnIn1")],
    }),
  },
  {
    dir: ">",
    pdu: q(9, {
      service: "deleteNamedVariableList",
      scopeOfDelete: 0,
      listOfVariableListName: [dom("LLN0$DS1")],
      domainName: undefined,
    }),
  },
  { dir: "<", pdu: s(9, { service: "deleteNamedVariableList", numberMatched: 1, numberDeleted: 1 }) },
  { dir: ">", pdu: q(10, { service: "fileDirectory", fileSpecification: [""], continueAfter: undefined }) },
  {
    dir: "<",
    pdu: s(10, {
      service: "fileDirectory",
      entries: [{ fileName: ["test.txt"], sizeOfFile: 23, lastModified: time }],
      moreFollows: true,
    }),
  },
  { dir: ">", pdu: q(11, { service: "fileOpen", fileName: ["test.txt"], initialPosition: 0 }) },
  { dir: "<", pdu: s(11, { service: "fileOpen", frsmId: 1, sizeOfFile: 23, lastModified: time }) },
  { dir: ">", pdu: q(12, { service: "fileRead", frsmId: 1 }) },
  {
    dir: "<",
    pdu: s(12, { service: "fileRead", fileData: new TextEncoder().encode("hello"), moreFollows: false }),
  },
  { dir: ">", pdu: q(13, { service: "fileClose", frsmId: 1 }) },
  { dir: "<", pdu: s(13, { service: "fileClose" }) },
  { dir: ">", pdu: q(14, { service: "fileRename", currentFileName: ["a.txt"], newFileName: ["b.txt"] }) },
  { dir: "<", pdu: s(14, { service: "fileRename" }) },
  { dir: ">", pdu: q(15, { service: "fileDelete", fileName: ["b.txt"] }) },
  { dir: "<", pdu: s(15, { service: "fileDelete" }) },
  {
    dir: ">",
    pdu: q(16, {
      service: "obtainFile",
      sourceFileServer: undefined,
      sourceFile: ["up.txt"],
      destinationFile: ["down.txt"],
    }),
  },
  { dir: "<", pdu: s(16, { service: "obtainFile" }) },
  {
    dir: ">",
    pdu: q(17, {
      service: "readJournal",
      journalName: dom("LLN0$EventLog"),
      rangeStart: { kind: "startingTime", time: { msSinceMidnight: 1000, days: 15600 } },
      rangeStop: { kind: "numberOfEntries", count: 10 },
      listOfVariables: undefined,
      entryToStartAfter: undefined,
    }),
  },
  {
    dir: "<",
    pdu: s(17, {
      service: "readJournal",
      entries: [
        {
          entryIdentifier: Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0),
          originatingApplication: {
            apTitle: undefined,
            apInvocationId: undefined,
            aeQualifier: undefined,
            aeInvocationId: undefined,
          },
          entryContent: {
            occurrenceTime: { msSinceMidnight: 59639823, days: 15669 },
            form: {
              kind: "data",
              event: undefined,
              listOfVariables: [
                { variableTag: "GGIO1$ST$Ind1$stVal", value: { type: "boolean", value: true } },
              ],
            },
          },
        },
      ],
      moreFollows: true,
    }),
  },
  {
    dir: ">",
    pdu: q(18, {
      service: "initializeJournal",
      journalName: dom("LLN0$EventLog"),
      limitSpecification: undefined,
    }),
  },
  { dir: "<", pdu: s(18, { service: "initializeJournal", entriesDeleted: 3 }) },
  {
    dir: "<",
    pdu: {
      type: "confirmedError",
      invokeId: 19,
      modifierPosition: undefined,
      error: { ...serviceError("file", 7), additionalDescription: "no such file" },
    },
  },
  { dir: "<", pdu: { type: "reject", originalInvokeId: 20, problem: { kind: "confirmedRequest", code: 1 } } },
  {
    dir: "<",
    pdu: {
      type: "unconfirmed",
      service: {
        service: "informationReport",
        variableAccessSpecification: { kind: "variableListName", name: { scope: "vmd", itemId: "RPT" } },
        results: values.slice(0, 6).map((data) => ({ success: true as const, data })),
      },
    },
  },
  {
    dir: "<",
    pdu: {
      type: "unconfirmed",
      service: { service: "unsolicitedStatus", logicalStatus: 1, physicalStatus: 0, localDetail: undefined },
    },
  },
  { dir: ">", pdu: { type: "cancelRequest", invokeId: 21 } },
  { dir: "<", pdu: { type: "cancelResponse", invokeId: 21 } },
  { dir: "<", pdu: { type: "cancelError", invokeId: 22, error: serviceError("cancel", 1) } },
  { dir: ">", pdu: { type: "concludeRequest" } },
  { dir: "<", pdu: { type: "concludeResponse" } },
  { dir: "<", pdu: { type: "concludeError", error: serviceError("conclude", 1) } },
];

describe("frames built with the codecs pass Wireshark's MMS dissector", () => {
  it.skipIf(!hasTshark())(
    "every PDU type and coded service, behind the libiec61850 session/presentation prefix",
    () => {
      // The association (V05/V06) first, so that Wireshark maps presentation context 3 to MMS.
      const frames = [
        { dir: ">" as const, bytes: vectorBytes("V05") },
        { dir: "<" as const, bytes: vectorBytes("V06") },
        ...built.map((b) => ({ dir: b.dir, bytes: dataFrame(encodeMmsPdu(b.pdu)) })),
      ];
      const result = dissectCheck(frames);
      expect(result.output).toContain(`${frames.length} frames, 0 with errors`);
      expect(result.ok).toBe(true);
      expect(result.output).toContain("mms");
    },
  );
  it.skipIf(!hasTshark())("re-encoded vector PDUs too", () => {
    const frames = [
      { dir: ">" as const, bytes: vectorBytes("V05") },
      { dir: "<" as const, bytes: vectorBytes("V06") },
      ...mmsVectors()
        .filter((v) => v.where === "data" && !v.ids.includes("V50c"))
        .map((v) => ({ dir: ">" as const, bytes: dataFrame(v.mms) })),
    ];
    const result = dissectCheck(frames);
    expect(result.output).toContain("0 with errors");
    expect(result.ok).toBe(true);
  });
});
