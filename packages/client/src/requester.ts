import type { ConfirmedServiceRequest, ConfirmedServiceResponse, MmsPdu, RejectProblem } from "@mms/pdu";
import {
  MmsAbortError,
  MmsConnectionClosedError,
  MmsProtocolError,
  MmsRejectError,
  MmsServiceError,
  MmsTimeoutError,
  MmsUsageError,
} from "./errors";

/** ISO 9506-2 §7.1: invokeID is Unsigned32. */
const MAX_INVOKE_ID = 0xffff_ffff;
/** Late answers to requests we gave up on are dropped silently for this many invokeIDs. */
const ABANDONED_MEMORY = 64;

export interface MmsRequesterOptions {
  /** Negotiated maxServOutstandingCalling (ISO 9506-2 §8.2): requests in flight at once. */
  readonly maxOutstanding: number;
  /** Hands one PDU to the transport (synchronously queued; the driver encodes and writes it). */
  readonly send: (pdu: MmsPdu) => void;
  /** Send cancel-RequestPDU for outstanding requests that are aborted (peer supports cancel). */
  readonly sendCancel?: boolean;
  /** Most requests waiting for a free invokeID slot; more is a usage error. Default 100 000. */
  readonly maxQueued?: number;
  /** First invokeID used (default 1). */
  readonly firstInvokeId?: number;
}

export interface RequestControl {
  /** Aborting rejects the request with `MmsAbortError` (cause = the signal's reason). */
  readonly signal?: AbortSignal | undefined;
  /** Absolute deadline (epoch ms, the driver's clock); see `handleTimeout`. */
  readonly deadline?: number | undefined;
  /** Timeout length reported in `MmsTimeoutError`. */
  readonly timeoutMs?: number | undefined;
}

interface Pending {
  invokeId: number;
  readonly request: ConfirmedServiceRequest;
  readonly resolve: (r: ConfirmedServiceResponse) => void;
  readonly reject: (e: Error) => void;
  readonly deadline: number | undefined;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  done: boolean;
}

/** What `receive` did with a PDU the requester was given. */
export type RequesterReceipt =
  /** The PDU answered (or concerned) one of our requests. */
  | "handled"
  /** Not for the requester: unconfirmed services, requests from the peer, initiate/conclude. */
  | "ignored"
  /** A peer protocol violation was answered with a RejectPDU (already sent). */
  | "rejected";

/**
 * The sans-IO MMS requester (ISO 9506-2 §6 "requesting MMS-user"): allocates invokeIDs, keeps
 * at most `maxOutstanding` confirmed requests in flight, queues the rest FIFO, and matches
 * confirmed-Response / confirmed-Error / Reject / cancel PDUs to their requests. Every request
 * settles exactly once: a response, or `MmsServiceError`, `MmsRejectError`, `MmsTimeoutError`,
 * `MmsAbortError`, `MmsConnectionClosedError`, `MmsProtocolError`. No timers, no sockets: the
 * driver calls `handleTimeout(now)` at `nextDeadline()`.
 */
export class MmsRequester {
  private readonly outstanding = new Map<number, Pending>();
  private readonly queue: Pending[] = [];
  private queueHead = 0;
  private readonly abandoned: number[] = [];
  private nextId: number;
  private closedWith: Error | undefined;
  private readonly maxOutstanding: number;
  private readonly maxQueued: number;
  private readonly send: (pdu: MmsPdu) => void;
  private readonly sendCancel: boolean;

  constructor(options: MmsRequesterOptions) {
    if (!Number.isInteger(options.maxOutstanding) || options.maxOutstanding < 1) {
      throw new MmsUsageError(`maxOutstanding must be a positive integer, got ${options.maxOutstanding}`);
    }
    this.maxOutstanding = options.maxOutstanding;
    this.maxQueued = options.maxQueued ?? 100_000;
    this.send = options.send;
    this.sendCancel = options.sendCancel ?? false;
    this.nextId = options.firstInvokeId ?? 1;
  }

  /** Requests in flight. */
  get outstandingCount(): number {
    return this.outstanding.size;
  }

