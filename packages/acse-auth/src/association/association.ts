import type { External } from "@mms/asn1";
import {
  AsyncQueue,
  type ByteChain,
  type ChunkSink,
  type ChunkSubscription,
  type CloseInfo,
  concatChain,
  type MessageChannel,
  type TransportInfo,
} from "@mms/io";
import { OsiUsageError } from "@mms/osi";
import { AbortSource } from "../acse/apdu";
import type { AcseMachine } from "../acse/machine";
import { AssociationAbortedError, AssociationClosedError, AssociationTimeoutError } from "../errors";
import type { Association, AssociationPeer } from "./options";

/** The MMS value in a user-information list: the first single-ASN1-type EXTERNAL. */
export function mmsUserData(items: readonly External[] | undefined): Uint8Array | undefined {
  for (const e of items ?? [])
    if (e.encoding.type === "single-ASN1-type" || e.encoding.type === "octet-aligned")
      return e.encoding.value;
  return undefined;
}

/** One EXTERNAL carrying an MMS value in presentation context `contextId` (`28 L 02 01 03 a0 L …`). */
export function mmsExternal(contextId: number, value: Uint8Array): External {
  return {
    directReference: undefined,
    indirectReference: contextId,
    dataValueDescriptor: undefined,
    encoding: { type: "single-ASN1-type", value },
  };
}

export interface AssociationInit {
  readonly channel: MessageChannel;
  readonly iterator: AsyncIterator<Uint8Array>;
  readonly machine: AcseMachine;
  readonly peer: AssociationPeer;
  readonly requestUserData: Uint8Array;
  readonly responseUserData: Uint8Array | undefined;
  readonly onRelease?:
    | ((userData: Uint8Array | undefined) => Promise<Uint8Array | undefined> | Uint8Array | undefined)
    | undefined;
  readonly timeoutMs?: number | undefined;
}

/**
 * The association over a message channel (the async driver around the sans-IO `AcseMachine`).
 * One pump reads the channel: MMS data goes to a bounded queue (a slow reader stops the pump,
 * which stops reading the transport), release and abort settle the association.
 */
export class AssociationChannel implements Association {
  readonly peer: AssociationPeer;
  readonly requestUserData: Uint8Array;
  readonly responseUserData: Uint8Array | undefined;
  readonly closed: Promise<CloseInfo>;
  private readonly channel: MessageChannel;
  private readonly iterator: AsyncIterator<Uint8Array>;
  private readonly machine: AcseMachine;
  private readonly inbox: AsyncQueue<Uint8Array>;
  private readonly onRelease: AssociationInit["onRelease"];
  private readonly timeoutMs: number | undefined;
  private resolveClosed!: (info: CloseInfo) => void;
  private done = false;
  private drainWaiter: (() => void) | undefined;
  private subscription: ChunkSubscription | undefined;
  /** A release, abort or error TSDU is being handled (synchronous path): read nothing more. */
  private controlling = false;
  /** Set by `subscribe`: MMS PDUs go straight to it instead of the inbox. */
  private reader: ChunkSink | undefined;
  /** How reading ended (the error an iterating reader would get), once finished. */
  private ended: { error: Error | undefined } | undefined;
  private pendingRelease:
    | {
        resolve: (ud: Uint8Array | undefined) => void;
        reject: (e: Error) => void;
        timer: ReturnType<typeof setTimeout> | undefined;
      }
    | undefined;

  constructor(init: AssociationInit) {
    this.channel = init.channel;
    this.iterator = init.iterator;
    this.machine = init.machine;
    this.peer = init.peer;
    this.requestUserData = init.requestUserData;
    this.responseUserData = init.responseUserData;
    this.onRelease = init.onRelease;
    this.timeoutMs = init.timeoutMs;
    this.inbox = new AsyncQueue<Uint8Array>(16, () => this.readOn());
    this.closed = new Promise((r) => {
      this.resolveClosed = r;
    });
    // A channel that hands messages over synchronously (a COTP connection) skips a promise per
    // message; others are read through the iterator.
    if (this.channel.subscribe)
      this.subscription = this.channel.subscribe({
        onChunk: (tsdu) => this.onMessage(tsdu),
        onEnd: (error) => this.onChannelEnd(error),
      });
    else void this.pump();
  }

