import {
  AsyncQueue,
  type ByteChain,
  type ByteStream,
  type ChunkSink,
  type ChunkSubscription,
  type CloseInfo,
  type MessageChannel,
  type TransportInfo,
} from "@mms/io";
import { MAX_TPDU_SIZE, TPKT_HEADER_LENGTH } from "./constants";
import { CotpError, CotpUsageError } from "./errors";
import { type ConnectRequestInfo, type CotpEvent, CotpMachine, type CotpParams } from "./machine";
import { TpktFramer } from "./tpkt-framer";

/** Options both ends share. */
export interface CotpConnectionOptions {
  /** Initiator: TPDU size proposed; responder: largest accepted. Power of two 128..8192 (default 8192). */
  readonly maxTpduSize?: number;
  /** Largest TSDU reassembled from DTs (default 65 536). */
  readonly maxTsduSize?: number;
  /** Time allowed for the CR/CC exchange (default 10 000 ms). */
  readonly timeoutMs?: number;
  /** Aborts the connection establishment (ignored once connected). */
  readonly signal?: AbortSignal;
  /** Close the connection when no complete TPDU arrives for this long (default: never). */
  readonly idleTimeoutMs?: number;
  /** Our SRC-REF (default 0x0001). */
  readonly localRef?: number;
}

export interface CotpInitiatorOptions extends CotpConnectionOptions {
  /** Calling TSAP-ID (T-selector), default 00 01 as libiec61850. */
  readonly callingTsap?: Uint8Array;
  /** Called TSAP-ID, default 00 01. */
  readonly calledTsap?: Uint8Array;
}

export interface CotpResponderOptions extends CotpConnectionOptions {
  /** Return a DR reason (e.g. 2, session entity not attached to TSAP) to refuse a CR. */
  readonly accept?: (request: ConnectRequestInfo) => number | undefined;
}

/** A class 0 transport connection: each message is one TSDU. */
export interface CotpConnection extends MessageChannel {
  readonly params: CotpParams;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** How long a closing connection waits for its last writes before destroying the stream. */
const CLOSE_GRACE_MS = 2_000;
const INBOX_HIGH_WATER_MARK = 16;

/**
 * Event-loop turns `close()` lets pass before deciding on a DR: a peer's FIN that was already
 * queued behind its last TSDU is read one poll phase after that TSDU (a short read ends a
 * libuv read burst), so two turns see it; a third is slack. Microseconds, not a timeout.
 */
const INPUT_TURNS = 3;

/** Resolves after one turn of the event loop (Node: the check phase follows the poll phase). */
function yieldToInput(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === "function") setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}

function unref(t: ReturnType<typeof setTimeout>): void {
  (t as { unref?: () => void }).unref?.();
}

class Connection implements CotpConnection {
  readonly closed: Promise<CloseInfo>;
  readonly ready: Promise<void>;
  private readonly machine: CotpMachine;
  private readonly stream: ByteStream;
  private readonly options: CotpConnectionOptions;
  private readonly framer: TpktFramer;
  private readonly inbox: AsyncQueue<Uint8Array>;
  private resolveClosed!: (info: CloseInfo) => void;
  private resolveReady!: () => void;
  private rejectReady!: (e: unknown) => void;
  private connected = false;
  private finished: CloseInfo | undefined;
  private ending: Promise<void> | undefined;
  private inboxFull = false;
  private resumeWaiter: (() => void) | undefined;
  private subscription: ChunkSubscription | undefined;
  /** Set by `subscribe`: TSDUs go straight to it instead of the inbox. */
  private reader: ChunkSink | undefined;
  private readerEnded = false;
  /** When a TPDU last arrived: kept only with `idleTimeoutMs` (no clock read per TPDU otherwise). */
  private lastActivity = Date.now();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly abortListener: (() => void) | undefined;

