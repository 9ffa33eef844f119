import { BerDecodeError, BerReader, BerWriter } from "@mms/asn1";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeMmsPdu,
  encodeMmsPdu,
  mmsPduCodec,
  readData,
  readTypeSpecification,
  readVariableAccessSpecification,
  defaultPduLimits,
  writeData,
  writeTypeSpecification,
  writeVariableAccessSpecification,
} from "../src/index";
import { anyPdu, data, pdus, requests, responses, typeSpecification, vas } from "./helpers/arbitraries";

const RUNS = { numRuns: 150 };

describe("property round trips (encode → decode gives the value back)", () => {
  for (const [name, arb] of Object.entries(pdus)) {
    it(`MMSpdu ${name}`, () => {
      fc.assert(
        fc.property(arb, (pdu) => {
          const bytes = encodeMmsPdu(pdu);
          expect(decodeMmsPdu(bytes)).toEqual(pdu);
        }),
        RUNS,
      );
    });
  }
  for (const [name, arb] of Object.entries(requests)) {
    it(`confirmed request ${name}`, () => {
      fc.assert(
        fc.property(fc.nat(), arb, (invokeId, request) => {
          const pdu = { type: "confirmedRequest" as const, invokeId, request, modifiers: undefined };
          expect(decodeMmsPdu(encodeMmsPdu(pdu))).toEqual(pdu);
        }),
        { numRuns: 60 },
      );
    });
  }
  for (const [name, arb] of Object.entries(responses)) {
    it(`confirmed response ${name}`, () => {
      fc.assert(
        fc.property(fc.nat(), arb, (invokeId, response) => {
          const pdu = { type: "confirmedResponse" as const, invokeId, response };
          expect(decodeMmsPdu(encodeMmsPdu(pdu))).toEqual(pdu);
        }),
        { numRuns: 60 },
      );
    });
  }
  it("Data, TypeSpecification and VariableAccessSpecification on their own", () => {
    fc.assert(
      fc.property(data, typeSpecification, vas, (d, t, v) => {
        const w = new BerWriter();
        writeData(w, d);
        writeTypeSpecification(w, t);
        writeVariableAccessSpecification(w, v);
        const r = new BerReader(w.toBytes());
        expect(readData(r, defaultPduLimits, 0)).toEqual(d);
        expect(readTypeSpecification(r, defaultPduLimits, 0)).toEqual(t);
        expect(readVariableAccessSpecification(r, defaultPduLimits)).toEqual(v);
        r.expectEnd();
      }),
      RUNS,
    );
  });
  it("the Codec seam and a reused writer give the same bytes", () => {
    const w = new BerWriter(16);
    fc.assert(
      fc.property(anyPdu, (pdu) => {
        const a = encodeMmsPdu(pdu).slice();
        const b = encodeMmsPdu(pdu, w);
        expect(b).toEqual(a);
        const r = new BerReader(a);
        expect(mmsPduCodec.decode(r)).toEqual(pdu);
      }),
      RUNS,
    );
  });
});

describe("prefix and trailing-data rejection", () => {
  it("every strict prefix of an encoding fails with BerDecodeError", () => {
    fc.assert(
      fc.property(anyPdu, (pdu) => {
        const bytes = encodeMmsPdu(pdu).slice();
        for (let n = 0; n < bytes.length; n++) {
          // Null PDUs (`8b 00`) have no shorter valid form; every prefix must still throw.
          expect(() => decodeMmsPdu(bytes.subarray(0, n))).toThrow(BerDecodeError);
        }
      }),
      { numRuns: 80 },
    );
  });
  it("an extra octet after the PDU fails with trailing-data", () => {
    fc.assert(
      fc.property(anyPdu, fc.integer({ min: 0, max: 255 }), (pdu, extra) => {
        const enc = encodeMmsPdu(pdu);
        const bytes = new Uint8Array(enc.length + 1);
        bytes.set(enc);
        bytes[enc.length] = extra;
        try {
          decodeMmsPdu(bytes);
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(BerDecodeError);
          expect((e as BerDecodeError).code).toBe("trailing-data");
        }
      }),
      { numRuns: 80 },
    );
  });
});