  get info(): TransportInfo {
    return this.channel.info;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this.inbox[Symbol.asyncIterator]();
  }

  /**
   * Hands each MMS PDU to `reader` synchronously from now on, instead of the async iterator
   * (those already received first). A reader returning false stops reading until `resume()`.
   */
  subscribe(reader: ChunkSink): ChunkSubscription {
    if (this.reader) throw new OsiUsageError("invalid-state", "the association already has a reader");
    this.reader = reader;
    let more = true;
    for (const pdu of this.inbox.takeQueued()) more = reader.onChunk(pdu);
    if (this.ended) reader.onEnd(this.ended.error);
    else if (more) this.readOn();
    return { resume: () => this.readOn() };
  }

  /** The reader caught up: reading the transport continues. */
  private readOn(): void {
    const w = this.drainWaiter;
    this.drainWaiter = undefined;
    w?.();
    if (!this.controlling) this.subscription?.resume();
  }

  /** One MMS PDU for our reader; false when it wants no more for now. */
  private deliver(pdu: Uint8Array): boolean {
    return this.reader ? this.reader.onChunk(pdu) : this.inbox.push(pdu);
  }

  send(message: ByteChain): Promise<void> {
    // Not an async function: the data path pays for no extra promise and microtask per PDU.
    // Failures still arrive as rejections, never as synchronous throws.
    if (this.done) return Promise.reject(new AssociationClosedError("the association has ended"));
    try {
      return this.channel.send(this.machine.dataRequest(message));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  async close(): Promise<void> {
    if (this.done) return;
    try {
      await this.release();
    } catch {
      this.destroy();
    }
  }

  destroy(reason?: Error): void {
    if (this.done) return;
    this.abort();
    if (reason) this.channel.destroy(reason);
  }

  abort(diagnostic?: number): void {
    if (this.done) return;
    let tsdu: ByteChain | undefined;
    try {
      tsdu = this.machine.abortRequest({ type: "ABRT", source: AbortSource.serviceUser, diagnostic });
    } catch (e) {
      if (!(e instanceof OsiUsageError)) throw e;
    }
    const send = tsdu ? this.channel.send(tsdu).catch(() => undefined) : Promise.resolve();
    const err = new AssociationAbortedError("acse-service-user", diagnostic, "association aborted locally");
    this.finish({ reason: "local", error: undefined }, err, true);
    void send.then(() => this.channel.close().catch(() => undefined));
  }

  release(userData?: ByteChain): Promise<Uint8Array | undefined> {
    if (this.done) return Promise.reject(new AssociationClosedError("the association has ended"));
    if (this.pendingRelease)
      return Promise.reject(new OsiUsageError("invalid-state", "release already requested"));
    const id = this.machine.mmsContextId ?? 3;
    const tsdu = this.machine.releaseRequest({
      type: "RLRQ",
      reason: 0,
      userInformation: userData ? [mmsExternal(id, concatChain(userData))] : undefined,
    });
    return new Promise((resolve, reject) => {
      const timer =
        this.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.pendingRelease = undefined;
              reject(new AssociationTimeoutError(`no RLRE within ${this.timeoutMs} ms`));
              this.abort();
            }, this.timeoutMs);
      this.pendingRelease = { resolve, reject, timer };
      const w = this.drainWaiter;
      this.drainWaiter = undefined;
      w?.();
      if (!this.controlling) this.subscription?.resume();
      this.channel.send(tsdu).catch((e: unknown) => {
        this.fail(new AssociationClosedError("sending the RLRQ failed", { cause: e }));
      });
    });
  }

