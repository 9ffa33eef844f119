import { type AcseApdu, acseApduCodec, decodeAcseApdu, encodeAcseApdu } from "@mms/acse-auth";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toHex } from "./support";

const oid = fc.constantFrom("1.1.1.999", "1.1.1.999.1", "1.3.9999.13", "2.999.1", "1.0.9506.2.3");
const int = fc.integer({ min: -1000, max: 100_000 });
const address = fc.record(
  {
    apTitle: oid,
    aeQualifier: int,
    apInvocationId: int,
    aeInvocationId: int,
  },
  { requiredKeys: [] },
);
const external = fc.record({
  directReference: fc.constantFrom(undefined, "2.1.1"),
  indirectReference: fc.constantFrom(undefined, 1, 3),
  dataValueDescriptor: fc.constant(undefined),
  encoding: fc.uint8Array({ minLength: 0, maxLength: 40 }).map((b) => ({
    type: "single-ASN1-type" as const,
    value: Uint8Array.of(0x04, b.length, ...b),
  })),
});
const authValue = fc.oneof(
  fc.string({ maxLength: 20 }).map((value) => ({ type: "charstring" as const, value })),
  fc
    .uint8Array({ maxLength: 8 })
    .map((bytes) => ({ type: "bitstring" as const, value: { bytes, bitLength: bytes.length * 8 } })),
);
const apdu: fc.Arbitrary<AcseApdu> = fc.oneof(
  fc.record(
    {
      type: fc.constant("AARQ" as const),
      applicationContextName: oid,
      called: address,
      calling: address,
      mechanismName: oid,
      callingAuthenticationValue: authValue,
      implementationInformation: fc.constant("mms-ts"),
      userInformation: fc.array(external, { maxLength: 3 }),
    },
    { requiredKeys: ["type", "applicationContextName"] },
  ),
  fc.record(
    {
      type: fc.constant("AARE" as const),
      applicationContextName: oid,
      result: fc.constantFrom(0, 1, 2),
      resultSourceDiagnostic: fc.record({
        source: fc.constantFrom("service-user" as const, "service-provider" as const),
        value: fc.integer({ min: 0, max: 14 }),
      }),
      responding: address,
      mechanismName: oid,
      respondingAuthenticationValue: authValue,
      userInformation: fc.array(external, { maxLength: 3 }),
    },
    { requiredKeys: ["type", "applicationContextName", "result", "resultSourceDiagnostic"] },
  ),
  fc.record(
    { type: fc.constant("RLRQ" as const), reason: fc.constantFrom(0, 1, 30) },
    { requiredKeys: ["type"] },
  ),
  fc.record(
    { type: fc.constant("RLRE" as const), reason: fc.constantFrom(0, 1, 30) },
    { requiredKeys: ["type"] },
  ),
  fc.record(
    {
      type: fc.constant("ABRT" as const),
      source: fc.constantFrom(0, 1),
      diagnostic: fc.integer({ min: 1, max: 6 }),
    },
    { requiredKeys: ["type", "source"] },
  ),
);

describe("ACSE APDU codec properties", () => {
  it("encode → decode → encode is the identity on octets", () => {
    fc.assert(
      fc.property(apdu, (a) => {
        const bytes = encodeAcseApdu(a);
        const again = encodeAcseApdu(decodeAcseApdu(bytes));
        expect(toHex(again)).toBe(toHex(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it("decoding never throws anything but AcseProtocolError on arbitrary input", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        try {
          decodeAcseApdu(Uint8Array.of(0x60, b.length, ...b));
        } catch (e) {
          expect((e as Error).name).toBe("AcseProtocolError");
        }
      }),
      { numRuns: 2000 },
    );
    expect(acseApduCodec).toBeDefined();
  });
});