  /** Requests waiting for a slot. */
  get queuedCount(): number {
    return this.queue.length - this.queueHead;
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  /** Sends (or queues) one confirmed request; settles with its response or a typed error. */
  request(request: ConfirmedServiceRequest, control: RequestControl = {}): Promise<ConfirmedServiceResponse> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const signal = control.signal;
    if (signal?.aborted) return Promise.reject(new MmsAbortError(request.service, signal.reason));
    if (this.queuedCount >= this.maxQueued) {
      return Promise.reject(new MmsUsageError(`more than ${this.maxQueued} requests queued`));
    }
    return new Promise<ConfirmedServiceResponse>((resolve, reject) => {
      const p: Pending = {
        invokeId: -1,
        request,
        resolve,
        reject,
        deadline: control.deadline,
        timeoutMs: control.timeoutMs ?? 0,
        signal,
        onAbort: undefined,
        done: false,
      };
      if (signal) {
        p.onAbort = () => this.giveUp(p, new MmsAbortError(request.service, signal.reason));
        signal.addEventListener("abort", p.onAbort, { once: true });
      }
      if (this.outstanding.size < this.maxOutstanding && this.queuedCount === 0) this.dispatch(p);
      else this.queue.push(p);
    });
  }

  /** Feeds one PDU from the peer. Never throws. */
  receive(pdu: MmsPdu): RequesterReceipt {
    switch (pdu.type) {
      case "confirmedResponse": {
        const p = this.outstanding.get(pdu.invokeId);
        if (!p) return this.unknownInvokeId(pdu.invokeId, "confirmedResponse");
        if (pdu.response.service !== p.request.service) {
          // ISO 9506-2 §7.3 confirmed-responsePDU problem 3 invalid-result.
          this.rejectPeer(pdu.invokeId, { kind: "confirmedResponse", code: 3 });
          this.settle(
            p,
            new MmsProtocolError(
              `${p.request.service}: peer answered with a ${pdu.response.service} response (invokeID ${pdu.invokeId})`,
            ),
          );
          return "rejected";
        }
        this.settle(p, undefined, pdu.response);
        return "handled";
      }
      case "confirmedError": {
        const p = this.outstanding.get(pdu.invokeId);
        if (!p) return this.unknownInvokeId(pdu.invokeId, "confirmedError");
        this.settle(p, new MmsServiceError(p.request.service, pdu.error));
        return "handled";
      }
      case "reject": {
        const id = pdu.originalInvokeId;
        const p = id === undefined ? undefined : this.outstanding.get(id);
        if (p) this.settle(p, new MmsRejectError(pdu.problem, id));
        // A reject we cannot match (pduError without invokeID) is left to the caller: it is
        // reported by the driver; the affected request times out.
        return "handled";
      }
      case "cancelResponse":
      case "cancelError": {
        // ISO 9506-2 §8.4: the cancelled request also receives a confirmed-Error(cancel) we drop.
        const p = this.outstanding.get(pdu.invokeId);
        if (p) this.settle(p, new MmsAbortError(p.request.service, "cancelled"));
        return "handled";
      }
      default:
        return "ignored";
    }
  }

  /** Fails one outstanding request (e.g. its response did not decode); false if none has that id. */
  fail(invokeId: number, error: Error): boolean {
    const p = this.outstanding.get(invokeId);
    if (!p) return false;
    this.settle(p, error);
    return true;
  }

  /** Earliest deadline of a pending request (epoch ms), if any. */
  nextDeadline(): number | undefined {
    let min: number | undefined;
    for (const p of this.outstanding.values()) {
      if (p.deadline !== undefined && (min === undefined || p.deadline < min)) min = p.deadline;
    }
    for (let i = this.queueHead; i < this.queue.length; i++) {
      const d = this.queue[i]!.deadline;
      if (d !== undefined && (min === undefined || d < min)) min = d;
    }
    return min;
  }