  constructor(stream: ByteStream, machine: CotpMachine, options: CotpConnectionOptions) {
    this.stream = stream;
    this.machine = machine;
    this.options = options;
    // No TPKT may exceed the largest TPDU size this end allows (lowered to the negotiated one later).
    this.framer = new TpktFramer((options.maxTpduSize ?? MAX_TPDU_SIZE) + TPKT_HEADER_LENGTH);
    this.inbox = new AsyncQueue<Uint8Array>(INBOX_HIGH_WATER_MARK, () => this.resume());
    this.closed = new Promise((r) => {
      this.resolveClosed = r;
    });
    this.ready = new Promise((res, rej) => {
      this.resolveReady = res;
      this.rejectReady = rej;
    });
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.connectTimer = setTimeout(
      () =>
        this.failWith(
          new CotpError("timeout", `no ${machine.role === "initiator" ? "CC" : "CR"} within ${timeoutMs} ms`),
        ),
      timeoutMs,
    );
    unref(this.connectTimer);
    const signal = options.signal;
    if (signal) {
      this.abortListener = () => {
        if (!this.connected)
          this.failWith(
            signal.reason instanceof Error ? signal.reason : new CotpError("timeout", "aborted"),
            signal.reason,
          );
      };
      if (signal.aborted) queueMicrotask(this.abortListener);
      else signal.addEventListener("abort", this.abortListener, { once: true });
    }
  }

  get params(): CotpParams {
    const p = this.machine.params;
    if (!p) throw new CotpUsageError("not-connected", "no parameters before the connection is established");
    return p;
  }

  get info(): TransportInfo {
    return this.stream.info;
  }

  start(): void {
    this.flush();
    // Streams that can hand chunks over synchronously skip a promise per chunk.
    if (this.stream.subscribe)
      this.subscription = this.stream.subscribe({
        onChunk: (chunk) => this.onChunk(chunk),
        onEnd: (error) => this.onStreamEnd(error),
      });
    else void this.pump();
  }

  send(message: ByteChain): Promise<void> {
    if (this.machine.state !== "open")
      return Promise.reject(
        this.finished?.error ?? new CotpUsageError("not-connected", "send on a closed connection"),
      );
    this.machine.dataRequest(message);
    return this.stream.write(this.machine.takeOutgoing());
  }

  /**
   * T-DISCONNECT request: DR (reason normal) on an active connection, then TCP close. When the
   * peer has already ended the byte stream (RFC 1006 §5: a class 0 connection is released by
   * closing TCP; libiec61850 does so right after its session DN), no DR is sent: it would reach
   * a closed socket and draw a TCP RST. Input that has already arrived is processed first
   * (`INPUT_TURNS`), so an end queued right behind the peer's last TSDU is seen before we decide.
   */
  async close(): Promise<void> {
    for (let turn = 0; turn < INPUT_TURNS && this.machine.state === "open" && !this.finished; turn++)
      await yieldToInput();
    this.handle(this.machine.disconnectRequest());
    await this.ending;
  }

  destroy(reason?: Error): void {
    if (!this.finished) this.finish(reason ? "error" : "local", reason, true);
    else this.stream.destroy(reason);
  }

  /** Hands TSDUs to `reader` synchronously from now on (those already received first). */
  subscribe(reader: ChunkSink): ChunkSubscription {
    if (this.reader) throw new CotpUsageError("second-reader", "the connection already has a reader");
    this.reader = reader;
    for (const tsdu of this.inbox.takeQueued()) this.inboxFull = !reader.onChunk(tsdu);
    if (this.finished) this.endReader();
    else if (!this.inboxFull) this.resume();
    return { resume: () => this.resume() };
  }

