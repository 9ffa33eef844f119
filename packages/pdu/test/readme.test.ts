import { describe, expect, it } from "vitest";
import { decodeMmsPdu, encodeMmsPdu, pduLimits } from "../src/index";
import { mmsVectors } from "./helpers/mms-of";

describe("README example stays true", () => {
  it("decodes V17b's 1.5 and encodes the V17a read request (with invokeID 5)", () => {
    const bytes = Uint8Array.from([
      0xa1, 0x0e, 0x02, 0x01, 0x05, 0xa4, 0x09, 0xa1, 0x07, 0x87, 0x05, 0x08, 0x3f, 0xc0, 0x00, 0x00,
    ]);
    const pdu = decodeMmsPdu(bytes, pduLimits(10));
    let value: number | undefined;
    if (pdu.type === "confirmedResponse" && pdu.response.service === "read") {
      const [first] = pdu.response.results;
      if (first?.success && first.data.type === "floatingPoint") value = first.data.value;
    }
    expect(value).toBe(1.5);
    const request = encodeMmsPdu({
      type: "confirmedRequest",
      invokeId: 5,
      modifiers: undefined,
      request: {
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
      },
    });
    expect(request).toEqual(mmsVectors().find((v) => v.ids[0] === "V17a")?.mms);
  });
});