  /** Fails every request whose deadline is at or before `now` with `MmsTimeoutError`. */
  handleTimeout(now: number): void {
    const expired: Pending[] = [];
    for (const p of this.outstanding.values())
      if (p.deadline !== undefined && p.deadline <= now) expired.push(p);
    for (let i = this.queueHead; i < this.queue.length; i++) {
      const p = this.queue[i]!;
      if (!p.done && p.deadline !== undefined && p.deadline <= now) expired.push(p);
    }
    for (const p of expired) this.giveUp(p, new MmsTimeoutError(p.request.service, p.timeoutMs));
  }

  /** Ends the requester: every pending and queued request rejects with `MmsConnectionClosedError`. */
  close(cause?: unknown): void {
    if (this.closedWith) return;
    const error = new MmsConnectionClosedError(
      cause instanceof Error ? `the association closed: ${cause.message}` : "the association closed",
      cause === undefined ? undefined : { cause },
    );
    this.closedWith = error;
    const all = [...this.outstanding.values(), ...this.queue.slice(this.queueHead)];
    this.outstanding.clear();
    this.queue.length = 0;
    this.queueHead = 0;
    for (const p of all) this.finish(p, error);
  }

  private dispatch(p: Pending): void {
    p.invokeId = this.allocate();
    this.outstanding.set(p.invokeId, p);
    try {
      this.send({ type: "confirmedRequest", invokeId: p.invokeId, request: p.request });
    } catch (e) {
      this.outstanding.delete(p.invokeId);
      this.finish(p, e instanceof Error ? e : new MmsUsageError(String(e)));
    }
  }

  private allocate(): number {
    for (;;) {
      const id = this.nextId;
      this.nextId = id >= MAX_INVOKE_ID ? 0 : id + 1;
      if (!this.outstanding.has(id) && !this.abandoned.includes(id)) return id;
    }
  }

  /** The request ended locally (timeout/abort) before its answer. */
  private giveUp(p: Pending, error: Error): void {
    if (p.done) return;
    if (this.outstanding.get(p.invokeId) === p) {
      this.outstanding.delete(p.invokeId);
      this.abandoned.push(p.invokeId);
      if (this.abandoned.length > ABANDONED_MEMORY) this.abandoned.shift();
      if (this.sendCancel && !this.closedWith) this.send({ type: "cancelRequest", invokeId: p.invokeId });
      this.finish(p, error);
      this.pump();
      return;
    }
    this.finish(p, error); // queued: marked done, skipped by pump
  }

  private settle(p: Pending, error: Error | undefined, response?: ConfirmedServiceResponse): void {
    this.outstanding.delete(p.invokeId);
    if (error) this.finish(p, error);
    else {
      p.done = true;
      if (p.onAbort) p.signal?.removeEventListener("abort", p.onAbort);
      p.resolve(response!);
    }
    this.pump();
  }

  private finish(p: Pending, error: Error): void {
    if (p.done) return;
    p.done = true;
    if (p.onAbort) p.signal?.removeEventListener("abort", p.onAbort);
    p.reject(error);
  }

  private pump(): void {
    while (this.outstanding.size < this.maxOutstanding && this.queueHead < this.queue.length) {
      const p = this.queue[this.queueHead]!;
      this.queue[this.queueHead++] = undefined as unknown as Pending;
      if (!p.done) this.dispatch(p);
    }
    if (this.queueHead === this.queue.length) {
      this.queue.length = 0;
      this.queueHead = 0;
    }
  }

  private unknownInvokeId(invokeId: number, kind: "confirmedResponse" | "confirmedError"): RequesterReceipt {
    const i = this.abandoned.indexOf(invokeId);
    if (i >= 0) {
      this.abandoned.splice(i, 1);
      return "handled"; // late answer to a request we gave up on
    }
    // ISO 9506-2 §7.3: invalid-invokeID is problem 2 for responses and errors.
    this.rejectPeer(invokeId, { kind, code: 2 });
    return "rejected";
  }

  private rejectPeer(invokeId: number, problem: RejectProblem): void {
    if (!this.closedWith) this.send({ type: "reject", originalInvokeId: invokeId, problem });
  }
}
