import { isIP } from "node:net";
import { checkServerIdentity, connect, type DetailedPeerCertificate, type TLSSocket } from "node:tls";
import type { ByteStream } from "@mms/io";
import { emitEvent, emitProfileWarnings } from "./emit";
import { TlsConnectError } from "./errors";
import { handshakeEventCode, isNetworkError } from "./handshake-errors";
import { TLS_PORT } from "./listen";
import type { TlsProfile } from "./profile";
import { emitAccepted, startSession } from "./session";
import type { TlsSessionCache } from "./session-cache";
import { verifyPeer } from "./verify";

export interface ConnectTlsOptions {
  host: string;
  /** Default 3782. */
  port?: number;
  /** When given: sent as SNI and the server certificate must match it (DNS or IP SAN). When
   * absent the server is authenticated by its chain (and allow-list) only, as IEC 62351-3
   * peers addressed by IP usually are. */
  servername?: string;
  /** TCP connect + handshake deadline (ms). Default: the profile's handshakeTimeoutMs. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Resume sessions with this server from (and store new ones in) this cache, when the
   * profile's resumption is enabled. Resumed sessions are checked again by the profile. */
  sessionCache?: TlsSessionCache;
}

/**
 * Opens a mutually authenticated TLS connection with the profile. Resolves with a ByteStream
 * (`info.tls` filled) once the server passed every check; rejects with `TlsConnectError`.
 * Note: with TLS 1.3 the server verifies *our* certificate after our handshake completes, so a
 * server that refuses us shows as a stream that closes at once.
 */
export function connectTls(profile: TlsProfile, options: ConnectTlsOptions): Promise<ByteStream> {
  return new Promise<ByteStream>((resolve, reject) => {
    const servername = options.servername;
    if (options.signal?.aborted) return reject(new TlsConnectError("aborted", "aborted before connect"));
    emitProfileWarnings(profile);
    const peer = `${options.host}:${options.port ?? TLS_PORT}`;
    const cache = profile.resumption.enabled ? options.sessionCache : undefined;
    // Keyed by our identity too: a session must never be resumed under another certificate.
    const cacheKey = `${peer}/${servername ?? ""}/${profile.ownCertificate?.fingerprint256 ?? ""}`;
    const lifetimeMs = profile.resumption.lifetimeSeconds * 1000;
    const cached = cache?.get(cacheKey, profile.clock.now(), lifetimeMs);
    let settled = false;
    let socket: TLSSocket | undefined;
    const finish = (err: TlsConnectError | undefined, stream?: ByteStream): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      if (err) {
        socket?.destroy();
        reject(err);
      } else if (stream) resolve(stream);
    };
    const onAbort = (): void => finish(new TlsConnectError("aborted", "connect aborted"));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(
      () => finish(new TlsConnectError("timeout", `no TLS session with ${peer} within the deadline`)),
      options.timeoutMs ?? profile.handshakeTimeoutMs,
    );

    // node:tls reads the peer chain for checkServerIdentity on every full handshake: keep it for
    // verifyPeer (only from this socket's own handshake; absent on resumption or when OpenSSL
    // already reported a verification error, and then verifyPeer reads it itself).
    let detailed: DetailedPeerCertificate | undefined;
    socket = connect({
      secureContext: profile.secureContext,
      host: options.host,
      port: options.port ?? TLS_PORT,
      rejectUnauthorized: false,
      ...(servername !== undefined && isIP(servername) === 0 ? { servername } : {}),
      ...(cached ? { session: cached.session } : {}),
      checkServerIdentity: (_host, cert) => {
        detailed = cert as DetailedPeerCertificate;
        return servername === undefined ? undefined : checkServerIdentity(servername, cert);
      },
    });
    const s = socket;
    // Tickets are cached only with a verified chain (TLS 1.3 sends them after the handshake).
    let verifiedChain: readonly Uint8Array[] | undefined;
    let ticket: Buffer | undefined;
    s.on("session", (t: Buffer) => {
      ticket = t;
      if (cache && verifiedChain) cache.set(cacheKey, t, verifiedChain, profile.clock.now());
    });
    s.on("error", (err) => {
      if (settled) return;
      if (isNetworkError(err)) return finish(new TlsConnectError("network", err.message, undefined, err));
      const { code, reason } = handshakeEventCode(err);
      const event = emitEvent(profile, code, peer, { role: "client", reason });
      finish(
        new TlsConnectError("handshake-failed", `TLS handshake with ${peer} failed: ${reason}`, event, err),
      );
    });
    s.on("close", () => {
      // Every session closes some day: build the error (and its stack) only during the handshake.
      if (!settled)
        finish(new TlsConnectError("handshake-failed", `${peer} closed the connection during the handshake`));
    });
    s.once("secureConnect", () => {
      if (settled) return;
      const verdict = verifyPeer(s, profile, cached?.chain, detailed);
      if (!verdict.ok) {
        cache?.delete(cacheKey);
        const event = emitEvent(profile, verdict.code, peer, {
          role: "client",
          reason: verdict.reason,
          subject: verdict.subject,
        });
        return finish(
          new TlsConnectError("peer-rejected", `server ${peer} refused: ${verdict.reason}`, event),
        );
      }
      verifiedChain = verdict.chain;
      if (cache && ticket) cache.set(cacheKey, ticket, verdict.chain, profile.clock.now());
      emitAccepted(s, profile, verdict, "client");
      finish(undefined, startSession(s, profile, "client", verdict.chain).stream);
    });
  });
}
