import {
  AsyncQueue,
  type ByteChain,
  type CloseInfo,
  concatChain,
  type MessageChannel,
  noTransportInfo,
  type TransportInfo,
} from "@mms/io";

/** One end of an in-memory message channel pair: each `send` is one message on the other end. */
class MemoryChannel implements MessageChannel {
  readonly inbox = new AsyncQueue<Uint8Array>(64);
  peer!: MemoryChannel;
  readonly closed: Promise<CloseInfo>;
  readonly info: TransportInfo;
  /** Every message this end sent, for assertions. */
  readonly sent: Uint8Array[] = [];
  private resolve!: (c: CloseInfo) => void;
  private ended = false;

  constructor(info: TransportInfo) {
    this.info = info;
    this.closed = new Promise((r) => {
      this.resolve = r;
    });
  }

  async send(message: ByteChain): Promise<void> {
    if (this.ended) throw new Error("send after close");
    const m = concatChain(message).slice();
    this.sent.push(m);
    this.peer.inbox.push(m);
  }

  async close(): Promise<void> {
    this.shut("local");
  }

  destroy(reason?: Error): void {
    this.shut("local", reason);
  }

  private shut(reason: CloseInfo["reason"], error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.inbox.end();
    this.resolve({ reason, error });
    this.peer.remoteClosed();
  }

  remoteClosed(): void {
    if (this.ended) return;
    this.ended = true;
    this.inbox.end();
    this.resolve({ reason: "remote", error: undefined });
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this.inbox[Symbol.asyncIterator]();
  }
}

/** Two connected in-memory message channels (initiator, responder). */
export function memoryChannelPair(
  infoA: TransportInfo = noTransportInfo,
  infoB: TransportInfo = noTransportInfo,
): [MemoryChannel, MemoryChannel] {
  const a = new MemoryChannel(infoA);
  const b = new MemoryChannel(infoB);
  a.peer = b;
  b.peer = a;
  return [a, b];
}

/** A transport that claims TLS with a peer certificate (for policy tests). */
export const fakeTlsInfo: TransportInfo = Object.freeze({
  remoteAddress: "127.0.0.1",
  remotePort: 3782,
  localAddress: "127.0.0.1",
  localPort: 50000,
  tls: {
    protocol: "TLSv1.3",
    cipher: "TLS_AES_128_GCM_SHA256",
    peerCertificate: Uint8Array.of(0x30, 0),
    peerChain: [],
  },
});
