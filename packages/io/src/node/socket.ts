import type { Socket } from "node:net";
import { TLSSocket } from "node:tls";
import { AsyncQueue } from "../async-queue";
import {
  type ByteChain,
  type ByteStream,
  type ChunkSink,
  type ChunkSubscription,
  chainLength,
  type TlsInfo,
  type TransportInfo,
} from "../byte-stream";
import { TransportClosedError, TransportUsageError } from "../errors";

/** How many received chunks may wait unread before the socket is paused (backpressure). */
const READ_HIGH_WATER_MARK = 8;
/**
 * TCP keep-alive: the first probe after this much silence (ms). libuv then sends 10 probes 1 s
 * apart, so a peer that vanished without a FIN or RST (power loss, cut cable) ends the stream
 * with ETIMEDOUT about 20 s after the last traffic, instead of holding an association (and a
 * server's association slot) forever. libiec61850 does the same (5 s, 2 probes 2 s apart).
 */
export const KEEPALIVE_IDLE_MS = 10_000;
/** Chains up to this many octets are joined into one buffer; longer ones are written piece by piece. */
const COALESCE_LIMIT = 4096;

/**
 * Joins a small chain into one Buffer from node's allocation pool (no zero fill; the socket keeps
 * it until written, so the pool never hands those octets out again).
 */
