import { connectTcp, listenTcp } from "@mms/io/node";
import {
  acceptCotp,
  type CotpConnection,
  type CotpInitiatorOptions,
  type CotpResponderOptions,
  openCotp,
} from "./connection";

/** RFC 1006 §4: ISO transport services on top of TCP use port 102. */
export const ISO_TSAP_PORT = 102;

export type CotpConnectOptions = {
  readonly host: string;
  /** Default 102. */
  readonly port?: number;
  /** Limit for the TCP handshake (the CR/CC exchange has `timeoutMs`). */
  readonly connectTimeoutMs?: number;
  readonly signal?: AbortSignal;
} & CotpInitiatorOptions;

/** Connects over plain TCP (port 102 by default) and opens a class 0 connection. */
export async function connect(options: CotpConnectOptions): Promise<CotpConnection> {
  const stream = await connectTcp({
    host: options.host,
    port: options.port ?? ISO_TSAP_PORT,
    ...(options.connectTimeoutMs !== undefined ? { timeoutMs: options.connectTimeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return openCotp(stream, options);
}

export type CotpListenOptions = {
  /** Address to bind (default: all interfaces). */
  readonly host?: string;
  /** Default 102; 0 picks a free port. */
  readonly port?: number;
  /** TCP connections beyond this many are closed at once (default: no limit). */
  readonly maxConnections?: number;
  /** Close connections that deliver no complete TPDU for this long (default: never). */
  readonly idleTimeoutMs?: number;
  /** Called with the error when a connection attempt fails (bad CR, timeout, refusal). */
  readonly onRejected?: (error: Error) => void;
} & CotpResponderOptions;

export interface CotpListener {
  address(): { address: string; port: number };
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
  /** TCP connections open, including those still in the CR/CC exchange. */
  readonly connections: number;
}

/**
 * Listens on plain TCP (port 102 by default) and hands every established class 0 connection to
 * `onConnection`. A connection that fails before CC (garbage, truncated or oversized TPKTs,
 * nothing within `timeoutMs`, a refused CR) is closed after the ER/DR the standard asks for and
 * never reaches `onConnection`; the listener keeps serving the others.
 */
export async function listen(
  options: CotpListenOptions,
  onConnection: (connection: CotpConnection) => void,
): Promise<CotpListener> {
  const tcp = await listenTcp(
    {
      port: options.port ?? ISO_TSAP_PORT,
      ...(options.host !== undefined ? { host: options.host } : {}),
      ...(options.maxConnections !== undefined ? { maxConnections: options.maxConnections } : {}),
    },
    (stream) => {
      acceptCotp(stream, options).then(
        (c) => {
          try {
            onConnection(c);
          } catch (e) {
            c.destroy(e instanceof Error ? e : new Error(String(e)));
          }
        },
        (e: unknown) => options.onRejected?.(e instanceof Error ? e : new Error(String(e))),
      );
    },
  );
  return tcp;
}
