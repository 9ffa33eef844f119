import type { ConfirmedServiceResponse, MmsPdu } from "@mms/pdu";
import { describe, expect, it } from "vitest";
import { MmsResponder, MmsServiceFailure } from "../src/index";

const identifyResponse: ConfirmedServiceResponse = {
  service: "identify",
  vendorName: "v",
  modelName: "m",
  revision: "r",
  abstractSyntaxes: undefined,
};

function setup(
  handle: (invokeId: number) => ConfirmedServiceResponse | Promise<ConfirmedServiceResponse>,
  max = 2,
) {
  const sent: MmsPdu[] = [];
  const errors: unknown[] = [];
  const r = new MmsResponder({
    maxOutstanding: max,
    send: (p) => sent.push(p),
    handle: (_req, id) => handle(id),
    supports: (s) => s !== "fileOpen",
    onHandlerError: (e) => errors.push(e),
  });
  return { r, sent, errors };
}

const req = (invokeId: number, service: "identify" | "fileOpen" = "identify"): MmsPdu =>
  service === "identify"
    ? { type: "confirmedRequest", invokeId, request: { service: "identify" } }
    : {
        type: "confirmedRequest",
        invokeId,
        request: { service: "fileOpen", fileName: ["x"], initialPosition: 0 },
      };

describe("MmsResponder (ISO 9506-2 §7.3 rejects)", () => {
  it("answers synchronously handled requests at once", () => {
    const { r, sent } = setup(() => identifyResponse);
    expect(r.receive(req(9))).toBe("ok");
    expect(sent).toEqual([{ type: "confirmedResponse", invokeId: 9, response: identifyResponse }]);
  });

  it("rejects unrecognized services, modifiers, duplicate invokeIDs and too many outstanding", async () => {
    const waiters: Array<() => void> = [];
    const { r, sent } = setup(
      () =>
        new Promise<ConfirmedServiceResponse>((res) => {
          waiters.push(() => res(identifyResponse));
        }),
    );
    r.receive(req(1, "fileOpen"));
    r.receive({
      type: "confirmedRequest",
      invokeId: 2,
      request: { service: "identify" },
      modifiers: Uint8Array.of(0x30, 0),
    });
    r.receive({
      type: "confirmedRequest",
      invokeId: 3,
      request: { service: "unknown", tag: 99, raw: Uint8Array.of(0x9f, 0x63, 0) },
    });
    r.receive(req(10));
    r.receive(req(10));
    r.receive(req(11));
    r.receive(req(12));
    const problems = sent.map((p) => (p.type === "reject" ? [p.originalInvokeId, p.problem.code] : p.type));
    expect(problems).toEqual([
      [1, 1],
      [2, 2],
      [3, 1],
      [10, 3],
      [12, 6],
    ]);
    for (const w of waiters) w();
    await new Promise((res) => setTimeout(res, 0));
    expect(
      sent.filter((p) => p.type === "confirmedResponse").map((p) => (p as { invokeId: number }).invokeId),
    ).toEqual([10, 11]);
    expect(r.outstandingCount).toBe(0);
  });

  it("turns MmsServiceFailure into a confirmed-Error and other throws into service/other", async () => {
    let n = 0;
    const { r, sent, errors } = setup(() => {
      n++;
      if (n === 1) throw new MmsServiceFailure("access", 3);
      if (n === 2) throw new Error("bug");
      return Promise.reject(new MmsServiceFailure("definition", 5));
    });
    r.receive(req(1));
    r.receive(req(2));
    r.receive(req(3));
    await new Promise((res) => setTimeout(res, 0));
    expect(
      sent.map((p) => (p.type === "confirmedError" ? [p.invokeId, p.error.errorClass, p.error.code] : p)),
    ).toEqual([
      [1, "access", 3],
      [2, "service", 0],
      [3, "definition", 5],
    ]);
    expect(errors).toHaveLength(1);
  });

  it("concludes only with nothing outstanding; requests after conclude are rejected", () => {
    const pending: Array<() => void> = [];
    const { r, sent } = setup(() => new Promise((res) => pending.push(() => res(identifyResponse))));
    r.receive(req(1));
    expect(r.receive({ type: "concludeRequest" })).toBe("ok");
    expect(sent.at(-1)).toMatchObject({ type: "concludeError", error: { errorClass: "conclude", code: 1 } });
    const { r: r2, sent: s2 } = setup(() => identifyResponse);
    expect(r2.receive({ type: "concludeRequest" })).toBe("concluded");
    expect(s2.at(-1)).toEqual({ type: "concludeResponse" });
    expect(r2.receive(req(5))).toBe("rejected");
  });

  it("answers cancel, stray responses and invalid PDUs as the standard says", () => {
    const { r, sent } = setup(() => identifyResponse);
    r.receive({ type: "cancelRequest", invokeId: 4 });
    r.receive({ type: "confirmedResponse", invokeId: 4, response: identifyResponse });
    r.receiveInvalid(undefined, true);
    r.receiveInvalid(7, false);
    r.receive({ type: "initiateResponse" } as MmsPdu);
    expect(sent).toEqual([
      { type: "cancelError", invokeId: 4, error: expect.objectContaining({ errorClass: "cancel", code: 1 }) },
      { type: "reject", originalInvokeId: 4, problem: { kind: "confirmedResponse", code: 2 } },
      { type: "reject", originalInvokeId: undefined, problem: { kind: "pduError", code: 0 } },
      { type: "reject", originalInvokeId: 7, problem: { kind: "confirmedRequest", code: 4 } },
      { type: "reject", originalInvokeId: undefined, problem: { kind: "pduError", code: 0 } },
    ]);
  });
});