function joinSmall(chunks: ByteChain, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Describes a connected socket (TLS details when it is a TLSSocket). */
export function transportInfoOf(socket: Socket): TransportInfo {
  let tls: TlsInfo | undefined;
  if (socket instanceof TLSSocket) {
    const chain: Uint8Array[] = [];
    const peer = socket.getPeerCertificate(true);
    let c: typeof peer | undefined = peer && Object.keys(peer).length ? peer : undefined;
    const seen = new Set<unknown>();
    while (c?.raw && !seen.has(c)) {
      seen.add(c);
      chain.push(new Uint8Array(c.raw));
      c = c.issuerCertificate as typeof peer | undefined;
    }
    tls = {
      protocol: socket.getProtocol() ?? "unknown",
      cipher: socket.getCipher()?.standardName ?? "unknown",
      peerCertificate: chain[0],
      peerChain: chain,
    };
  }
  return {
    remoteAddress: socket.remoteAddress,
    remotePort: socket.remotePort,
    localAddress: socket.localAddress,
    localPort: socket.localPort,
    tls,
  };
}

/**
 * Adapts a connected node:net (or node:tls) socket to a `ByteStream`. Reads pause the socket
 * while unread chunks pile up; writes resolve at once unless the socket's buffer is full.
 * Nagle is turned off and TCP keep-alive on (`KEEPALIVE_IDLE_MS`). The first write goes out at
 * once (no added latency). Further writes made while the same received chunk is being handed to the reader (a server answering a chunk of
 * pipelined requests) are corked until the reader returns; further writes in the same tick (a
 * burst of requests) are corked until `process.nextTick`. Either way they leave together in one
 * syscall, in order, without waiting for a timer.
 */
export function fromSocket(socket: Socket, info: TransportInfo = transportInfoOf(socket)): ByteStream {
  // Our writes are whole messages, coalesced per tick below: Nagle's delay only adds latency.
  socket.setNoDelay(true);
  socket.setKeepAlive(true, KEEPALIVE_IDLE_MS);
  let wroteThisTick = false;
  let corked = false;
  const uncork = (): void => {
    if (!corked) return;
    corked = false;
    socket.uncork();
  };
  const endTick = (): void => {
    wroteThisTick = false;
    uncork();
  };
  const queue = new AsyncQueue<Uint8Array>(READ_HIGH_WATER_MARK, () => {
    if (socket.isPaused()) socket.resume();
  });
  let closedResolve!: () => void;
  const closed = new Promise<void>((r) => {
    closedResolve = r;
  });
  // Set by `subscribe`: chunks then go straight to the reader, without the queue.
  let sink: ChunkSink | undefined;
  // How the stream ended (first of end, error, close), kept for a late `subscribe`.
  let ending: { error: Error | undefined } | undefined;
  const endWith = (error: Error | undefined): void => {
    if (ending) return;
    ending = { error };
    if (sink) sink.onEnd(error);
    else queue.end(error);
  };
  // True while a chunk is being handed to the reader: its writes are corked until it returns.
  let delivering = false;
  let wroteThisDelivery = false;
  const deliver = (chunk: Uint8Array): boolean => {
    let more: boolean;
    delivering = true;
    wroteThisDelivery = false;
    try {
      more = sink!.onChunk(chunk);
    } catch (e) {
      delivering = false;
      uncork();
      // A throwing reader is a bug above us: fail the stream rather than the socket's emitter.
      socket.destroy(e instanceof Error ? e : new Error(String(e)));
      return false;
    }
    delivering = false;
    uncork();
    if (!more) socket.pause();
    return more;
  };
  socket.on("data", (chunk: Buffer) => {
    if (sink) deliver(chunk);
    else if (!queue.push(chunk)) socket.pause();
  });
  socket.on("end", () => endWith(undefined));
  socket.on("error", (err) => endWith(err));
  socket.on("close", () => {
    endWith(undefined);
    closedResolve();
  });

  if (socket.destroyed) {
    endWith(undefined);
    closedResolve();
  }

  // Resolves on 'drain'; rejects when the socket closes first (the bytes may be lost). Writers
  // waiting for the same 'drain' share one promise (one listener pair, however many writes).
  let draining: Promise<void> | undefined;
  const waitDrain = (): Promise<void> =>
    (draining ??= new Promise<void>((resolve, reject) => {
      const done = (): void => {
        draining = undefined;
        socket.off("drain", done);
        socket.off("close", gone);
        resolve();
      };
      const gone = (): void => {
        draining = undefined;
        socket.off("drain", done);
        socket.off("close", gone);
        reject(new TransportClosedError("socket closed before its buffer drained"));
      };
      socket.on("drain", done);
      socket.on("close", gone);
    }));

  return {
    info,
    closed,
    write(chunks: ByteChain): Promise<void> {
      if (socket.destroyed || socket.writableEnded) return Promise.reject(new TransportClosedError());
      if (chunks.length === 0) return Promise.resolve();
      if (delivering ? wroteThisDelivery : wroteThisTick) {
        // Held until the reader returns, or until this tick's code and microtasks have run.
        if (!corked) {
          corked = true;
          socket.cork();
        }
      } else if (delivering) wroteThisDelivery = true;
      else {
        wroteThisTick = true;
        process.nextTick(endTick);
      }
      let ok = true;
      if (chunks.length === 1) ok = socket.write(chunks[0]!);
      else {
        const length = chainLength(chunks);
        // Small chains: one copy into one buffer is cheaper than a writev of tiny pieces.
        if (length <= COALESCE_LIMIT) ok = socket.write(joinSmall(chunks, length));
        else {
          // A long chain leaves in one writev: cork (if this tick has not) until the tick ends.
          if (!corked) {
            corked = true;
            socket.cork();
          }
          for (const c of chunks) ok = socket.write(c);
        }
      }
      return ok ? Promise.resolve() : waitDrain();
    },
    end(): Promise<void> {
      return new Promise<void>((resolve) => {
        if (socket.destroyed || socket.writableFinished) return resolve();
        const done = (): void => {
          socket.off("close", done);
          resolve();
        };
        socket.on("close", done);
        socket.end(done);
      });
    },
    destroy(reason?: Error): void {
      // What was written before destroy() still goes out, as it would without the cork.
      uncork();
      socket.destroy(reason);
    },
    subscribe(reader: ChunkSink): ChunkSubscription {
      if (sink) throw new TransportUsageError("the stream already has a reader");
      sink = reader;
      // Chunks that arrived before (at most READ_HIGH_WATER_MARK of them) are handed over now.
      let more = true;
      for (const chunk of queue.takeQueued()) more = deliver(chunk);
      if (ending) reader.onEnd(ending.error);
      else if (more && socket.isPaused()) socket.resume();
      return {
        resume: () => {
          if (socket.isPaused() && !ending) socket.resume();
        },
      };
    },
    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
      return queue[Symbol.asyncIterator]();
    },
  };
}
