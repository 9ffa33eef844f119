/** Scatter/gather output: each layer prepends its header as its own chunk; nothing is concatenated early. */
export type ByteChain = readonly Uint8Array[];

/** What a transport knows about itself and its peer. */
export interface TransportInfo {
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly localAddress: string | undefined;
  readonly localPort: number | undefined;
  /** Set when the bytes travel inside TLS. */
  readonly tls: TlsInfo | undefined;
}

export interface TlsInfo {
  readonly protocol: string;
  readonly cipher: string;
  /** DER of the peer's end-entity certificate (TLS is always mutual in this stack). */
  readonly peerCertificate: Uint8Array | undefined;
  /** DER of the peer's chain as presented, end-entity first. */
  readonly peerChain: readonly Uint8Array[];
}

/**
 * Ordered bytes with no message boundaries: a TCP or TLS connection. Reading is pull-based
 * (async iteration): while nobody reads, the transport stops reading from the socket.
 */
/** A synchronous reader of a `ByteStream` (the fast path beside async iteration). */
export interface ChunkSink {
  /** One received chunk; return false to stop reading until the subscription's `resume()`. */
  onChunk(chunk: Uint8Array): boolean;
  /** The stream ended, with the error that ended it if any. Called once, after the last chunk. */
  onEnd(error?: Error): void;
}

/** What `ByteStream.subscribe` returns. */
export interface ChunkSubscription {
  /** Reading continues after an `onChunk` returned false. */
  resume(): void;
}

export interface ByteStream extends AsyncIterable<Uint8Array> {
  /**
   * Optional fast path: hands every received chunk to `sink` synchronously as it arrives (no
   * promise per chunk). A stream is read either this way or by iteration, never both; chunks
   * that arrived before the call are handed over at once, in order.
   */
  subscribe?(sink: ChunkSink): ChunkSubscription;
  /** Resolves when the transport accepted the chunks (immediately unless its buffer is full). */
  write(chunks: ByteChain): Promise<void>;
  /** Graceful close after pending writes. */
  end(): Promise<void>;
  /** Abortive close. */
  destroy(reason?: Error): void;
  /** Settles when the stream is closed either way (never rejects). */
  readonly closed: Promise<void>;
  readonly info: TransportInfo;
}

/** How a message channel ended. */
export interface CloseInfo {
  /** `local`: we closed it; `remote`: the peer did (orderly); `error`: a protocol or I/O error. */
  readonly reason: "local" | "remote" | "error";
  readonly error: Error | undefined;
}

/**
 * Boundary-preserving messages over a connection: COTP TSDUs, association user data.
 * Iteration yields each received message; it ends when the channel closes (an error close
 * makes the iterator throw that error).
 */
export interface MessageChannel extends AsyncIterable<Uint8Array> {
  /**
   * Optional fast path: hands every received message to `sink` synchronously (`onChunk` gets
   * one whole message). A channel is read either this way or by iteration, from then on;
   * messages already received are handed over at once, in order. `onEnd` gets the error of an
   * error close.
   */
  subscribe?(sink: ChunkSink): ChunkSubscription;
  send(message: ByteChain): Promise<void>;
  /** Orderly close as the layer defines it (e.g. a COTP DR). */
  close(): Promise<void>;
  destroy(reason?: Error): void;
  readonly closed: Promise<CloseInfo>;
  readonly info: TransportInfo;
}

/** Injected time source (epoch milliseconds), for deterministic tests. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = Object.freeze({ now: (): number => Date.now() });

export const noTransportInfo: TransportInfo = Object.freeze({
  remoteAddress: undefined,
  remotePort: undefined,
  localAddress: undefined,
  localPort: undefined,
  tls: undefined,
});

/** Total length of a chain. */
export function chainLength(chain: ByteChain): number {
  let n = 0;
  for (const c of chain) n += c.length;
  return n;
}

/** Joins a chain into one buffer (no copy when it has a single chunk). */
export function concatChain(chain: ByteChain): Uint8Array {
  if (chain.length === 1) return chain[0]!;
  const out = new Uint8Array(chainLength(chain));
  let p = 0;
  for (const c of chain) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}
