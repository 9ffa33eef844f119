import type { External } from "@mms/asn1";
import {
  type Aare,
  type Aarq,
  AcseMachine,
  AcseProtocolError,
  AssociationRefusedError,
  acceptAssociation,
  associate,
  AuthenticationError,
  AUTHENTICATION_REQUIREMENT,
  decodeAcseApdu,
  passwordAuthentication,
} from "@mms/acse-auth";
import type { SecurityEvent } from "@mms/io";
import { decodeAbortPpdu, decodeSpdu } from "@mms/osi";
import { describe, expect, it } from "vitest";
import { fakeTlsInfo, memoryChannelPair } from "./memory-channel";
import { INITIATE_REQUEST, INITIATE_RESPONSE, toHex, tsduOf } from "./support";

// ISO 8650-1 / X.227: the authentication functional unit is negotiated by the `authentication`
// bit of sender-/responder-acse-requirements; docs/acse-authentication.md "Requirements bit".

const mms = (value: Uint8Array): External => ({
  directReference: undefined,
  indirectReference: 3,
  dataValueDescriptor: undefined,
  encoding: { type: "single-ASN1-type", value },
});

const BASE_AARQ: Aarq = {
  type: "AARQ",
  applicationContextName: "1.0.9506.2.3",
  called: { apTitle: "1.1.1.999.1", aeQualifier: 12 },
  calling: { apTitle: "1.1.1.999", aeQualifier: 12 },
  userInformation: [mms(INITIATE_REQUEST)],
};

/** Session AB + presentation ARU (context 1) + ABRT {source service-provider (1), diagnostic}. */
const ABRT_PROTOCOL_ERROR = "191811010bc113a011610f300d020101a0086406800101810102";
const ABRT_AUTHENTICATION_REQUIRED = "191811010bc113a011610f300d020101a0086406800101810106";

const password = passwordAuthentication({ password: "secret" });
const secret = { type: "charstring", value: "secret" } as const;

