import type { ConfirmedServiceRequest, MmsPdu, ServiceError } from "@mms/pdu";
import { describe, expect, it } from "vitest";
import {
  MmsAbortError,
  MmsConnectionClosedError,
  MmsProtocolError,
  MmsRejectError,
  MmsRequester,
  MmsServiceError,
  MmsTimeoutError,
  MmsUsageError,
} from "../src/index";

const identify: ConfirmedServiceRequest = { service: "identify" };
const idResponse = (invokeId: number): MmsPdu => ({
  type: "confirmedResponse",
  invokeId,
  response: {
    service: "identify",
    vendorName: "v",
    modelName: "m",
    revision: "r",
    abstractSyntaxes: undefined,
  },
});
const error: ServiceError = {
  errorClass: "access",
  code: 2,
  additionalCode: undefined,
  additionalDescription: undefined,
  serviceSpecificInformation: undefined,
};

function setup(maxOutstanding = 2, sendCancel = false) {
  const sent: MmsPdu[] = [];
  const r = new MmsRequester({ maxOutstanding, send: (p) => sent.push(p), sendCancel });
  const ids = () =>
    sent.filter((p) => p.type === "confirmedRequest").map((p) => (p as { invokeId: number }).invokeId);
  return { r, sent, ids };
}

describe("MmsRequester", () => {
  it("keeps at most maxOutstanding in flight and sends the rest FIFO as answers come", async () => {
    const { r, ids } = setup(2);
    const ps = [1, 2, 3, 4].map(() => r.request(identify));
    expect(ids()).toEqual([1, 2]);
    expect(r.outstandingCount).toBe(2);
    expect(r.queuedCount).toBe(2);
    expect(r.receive(idResponse(2))).toBe("handled");
    expect(ids()).toEqual([1, 2, 3]);
    r.receive(idResponse(1));
    r.receive(idResponse(3));
    r.receive(idResponse(4));
    const all = await Promise.all(ps);
    expect(all.every((x) => x.service === "identify")).toBe(true);
    expect(r.outstandingCount + r.queuedCount).toBe(0);
  });

  it("maps confirmed-Error, Reject and a wrong response type to typed errors", async () => {
    const { r, sent } = setup(5);
    const a = r.request(identify);
    const b = r.request(identify);
    const c = r.request({ service: "status", extendedDerivation: false });
    r.receive({ type: "confirmedError", invokeId: 1, modifierPosition: undefined, error });
    r.receive({ type: "reject", originalInvokeId: 2, problem: { kind: "confirmedRequest", code: 1 } });
    r.receive(idResponse(3));
    const ea = await a.catch((e: unknown) => e);
    expect(ea).toBeInstanceOf(MmsServiceError);
    expect(ea).toMatchObject({
      code: "service-error",
      errorClass: "access",
      errorCode: 2,
      service: "identify",
    });
    await expect(b).rejects.toMatchObject({ code: "reject", problem: { kind: "confirmedRequest", code: 1 } });
    await expect(b).rejects.toBeInstanceOf(MmsRejectError);
    await expect(c).rejects.toBeInstanceOf(MmsProtocolError);
    // ISO 9506-2 §7.3: a response of the wrong service is rejected as invalid-result.
    expect(sent.at(-1)).toEqual({
      type: "reject",
      originalInvokeId: 3,
      problem: { kind: "confirmedResponse", code: 3 },
    });
  });

  it("rejects answers to unknown invokeIDs, drops late answers to abandoned ones", async () => {
    const { r, sent } = setup(1);
    expect(r.receive(idResponse(77))).toBe("rejected");
    expect(sent.at(-1)).toEqual({
      type: "reject",
      originalInvokeId: 77,
      problem: { kind: "confirmedResponse", code: 2 },
    });
    const p = r.request(identify, { deadline: 100, timeoutMs: 5 });
    expect(r.nextDeadline()).toBe(100);
    r.handleTimeout(99);
    r.handleTimeout(100);
    await expect(p).rejects.toBeInstanceOf(MmsTimeoutError);
    const n = sent.length;
    expect(r.receive(idResponse(1))).toBe("handled"); // late: dropped silently
    expect(sent.length).toBe(n);
  });

  it("times out queued requests too, and frees the slot of a timed-out one", async () => {
    const { r, ids } = setup(1);
    const a = r.request(identify, { deadline: 10 });
    const b = r.request(identify, { deadline: 20 });
    const c = r.request(identify);
    r.handleTimeout(10);
    await expect(a).rejects.toMatchObject({ code: "timeout" });
    expect(ids()).toEqual([1, 2]);
    r.handleTimeout(20);
    await expect(b).rejects.toMatchObject({ code: "timeout" });
    expect(ids()).toEqual([1, 2, 3]);
    r.receive(idResponse(3));
    await expect(c).resolves.toMatchObject({ service: "identify" });
  });

  it("aborts by signal: queued ones never go out, outstanding ones send a cancel when supported", async () => {
    const { r, sent, ids } = setup(1, true);
    const ac1 = new AbortController();
    const ac2 = new AbortController();
    const a = r.request(identify, { signal: ac1.signal });
    const b = r.request(identify, { signal: ac2.signal });
    ac2.abort("no");
    await expect(b).rejects.toBeInstanceOf(MmsAbortError);
    ac1.abort("stop");
    await expect(a).rejects.toMatchObject({ code: "aborted", cause: "stop" });
    expect(sent.at(-1)).toEqual({ type: "cancelRequest", invokeId: 1 });
    expect(ids()).toEqual([1]);
    const pre = new AbortController();
    pre.abort();
    await expect(r.request(identify, { signal: pre.signal })).rejects.toBeInstanceOf(MmsAbortError);
  });

  it("close rejects everything pending and every later request with connection-closed", async () => {
    const { r } = setup(1);
    const a = r.request(identify);
    const b = r.request(identify);
    r.close(new Error("peer aborted"));
    await expect(a).rejects.toBeInstanceOf(MmsConnectionClosedError);
    await expect(b).rejects.toMatchObject({ code: "connection-closed" });
    await expect(r.request(identify)).rejects.toBeInstanceOf(MmsConnectionClosedError);
  });

  it("refuses nonsense limits and a full queue", async () => {
    expect(() => new MmsRequester({ maxOutstanding: 0, send: () => undefined })).toThrow(MmsUsageError);
    const r = new MmsRequester({ maxOutstanding: 1, maxQueued: 1, send: () => undefined });
    void r.request(identify).catch(() => undefined);
    void r.request(identify).catch(() => undefined);
    await expect(r.request(identify)).rejects.toBeInstanceOf(MmsUsageError);
    r.close();
  });

  it("wraps invokeIDs at 2^32 - 1 and skips ids in use", async () => {
    const sent: MmsPdu[] = [];
    const r = new MmsRequester({ maxOutstanding: 3, send: (p) => sent.push(p), firstInvokeId: 0xffff_fffe });
    const ps = [1, 2, 3].map(() => r.request(identify).catch((e: unknown) => e));
    expect(sent.map((p) => (p as { invokeId: number }).invokeId)).toEqual([0xffff_fffe, 0xffff_ffff, 0]);
    r.close();
    expect((await Promise.all(ps)).every((e) => e instanceof MmsConnectionClosedError)).toBe(true);
  });
});
