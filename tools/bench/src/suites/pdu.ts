/**
 * @mms/pdu against asn1js 4 on the same MMS PDU octets, in the same run: our typed decode
 * (`decodeMmsPdu`, every value materialised) + encode (`encodeMmsPdu` into a reused writer)
 * versus asn1js generic `fromBER` + `toBER`:
 * - `pdu.read-request`: V17a's Read request (one domain-specific variable);
 * - `pdu.read-response-100f`: a Read response with 100 floating-point values;
 * - `pdu.info-report-20`: an IEC 61850 report InformationReport with 20 access results;
 * - `pdu.namelist-100`: a GetNameList response with 100 identifiers.
 * Both sides must reproduce the input octets (checked once before measuring).
 */
import { BerWriter, bitStringFromBits } from "@mms/asn1";
import {
  type AccessResult,
  type Data,
  decodeMmsPdu,
  encodeMmsPdu,
  type MmsPdu,
  utcTimeFromDate,
} from "@mms/pdu";
import { fromBER } from "asn1js";
import { type Suite, versusInterleaved } from "../harness";

function hexBytes(h: string): Uint8Array {
  return Uint8Array.from(h.match(/../g)!.map((x) => Number.parseInt(x, 16)));
}

/** V17a's MMS PDU (confirmed-RequestPDU, read of simpleIOGenericIO/GGIO1$MX$AnIn1$mag$f). */
const V17A_MMS = hexBytes(
  "a038020105a433a131a02f302da02ba1291a1173696d706c65494f47656e65726963494f1a144747494f31244d5824416e496e31246d61672466",
);

function readResponse100f(): MmsPdu {
  const results: AccessResult[] = Array.from({ length: 100 }, (_, i) => ({
    success: true,
    data: { type: "floatingPoint", value: (i - 50) * 1.25 + 0.5, width: 32 },
  }));
  return {
    type: "confirmedResponse",
    invokeId: 5,
    response: { service: "read", variableAccessSpecification: undefined, results },
  };
}

function infoReport20(): MmsPdu {
  const t = utcTimeFromDate(Date.UTC(2026, 10, 25, 16, 32, 18, 510), 0x0a);
  const q = bitStringFromBits(new Array<boolean>(13).fill(false));
  const mv = (f: number): Data => ({
    type: "structure",
    value: [
      { type: "structure", value: [{ type: "floatingPoint", value: f, width: 32 }] },
      { type: "bitString", value: q },
      { type: "utcTime", value: t },
    ],
  });
  const header: Data[] = [
    { type: "visibleString", value: "Measurements" },
    {
      type: "bitString",
      value: bitStringFromBits([false, true, true, true, true, false, false, true, true, false]),
    },
    { type: "unsigned", value: 7 },
    { type: "binaryTime", value: { msSinceMidnight: 59538510, days: 15669 } },
    { type: "visibleString", value: "simpleIOGenericIO/LLN0$Measurements" },
    { type: "octetString", value: hexBytes("000001a2138d044e") },
    { type: "unsigned", value: 1 },
    { type: "bitString", value: bitStringFromBits(new Array<boolean>(8).fill(true)) },
  ];
  const values = [1.5, -2.25, 100, 3.75, 0.5, 12.25, 8, -1];
  const reasons: Data[] = values.map(() => ({
    type: "bitString",
    value: bitStringFromBits([false, false, true, false, false, false, false]),
  }));
  const data = [...header, ...values.map(mv), ...reasons].slice(0, 20);
  return {
    type: "unconfirmed",
    service: {
      service: "informationReport",
      variableAccessSpecification: { kind: "variableListName", name: { scope: "vmd", itemId: "RPT" } },
      results: data.map((d) => ({ success: true, data: d })),
    },
  };
}

function nameList100(): MmsPdu {
  const identifiers = Array.from({ length: 100 }, (_, i) => `GGIO${1 + (i % 9)}$MX$AnIn${i}$mag$f`);
  return {
    type: "confirmedResponse",
    invokeId: 3,
    response: { service: "getNameList", identifiers, moreFollows: true },
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function compare(name: string, bytes: Uint8Array) {
  const w = new BerWriter(1024);
  const ours = (): Uint8Array => encodeMmsPdu(decodeMmsPdu(bytes), w);
  const theirs = (): ArrayBuffer => fromBER(bytes).result.toBER(false);
  if (!sameBytes(ours(), bytes)) throw new Error(`${name}: our codec does not reproduce the input`);
  if (!sameBytes(new Uint8Array(theirs()), bytes))
    throw new Error(`${name}: asn1js does not reproduce the input`);
  return versusInterleaved(name, ours, "asn1js", theirs, { bytes: bytes.length });
}

export const suite: Suite = {
  name: "pdu",
  async run() {
    return [
      compare("pdu.read-request", V17A_MMS),
      compare("pdu.read-response-100f", encodeMmsPdu(readResponse100f()).slice()),
      compare("pdu.info-report-20", encodeMmsPdu(infoReport20()).slice()),
      compare("pdu.namelist-100", encodeMmsPdu(nameList100()).slice()),
    ];
  },
};