/** Plays a crafted AARQ at our responder (over "TLS"); returns the outcome and the reply TSDU. */
async function answerTo(aarq: Aarq, insecure = false) {
  const [a, b] = memoryChannelPair(fakeTlsInfo, fakeTlsInfo);
  const events: SecurityEvent[] = [];
  const result = acceptAssociation(b, {
    policy: { mechanisms: [password], insecureAllowUnauthenticated: insecure },
    onRequest: () => INITIATE_RESPONSE,
    onSecurityEvent: (e) => events.push(e),
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  await a.send(new AcseMachine({ role: "initiator" }).associateRequest(aarq));
  const error = await result;
  return { error, reply: b.sent[0]!, events };
}

/** The ABRT inside a session AB + presentation ARU. */
function abrtOf(tsdu: Uint8Array) {
  const spdu = decodeSpdu(tsdu);
  if (spdu.kind !== "AB") throw new Error(`expected AB, got ${spdu.kind}`);
  const aru = decodeAbortPpdu(spdu.userData!);
  if (aru.kind !== "ARU") throw new Error("expected ARU");
  return decodeAcseApdu(aru.userData[0]!.value);
}

describe("responder: sender-acse-requirements vs the authentication fields", () => {
  it("a password value and mechanism name without the requirements bit → ABRT protocol-error (2)", async () => {
    const { error, reply, events } = await answerTo({
      ...BASE_AARQ,
      mechanismName: "2.2.3.1",
      callingAuthenticationValue: secret,
    });
    expect(error).toBeInstanceOf(AssociationRefusedError);
    expect((error as AssociationRefusedError).reply).toEqual({ kind: "abort", diagnostic: 2 });
    // AB (disconnect) + ARU on the ACSE context 1 + ABRT {source service-provider, diagnostic 2}.
    expect(toHex(reply)).toBe(ABRT_PROTOCOL_ERROR);
    expect(abrtOf(reply)).toEqual({ type: "ABRT", source: 1, diagnostic: 2, userInformation: undefined });
    expect(events.map((e) => e.code)).toContain("ALM_ACSE_AUTH_FAILED");
  });

  it("a value alone (no bit, no mechanism name) → ABRT protocol-error (2)", async () => {
    const { error, reply } = await answerTo({ ...BASE_AARQ, callingAuthenticationValue: secret });
    expect((error as AssociationRefusedError).reply).toEqual({ kind: "abort", diagnostic: 2 });
    expect(toHex(reply)).toBe(ABRT_PROTOCOL_ERROR);
  });

  it("the bit and a mechanism name but no value → ABRT authentication-required (6)", async () => {
    const { error, reply, events } = await answerTo({
      ...BASE_AARQ,
      senderAcseRequirements: AUTHENTICATION_REQUIREMENT,
      mechanismName: "2.2.3.1",
    });
    expect((error as AssociationRefusedError).reply).toEqual({ kind: "abort", diagnostic: 6 });
    expect(toHex(reply)).toBe(ABRT_AUTHENTICATION_REQUIRED);
    expect(events.map((e) => e.code)).toContain("ALM_ACSE_AUTH_MISSING");
  });

  it("the bit alone (no mechanism name, no value) → AARE rejected-permanent 12, even when unauthenticated peers are allowed", async () => {
    const { error, reply } = await answerTo(
      { ...BASE_AARQ, senderAcseRequirements: AUTHENTICATION_REQUIREMENT },
      true,
    );
    expect((error as AssociationRefusedError).reply).toEqual({ kind: "aare", diagnostic: 12 });
    // RF + CPR + AARE rejected-permanent, service-user diagnostic 12 (a3 05 a1 03 02 01 0c).
    expect(toHex(reply)).toBe(
      "0c2e1101013229023026830400000001611e301c020101a0176115a107060528ca220203a203020101a305a10302010c",
    );
  });

  it("the bit compared by bits: a one-bit BIT STRING {authentication} with the password is accepted", async () => {
    const { error, reply } = await answerTo({
      ...BASE_AARQ,
      senderAcseRequirements: { bytes: Uint8Array.of(0x80), bitLength: 1 },
      mechanismName: "2.2.3.1",
      callingAuthenticationValue: secret,
    });
    expect(error).toBeUndefined();
    expect(decodeSpdu(reply).kind).toBe("AC");
  });

  it("no bit, no fields, with insecureAllowUnauthenticated: accepted as before", async () => {
    const { error } = await answerTo(BASE_AARQ, true);
    expect(error).toBeUndefined();
  });
});

/** Runs our initiator against a scripted responder that answers with `aare`. */
async function initiateAgainst(
  aare: Partial<Aare>,
  authentication: Parameters<typeof associate>[1]["authentication"],
) {
  const [a, b] = memoryChannelPair(fakeTlsInfo, fakeTlsInfo);
  const events: SecurityEvent[] = [];
  const result = associate(a, {
    authentication,
    userData: INITIATE_REQUEST,
    onSecurityEvent: (e) => events.push(e),
    timeoutMs: 5000,
  }).then(
    (assoc) => assoc,
    (e: unknown) => e,
  );
  const responder = new AcseMachine({ role: "responder" });
  const it = b[Symbol.asyncIterator]();
  const cn = await it.next();
  expect(responder.receive(cn.value as Uint8Array).type).toBe("associate-indication");
  await b.send(
    responder.associateResponse({
      type: "AARE",
      applicationContextName: "1.0.9506.2.3",
      result: 0,
      resultSourceDiagnostic: { source: "service-user", value: 0 },
      userInformation: [mms(INITIATE_RESPONSE)],
      ...aare,
    }),
  );
  const outcome = await result;
  return { outcome, sent: a.sent, events };
}

describe("initiator: responder-acse-requirements vs the authentication fields", () => {
  it("associate() with the password mechanism sends the requirements bit: the CN equals V12 byte for byte", async () => {
    const [a] = memoryChannelPair(fakeTlsInfo, fakeTlsInfo);
    void associate(a, { authentication: password, userData: INITIATE_REQUEST, timeoutMs: 200 }).catch(
      () => undefined,
    );
    await new Promise((r) => setImmediate(r));
    expect(toHex(a.sent[0]!)).toBe(toHex(tsduOf("V12")));
    a.destroy();
  });

  it("an AARE with a responding value but no requirements bit → ABRT protocol-error (2)", async () => {
    const { outcome, sent, events } = await initiateAgainst(
      { mechanismName: "2.2.3.1", respondingAuthenticationValue: secret },
      password,
    );
    expect(outcome).toBeInstanceOf(AcseProtocolError);
    expect((outcome as AcseProtocolError).code).toBe("authentication-without-requirement");
    expect(toHex(sent.at(-1)!)).toBe(ABRT_PROTOCOL_ERROR);
    expect(events.map((e) => e.code)).toContain("ALM_ACSE_AUTH_FAILED");
  });

  it("an AARE with the requirements bit but no value when we require responder authentication → ABRT 6", async () => {
    const { outcome, sent } = await initiateAgainst(
      { responderAcseRequirements: AUTHENTICATION_REQUIREMENT, mechanismName: "2.2.3.1" },
      password,
    );
    expect(outcome).toBeInstanceOf(AuthenticationError);
    expect((outcome as AuthenticationError).reply).toEqual({ kind: "abort", diagnostic: 6 });
    expect(toHex(sent.at(-1)!)).toBe(ABRT_AUTHENTICATION_REQUIRED);
  });

  it("an AARE selecting authentication we did not propose → ABRT protocol-error (2)", async () => {
    const { outcome, sent } = await initiateAgainst(
      {
        responderAcseRequirements: AUTHENTICATION_REQUIREMENT,
        mechanismName: "2.2.3.1",
        respondingAuthenticationValue: secret,
      },
      "insecure-none",
    );
    expect((outcome as AcseProtocolError).code).toBe("authentication-not-proposed");
    expect(toHex(sent.at(-1)!)).toBe(ABRT_PROTOCOL_ERROR);
  });

  it("the bit and a value with the password on both sides: accepted", async () => {
    const { outcome } = await initiateAgainst(
      {
        responderAcseRequirements: AUTHENTICATION_REQUIREMENT,
        mechanismName: "2.2.3.1",
        respondingAuthenticationValue: secret,
      },
      password,
    );
    expect(outcome).toHaveProperty("peer");
  });
});
