import { AsyncQueue } from "./async-queue";
import { type ByteChain, type ByteStream, noTransportInfo, type TransportInfo } from "./byte-stream";
import { TransportClosedError } from "./errors";

class MemoryStream implements ByteStream {
  readonly inbox: AsyncQueue<Uint8Array>;
  peer!: MemoryStream;
  readonly closed: Promise<void>;
  readonly info: TransportInfo;
  private resolveClosed!: () => void;
  private drainWaiters: Array<() => void> = [];
  private isClosed = false;

  constructor(info: TransportInfo, highWaterMark: number) {
    this.info = info;
    this.inbox = new AsyncQueue<Uint8Array>(highWaterMark, () => this.peer?.drained());
    this.closed = new Promise((r) => {
      this.resolveClosed = r;
    });
  }

  private drained(): void {
    const w = this.drainWaiters;
    this.drainWaiters = [];
    for (const f of w) f();
  }

  async write(chunks: ByteChain): Promise<void> {
    if (this.isClosed) throw new TransportClosedError("write after close");
    let ok = true;
    for (const c of chunks) if (c.length) ok = this.peer.inbox.push(c.slice()) && ok;
    if (!ok && !this.peer.inbox.ended) await new Promise<void>((r) => this.drainWaiters.push(r));
    if (this.isClosed) throw new TransportClosedError("closed while writing");
  }

  async end(): Promise<void> {
    this.shut();
  }

  destroy(reason?: Error): void {
    this.shut(reason);
  }

  private shut(reason?: Error): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.peer.inbox.end();
    this.inbox.end(reason);
    this.drained();
    this.resolveClosed();
    this.peer.remoteClosed();
  }

  private remoteClosed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.inbox.end();
    this.drained();
    this.resolveClosed();
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this.inbox[Symbol.asyncIterator]();
  }
}

export interface MemoryPairOptions {
  /** Chunks buffered on each side before `write` waits (backpressure). */
  readonly highWaterMark?: number;
  readonly infoA?: TransportInfo;
  readonly infoB?: TransportInfo;
}

/**
 * Two connected in-memory byte streams, for tests: what one writes, the other reads (each
 * chunk copied, as a socket would). Closing either side ends both.
 */
export function memoryPair(options: MemoryPairOptions = {}): [ByteStream, ByteStream] {
  const hwm = options.highWaterMark ?? 16;
  const a = new MemoryStream(options.infoA ?? noTransportInfo, hwm);
  const b = new MemoryStream(options.infoB ?? noTransportInfo, hwm);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