  /** Ends the association: settles `closed`, the inbox and a pending release. */
  private finish(info: CloseInfo, inboxError: Error | undefined, local: boolean): void {
    if (this.done) return;
    this.done = true;
    this.inbox.end(local ? undefined : inboxError);
    this.ended = { error: local ? undefined : inboxError };
    this.reader?.onEnd(this.ended.error);
    const p = this.pendingRelease;
    this.pendingRelease = undefined;
    if (p) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(inboxError ?? new AssociationClosedError("the association ended"));
    }
    this.drainWaiter?.();
    this.resolveClosed(info);
    void this.iterator.return?.();
  }

  private fail(error: Error): void {
    this.finish({ reason: "error", error }, error, false);
    this.channel.close().catch(() => undefined);
  }

  /**
   * One received TSDU (synchronous path). Returns false when reading should stop: the inbox is
   * full (reading resumes when it drains), or a release, abort or error is being handled.
   */
  private onMessage(tsdu: Uint8Array): boolean {
    // After a release, abort or error nothing more is read (as `pump` stops reading).
    if (this.done || this.controlling) return false;
    try {
      const ev = this.machine.receive(tsdu);
      if (ev.type === "data") {
        // Backpressure as in `pump`.
        return this.deliver(ev.value) || this.pendingRelease !== undefined;
      }
      this.controlling = true;
      // Handled outside the transport's read callback, as the iterating pump does.
      queueMicrotask(() => void this.control(ev).catch((e: unknown) => this.failWith(e)));
    } catch (e) {
      this.failWith(e);
    }
    return false;
  }

  private onChannelEnd(error: Error | undefined): void {
    // A release, abort or error TSDU read just before the end settles the association (the
    // RLRE and the transport's close often arrive together), as with the iterating pump.
    if (this.done || this.controlling) return;
    this.fail(error ?? new AssociationClosedError("the transport closed without a release"));
  }

  private failWith(e: unknown): void {
    this.fail(e instanceof Error ? e : new AssociationClosedError("transport failure", { cause: e }));
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        if (this.done) return;
        const r = await this.iterator.next();
        if (this.done) return;
        if (r.done) {
          this.fail(new AssociationClosedError("the transport closed without a release"));
          return;
        }
        const ev = this.machine.receive(r.value);
        if (ev.type === "data") {
          // Backpressure: a full inbox stops reading the transport, except while our release
          // is pending (the RLRE must still be read even if nobody drains the data).
          if (!this.deliver(ev.value) && !this.pendingRelease)
            await new Promise<void>((res) => (this.drainWaiter = res));
          continue;
        }
        await this.control(ev);
        return;
      }
    } catch (e) {
      this.failWith(e);
    }
  }

  /** Everything but data ends the association: release, abort, protocol error. */
  private async control(ev: Exclude<ReturnType<AcseMachine["receive"]>, { type: "data" }>): Promise<void> {
    switch (ev.type) {
      case "release-indication": {
        const ud = this.onRelease ? await this.onRelease(mmsUserData(ev.rlrq.userInformation)) : undefined;
        const id = this.machine.mmsContextId ?? 3;
        const tsdu = this.machine.releaseResponse({
          type: "RLRE",
          reason: 0,
          userInformation: ud ? [mmsExternal(id, ud)] : undefined,
        });
        await this.channel.send(tsdu);
        this.finish({ reason: "remote", error: undefined }, undefined, false);
        await this.channel.close();
        return;
      }
      case "release-confirm": {
        const p = this.pendingRelease;
        this.pendingRelease = undefined;
        if (p?.timer) clearTimeout(p.timer);
        this.finish({ reason: "local", error: undefined }, undefined, false);
        await this.channel.close();
        p?.resolve(mmsUserData(ev.rlre.userInformation));
        return;
      }
      case "abort":
        this.fail(new AssociationAbortedError(ev.source, ev.diagnostic));
        return;
      case "protocol-error":
        if (ev.error.reply) await this.channel.send(ev.error.reply).catch(() => undefined);
        this.fail(ev.error);
        return;
      default:
        this.fail(new AssociationClosedError(`unexpected ${ev.type} on an established association`));
        return;
    }
  }
}
