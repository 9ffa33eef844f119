import type { SecurityEventListener } from "@mms/io";
import { connectTcp, listenTcp, publishSecurityEvent } from "@mms/io/node";
import { CotpError } from "./errors";
import { CotpEventCode, eventCodeOf, peerOf, raise } from "./events";
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
  /**
   * Receives the security events of this listener (also published on `mms:security`):
   * `WRN_COTP_PROTOCOL_ERROR`, `WRN_COTP_TIMEOUT`, `WRN_COTP_REFUSED`, `WRN_COTP_CONNECTION_LIMIT`.
   */
  readonly onSecurityEvent?: SecurityEventListener;
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
  const event = (code: CotpEventCode, peer: string | undefined, error: unknown, phase: string): void => {
    const detail =
      error instanceof CotpError
        ? { reason: error.code, phase, drReason: error.drReason, erCause: error.erCause }
        : { reason: String(error), phase };
    raise(publishSecurityEvent, options.onSecurityEvent, code, peer, detail);
  };
  const tcp = await listenTcp(
    {
      port: options.port ?? ISO_TSAP_PORT,
      ...(options.host !== undefined ? { host: options.host } : {}),
      ...(options.maxConnections !== undefined ? { maxConnections: options.maxConnections } : {}),
      onLimit: (peer) =>
        event(CotpEventCode.CONNECTION_LIMIT, `${peer.address}:${peer.port}`, "connection-limit", "connect"),
    },
    (stream) => {
      const peer = peerOf(stream.info);
      acceptCotp(stream, options).then(
        (c) => {
          void c.closed.then((info) => {
            const code = eventCodeOf(info.error);
            if (code) event(code, peer, info.error, "data");
          });
          try {
            onConnection(c);
          } catch (e) {
            c.destroy(e instanceof Error ? e : new Error(String(e)));
          }
        },
        (e: unknown) => {
          const code = eventCodeOf(e);
          // A peer that connects and closes without a CR (a port scan) is reported too.
          event(code ?? CotpEventCode.PROTOCOL_ERROR, peer, e, "connect");
          options.onRejected?.(e instanceof Error ? e : new Error(String(e)));
        },
      );
    },
  );
  return tcp;
}
