import { connect as netConnect, createServer, type Socket } from "node:net";
import type { ByteStream } from "../byte-stream";
import { TransportTimeoutError } from "../errors";
import { fromSocket } from "./socket";

export interface ConnectTcpOptions {
  readonly host: string;
  readonly port: number;
  /** Give up when the TCP connection is not established in time (default: no limit). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Opens a TCP connection (Nagle off: every layer writes whole messages under cork) and adapts
 * it to a `ByteStream`. Rejects with `TransportTimeoutError`, the abort reason, or the socket
 * error; the socket is destroyed in every failure case.
 */
export function connectTcp(options: ConnectTcpOptions): Promise<ByteStream> {
  const { host, port, timeoutMs, signal } = options;
  return new Promise<ByteStream>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const socket = netConnect({ host, port });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const cleanup = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.off("error", onError);
      socket.off("connect", onConnect);
    };
    const fail = (err: unknown): void => {
      cleanup();
      // Swallow late errors of a socket we gave up on.
      socket.on("error", () => {});
      socket.destroy();
      reject(err);
    };
    const onError = (err: Error): void => fail(err);
    const onAbort = (): void => fail(signal?.reason);
    const onConnect = (): void => {
      cleanup();
      socket.setNoDelay(true);
      resolve(fromSocket(socket));
    };
    socket.once("error", onError);
    socket.once("connect", onConnect);
    signal?.addEventListener("abort", onAbort, { once: true });
    if (timeoutMs !== undefined)
      timer = setTimeout(
        () =>
          fail(new TransportTimeoutError(`TCP connect to ${host}:${port} timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
  });
}

export interface ListenTcpOptions {
  /** Address to bind (default: all interfaces, as node:net does). */
  readonly host?: string;
  readonly port: number;
  /** Connections beyond this many open ones are closed at once (default: no limit). */
  readonly maxConnections?: number;
  /** Told about each connection closed because of `maxConnections`. */
  readonly onLimit?: (peer: { address: string; port: number }) => void;
}

export interface StreamListener {
  address(): { address: string; port: number };
  /** Stops accepting, destroys the connections still open, resolves when the server closed. */
  close(): Promise<void>;
  /** Connections currently open (accepted and not yet closed). */
  readonly connections: number;
}

/**
 * Listens for TCP connections and hands each one to `onStream` as a `ByteStream`. A throwing
 * `onStream` closes only that connection. Resolves once the port is bound.
 */
export function listenTcp(
  options: ListenTcpOptions,
  onStream: (stream: ByteStream) => void,
): Promise<StreamListener> {
  const { host, port, maxConnections, onLimit } = options;
  const open = new Set<Socket>();
  const server = createServer({ noDelay: true }, (socket) => {
    socket.on("error", () => {}); // reported through the stream; never unhandled
    if (maxConnections !== undefined && open.size >= maxConnections) {
      const peer = { address: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 };
      socket.destroy();
      try {
        onLimit?.(peer);
      } catch {
        // a failing observer must not break the listener
      }
      return;
    }
    open.add(socket);
    socket.once("close", () => open.delete(socket));
    try {
      onStream(fromSocket(socket));
    } catch {
      socket.destroy();
    }
  });
  return new Promise<StreamListener>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port }, () => {
      server.off("error", reject);
      server.on("error", () => {});
      resolve({
        address() {
          const a = server.address();
          if (a === null || typeof a === "string") return { address: String(a ?? ""), port: 0 };
          return { address: a.address, port: a.port };
        },
        close() {
          const serverClosed = new Promise<void>((done) => server.close(() => done()));
          const socketsClosed = [...open].map(
            (s) => new Promise<void>((done) => s.once("close", () => done())),
          );
          for (const s of open) s.destroy();
          return Promise.all([serverClosed, ...socketsClosed]).then(() => {});
        },
        get connections() {
          return open.size;
        },
      });
    });
  });
}