  /**
   * Each iterator reads from the same inbox. Leaving a `for await` early does not close the
   * connection (call `close()`); the next iteration continues with the next TSDU.
   */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: () => this.inbox.next(),
      return: (): Promise<IteratorResult<Uint8Array>> => Promise.resolve({ value: undefined, done: true }),
    };
  }

  /** Tells a subscribed reader the connection ended (once). */
  private endReader(): void {
    const r = this.reader;
    const f = this.finished;
    if (!r || !f || this.readerEnded) return;
    this.readerEnded = true;
    r.onEnd(f.reason === "error" ? f.error : undefined);
  }

  private resume(): void {
    this.inboxFull = false;
    const w = this.resumeWaiter;
    this.resumeWaiter = undefined;
    w?.();
    this.subscription?.resume();
  }

  /**
   * Frames one received chunk and applies its TPDUs. Returns false when reading should stop:
   * the connection finished, or the inbox is full (reading resumes when the reader catches up).
   */
  private onChunk(chunk: Uint8Array): boolean {
    if (this.finished) return false;
    try {
      // The usual read in the data phase: one whole TPKT with one DT (no arrays, no events).
      if (this.framer.isWhole(chunk)) {
        const tsdu = this.machine.receiveWholeDt(chunk);
        if (tsdu !== undefined) {
          this.framer.skipWhole(chunk.length);
          if (this.options.idleTimeoutMs !== undefined) this.lastActivity = Date.now();
          this.dataIndication(tsdu);
          return !this.inboxFull;
        }
      }
      let frames: Uint8Array[];
      try {
        frames = this.framer.push(chunk);
      } catch (e) {
        if (!(e instanceof CotpError)) throw e;
        this.handle(this.machine.receiveFramingError(e));
        return false;
      }
      if (frames.length && this.options.idleTimeoutMs !== undefined) this.lastActivity = Date.now();
      for (const f of frames) {
        this.handle(this.machine.receive(f));
        if (this.finished) return false;
      }
      return !this.inboxFull;
    } catch (e) {
      if (!this.finished) this.finish("error", e instanceof Error ? e : new Error(String(e)));
      return false;
    }
  }

  /** The byte stream ended (with its error, if any). */
  private onStreamEnd(error?: Error): void {
    if (this.finished) return;
    if (error) this.finish("error", error);
    // RFC 1006 §5 releases a class 0 connection by closing TCP.
    else if (this.connected) this.finish("remote", undefined);
    else
      this.failWith(new CotpError("closed", "the byte stream ended before the connection was established"));
  }

  /** Reads a stream without `subscribe` by iteration. */
  private async pump(): Promise<void> {
    try {
      for await (const chunk of this.stream) {
        if (this.onChunk(chunk)) continue;
        if (this.finished) return;
        if (this.inboxFull) await new Promise<void>((r) => (this.resumeWaiter = r));
        if (this.finished) return;
      }
      this.onStreamEnd(undefined);
    } catch (e) {
      this.onStreamEnd(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** Writes what the machine queued and applies its events. */
  private handle(events: readonly CotpEvent[]): void {
    this.flush();
    for (const e of events) {
      switch (e.type) {
        case "dataIndication":
          this.dataIndication(e.tsdu);
          break;
        case "connectConfirm":
        case "connectIndication":
          this.onConnected();
          break;
        case "disconnectIndication":
          this.finish(e.reason, e.error);
          break;
      }
    }
  }

  /** T-DATA indication: to the subscribed reader, else to the inbox (full: stop reading). */
  private dataIndication(tsdu: Uint8Array): void {
    if (this.reader) {
      if (!this.reader.onChunk(tsdu)) this.inboxFull = true;
    } else if (!this.inbox.push(tsdu)) this.inboxFull = true;
  }

  private flush(): void {
    const out = this.machine.takeOutgoing();
    if (out.length) this.stream.write(out).catch(() => {});
  }

  private onConnected(): void {
    this.connected = true;
    if (this.connectTimer !== undefined) clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
    if (this.abortListener) this.options.signal?.removeEventListener("abort", this.abortListener);
    const p = this.machine.params;
    // Once the size is known, no TPKT may exceed it (TPKT header included).
    if (p) this.framer.maxLength = p.tpduSize + TPKT_HEADER_LENGTH;
    const idle = this.options.idleTimeoutMs;
    if (idle !== undefined) this.armIdle(idle, idle);
    this.resolveReady();
  }

  private armIdle(idle: number, wait: number): void {
    this.idleTimer = setTimeout(() => {
      // A full inbox means our reader is slow, not the peer silent: that counts as activity.
      if (this.inboxFull) this.lastActivity = Date.now();
      const quiet = Date.now() - this.lastActivity;
      if (quiet >= idle) this.failWith(new CotpError("idle-timeout", `no TPDU for ${quiet} ms`));
      else this.armIdle(idle, idle - quiet);
    }, wait);
    unref(this.idleTimer);
  }

  /** Local failure (timeout, abort): no TPDU is sent, the stream is destroyed. */
  private failWith(error: Error, rejectWith: unknown = error): void {
    if (this.finished) return;
    const cotpError =
      error instanceof CotpError ? error : new CotpError("timeout", error.message, { cause: error });
    this.machine.fail(cotpError);
    this.finish("error", error, true, rejectWith);
  }

  private finish(
    reason: CloseInfo["reason"],
    error: Error | undefined,
    destroy = false,
    rejectWith: unknown = error,
  ): void {
    if (this.finished) return;
    const info: CloseInfo = { reason, error };
    this.finished = info;
    if (this.connectTimer !== undefined) clearTimeout(this.connectTimer);
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    if (this.abortListener) this.options.signal?.removeEventListener("abort", this.abortListener);
    if (this.machine.state !== "closed") this.machine.fail(new CotpError("closed", "closed"));
    this.flush();
    this.inbox.end(reason === "error" ? error : undefined);
    if (this.reader) this.endReader();
    this.resume();
    if (!this.connected)
      this.rejectReady(rejectWith ?? new CotpError("closed", "connection closed before it was established"));
    if (destroy) {
      this.stream.destroy();
      this.ending = this.stream.closed;
    } else {
      const grace = setTimeout(() => this.stream.destroy(), CLOSE_GRACE_MS);
      unref(grace);
      this.ending = this.stream.end().then(
        () => clearTimeout(grace),
        () => clearTimeout(grace),
      );
    }
    this.resolveClosed(info);
  }
}

/**
 * Opens a class 0 connection over any byte stream (TCP, TLS, in-memory): sends a CR and waits
 * for the CC. The stream belongs to the connection from now on; it is destroyed on failure.
 * Rejects with `CotpError` (`refused`, `timeout`, `negotiation-failed`, `peer-error`, `closed`,
 * ...) or the abort reason.
 */
export async function openCotp(
  stream: ByteStream,
  options: CotpInitiatorOptions = {},
): Promise<CotpConnection> {
  const machine = new CotpMachine({
    role: "initiator",
    ...(options.callingTsap ? { callingTsap: options.callingTsap } : {}),
    ...(options.calledTsap ? { calledTsap: options.calledTsap } : {}),
    ...(options.maxTpduSize !== undefined ? { maxTpduSize: options.maxTpduSize } : {}),
    ...(options.maxTsduSize !== undefined ? { maxTsduSize: options.maxTsduSize } : {}),
    ...(options.localRef !== undefined ? { localRef: options.localRef } : {}),
  });
  machine.connectRequest();
  const c = new Connection(stream, machine, options);
  c.start();
  await c.ready;
  return c;
}

/**
 * Accepts a class 0 connection over any byte stream: waits for a CR and answers CC (or DR when
 * `accept` refuses). Rejects with `CotpError` when the peer sends anything else, nothing in
 * time, or closes; the stream is then closed (after the ER or DR, if one was due).
 */
export async function acceptCotp(
  stream: ByteStream,
  options: CotpResponderOptions = {},
): Promise<CotpConnection> {
  const machine = new CotpMachine({
    role: "responder",
    ...(options.maxTpduSize !== undefined ? { maxTpduSize: options.maxTpduSize } : {}),
    ...(options.maxTsduSize !== undefined ? { maxTsduSize: options.maxTsduSize } : {}),
    ...(options.localRef !== undefined ? { localRef: options.localRef } : {}),
    ...(options.accept ? { accept: options.accept } : {}),
  });
  const c = new Connection(stream, machine, options);
  c.start();
  await c.ready;
  return c;
}
