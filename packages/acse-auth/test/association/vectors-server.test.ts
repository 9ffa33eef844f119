import {
  ACSE_TRANSITIONS,
  type AcceptOptions,
  AcseMachine,
  acceptAssociation,
  decodeAcseApdu,
  passwordAuthentication,
} from "@mms/acse-auth";
import { concatChain, decodeAbortPpdu, decodeSpdu, OsiUsageError } from "@mms/osi";
import { describe, expect, it } from "vitest";
import { fakeTlsInfo, memoryChannelPair } from "./memory-channel";
import { INITIATE_RESPONSE, tsduOf } from "./support";

const options = (insecure = false): AcceptOptions => ({
  policy: {
    mechanisms: [passwordAuthentication({ password: "secret" })],
    insecureAllowPasswordWithoutTls: insecure,
  },
  onRequest: () => INITIATE_RESPONSE,
});

/** Plays a libiec61850 client frame at our responder; returns what we answered. */
async function answerTo(id: string, tls: boolean, insecure = false) {
  const [a, b] = memoryChannelPair(tls ? fakeTlsInfo : undefined, tls ? fakeTlsInfo : undefined);
  const result = acceptAssociation(b, options(insecure)).then(
    (assoc) => ({ ok: true as const, assoc }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  await a.send([tsduOf(id)]);
  const r = await result;
  const spdu = decodeSpdu(b.sent[0]!);
  return { r, spdu };
}

describe("our responder against libiec61850's password AARQs (V12, V12b)", () => {
  it("V12 ('secret') over TLS is accepted: AC with an accepted AARE", async () => {
    const { r, spdu } = await answerTo("V12", true);
    expect(r.ok).toBe(true);
    expect(spdu.kind).toBe("AC");
  });

  it("V12b ('wrong') is answered with ABRT diagnostic 5 in an AB (libiec61850 just closes the TCP connection)", async () => {
    const { r, spdu } = await answerTo("V12b", true);
    expect(r.ok).toBe(false);
    expect(spdu.kind).toBe("AB");
    const aru = decodeAbortPpdu(spdu.kind === "AB" ? spdu.userData! : new Uint8Array());
    const abrt = aru.kind === "ARU" ? decodeAcseApdu(aru.userData[0]!.value) : undefined;
    expect(abrt).toMatchObject({ type: "ABRT", source: 1, diagnostic: 5 });
  });

  it("V05 (no password) where a password is required: AARE rejected-permanent, diagnostic 12, in a CPR in an RF", async () => {
    const { r, spdu } = await answerTo("V05", true);
    expect(r.ok).toBe(false);
    expect(spdu).toMatchObject({ kind: "RF", reason: 2 });
  });

  it("V12 over plain TCP: refused (diagnostic 11) unless insecureAllowPasswordWithoutTls", async () => {
    expect((await answerTo("V12", false)).spdu.kind).toBe("RF");
    expect((await answerTo("V12", false, true)).r.ok).toBe(true);
  });

  it("V08 (nmap) and V10 (third-party stack) are accepted by an open policy", async () => {
    for (const id of ["V08", "V10"]) {
      const [a, b] = memoryChannelPair();
      const p = acceptAssociation(b, {
        policy: { mechanisms: [], insecureAllowUnauthenticated: true },
        onRequest: () => INITIATE_RESPONSE,
      });
      await a.send([tsduOf(id)]);
      const assoc = await p;
      expect(assoc.peer.apTitle, id).toBeDefined();
      expect(decodeSpdu(b.sent[0]!).kind).toBe("AC");
    }
  });
});

describe("ACSE state table (ISO 8650-1 Annex A)", () => {
  it("cells: STA0 -A-ASCreq-> STA1 -AARE+-> STA5 -A-RLSreq-> STA3 -RLRE-> closed", () => {
    const m = new AcseMachine({ role: "initiator" });
    expect(m.state).toBe("STA0");
    m.associateRequest({ type: "AARQ", applicationContextName: "1.0.9506.2.3" });
    expect(m.state).toBe("STA1");
    m.receive(tsduOf("V06"));
    expect(m.state).toBe("STA5");
    m.releaseRequest();
    expect(m.state).toBe("STA3");
    m.receive(tsduOf("V44"));
    expect(m.state).toBe("closed");
  });

  it("cells: STA0 -AARQ-> STA2 -A-ASCrsp+-> STA5 -RLRQ-> STA4 -A-RLSrsp+-> closed", () => {
    const m = new AcseMachine({ role: "responder" });
    m.receive(tsduOf("V05"));
    expect(m.state).toBe("STA2");
    m.associateResponse({
      type: "AARE",
      applicationContextName: "1.0.9506.2.3",
      result: 0,
      resultSourceDiagnostic: { source: "service-user", value: 0 },
    });
    expect(m.state).toBe("STA5");
    m.receive(tsduOf("V43"));
    expect(m.state).toBe("STA4");
    m.releaseResponse();
    expect(m.state).toBe("closed");
  });

  it("missing cells: P-DATAreq in STA1 is a usage error; RLRQ in STA3 (release collision) is a protocol error", () => {
    expect(ACSE_TRANSITIONS.STA1["P-DATAreq"]).toBeUndefined();
    const m = new AcseMachine({ role: "initiator" });
    m.associateRequest({ type: "AARQ", applicationContextName: "1.0.9506.2.3" });
    expect(() => m.dataRequest([Uint8Array.of(0)])).toThrow(OsiUsageError);
    m.receive(tsduOf("V06"));
    m.releaseRequest();
    expect(ACSE_TRANSITIONS.STA3.RLRQ).toBeUndefined();
    const ev = m.receive(tsduOf("V43"));
    expect(ev.type).toBe("protocol-error");
    expect(m.state).toBe("closed");
  });

  it("an AARE- travels in a CPR in an RF and is reported as associate-refused with its diagnostic", () => {
    const r = new AcseMachine({ role: "responder" });
    r.receive(tsduOf("V05"));
    const rf = concatChain(
      r.associateResponse({
        type: "AARE",
        applicationContextName: "1.0.9506.2.3",
        result: 1,
        resultSourceDiagnostic: { source: "service-user", value: 12 },
      }),
    );
    const i = new AcseMachine({ role: "initiator" });
    i.associateRequest({ type: "AARQ", applicationContextName: "1.0.9506.2.3" });
    expect(i.receive(rf)).toMatchObject({
      type: "associate-refused",
      aare: { result: 1, resultSourceDiagnostic: { value: 12 } },
    });
  });
});
