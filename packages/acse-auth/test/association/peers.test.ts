/**
 * peers.md §5: ACSE bug classes of other stacks, as named tests. The AARQ/AARE parser must
 * answer with a typed error (and the association with the right PDU), never crash or loop.
 */
import {
  type Aarq,
  acceptAssociation,
  AcseMachine,
  AcseProtocolError,
  associate,
  decodeAcseApdu,
} from "@mms/acse-auth";
import { concatChain, decodeAbortPpdu, decodeSpdu } from "@mms/osi";
import { describe, expect, it } from "vitest";
import { memoryChannelPair } from "./memory-channel";
import { hex, INITIATE_REQUEST, INITIATE_RESPONSE } from "./support";

/** An AARQ with the given raw fields between the application-context-name and user-information. */
function aarq(fields: Uint8Array, userInfo: Uint8Array = hex`be2f282d020103a028`): Uint8Array {
  const ui = userInfo.length === 9 ? concatChain([userInfo, INITIATE_REQUEST]) : userInfo;
  const body = concatChain([hex`a107060528ca220203`, fields, ui]);
  const len = body.length;
  return concatChain([len < 128 ? Uint8Array.of(0x60, len) : Uint8Array.of(0x60, 0x81, len), body]);
}

function expectAcseError(bytes: Uint8Array): void {
  expect(() => decodeAcseApdu(bytes)).toThrow(AcseProtocolError);
}

describe("peers.md §5: ACSE bug classes", () => {
  it("CVE-2026-56758: calling AP-title of length 0 or 1 is refused; a 1-octet OID is fine", () => {
    expectAcseError(aarq(hex`a600`));
    expectAcseError(aarq(hex`a60106`));
    expectAcseError(aarq(hex`a6020600`)); // empty OID
    expect(decodeAcseApdu(aarq(hex`a603060129`))).toMatchObject({ calling: { apTitle: "1.1" } });
  });

  it("AE-qualifier, invocation ids and authentication value of length 0 are refused", () => {
    expectAcseError(aarq(hex`a700`));
    expectAcseError(aarq(hex`a800`));
    expectAcseError(aarq(hex`ac00`));
    expectAcseError(aarq(hex`8b00`)); // mechanism-name OID of length 0
    expectAcseError(aarq(hex`8a00`)); // ACSE-requirements BIT STRING without its unused-bits octet
  });

  it("CVE-2026-68906: user-information parsing cannot loop (zero-length, unknown and too many items)", () => {
    expectAcseError(aarq(new Uint8Array(0), hex`be022800`));
    expectAcseError(aarq(new Uint8Array(0), hex`be020400`));
    const many = concatChain(Array.from({ length: 20 }, () => hex`2805a0030201 00`));
    expectAcseError(aarq(new Uint8Array(0), concatChain([Uint8Array.of(0xbe, many.length), many])));
    expect(decodeAcseApdu(aarq(new Uint8Array(0), hex`be00`))).toMatchObject({ userInformation: [] });
  });

  it("missing user data: an AARQ without the MMS initiate is refused with an AARE (no crash)", async () => {
    const [a, b] = memoryChannelPair();
    const server = acceptAssociation(b, {
      policy: { mechanisms: [], insecureAllowUnauthenticated: true },
      onRequest: () => INITIATE_RESPONSE,
    });
    const m = new AcseMachine({ role: "initiator" });
    const request: Aarq = { type: "AARQ", applicationContextName: "1.0.9506.2.3" };
    await a.send(m.associateRequest(request));
    await expect(server).rejects.toMatchObject({ reply: { kind: "aare", diagnostic: 1 } });
    const reply = decodeSpdu(b.sent[0]!);
    expect(reply.kind).toBe("RF");
  });

  it("AARE with the mandatory result missing, or a result-source-diagnostic of the wrong choice, is refused", () => {
    expectAcseError(hex`6109a107060528ca220203`);
    expectAcseError(hex`610ea107060528ca220203a203020100`);
    expectAcseError(hex`6113a107060528ca220203a203020100a305a3030201 00`);
  });

  it("unhandled exceptions close only the offending association: garbage, then a good association", async () => {
    const [a, b] = memoryChannelPair();
    const bad = acceptAssociation(b, {
      policy: { mechanisms: [], insecureAllowUnauthenticated: true },
      onRequest: () => INITIATE_RESPONSE,
    });
    await a.send([hex`0d05c103600100`]);
    await expect(bad).rejects.toBeInstanceOf(Error);
    const last = decodeSpdu(b.sent[b.sent.length - 1]!);
    expect(["AB", "RF"]).toContain(last.kind);
    if (last.kind === "AB") expect(decodeAbortPpdu(last.userData!).kind).toBe("ARU");
    const [c, d] = memoryChannelPair();
    const good = acceptAssociation(d, {
      policy: { mechanisms: [], insecureAllowUnauthenticated: true },
      onRequest: () => INITIATE_RESPONSE,
    });
    const client = await associate(c, { authentication: "insecure-none", userData: INITIATE_REQUEST });
    await good;
    await client.release();
  });
});
