import type { AddressInfo } from "node:net";
import { createServer, type TLSSocket } from "node:tls";
import type { ByteStream } from "@mms/io";
import { secureContextOptions } from "./context";
import { emitEvent, emitProfileWarnings, peerName } from "./emit";
import { TlsEventCode } from "./events";
import { handshakeEventCode } from "./handshake-errors";
import { type TlsProfile, withTlsProfileChanges } from "./profile";
import { emitAccepted, startSession, type TlsSession } from "./session";
import { revokedSubject, verifyPeer } from "./verify";

/** IANA iso-tp0s: ISO transport over TLS (IEC 62351-4 §6). */
export const TLS_PORT = 3782;

export interface ListenTlsOptions {
  /** Interface to bind; default: all (node's default). */
  host?: string;
  /** Default 3782; 0 picks a free port. */
  port?: number;
  /** Simultaneous connections (TCP level); more are dropped with WRN_TLS_CONNECTION_LIMIT. Default 64. */
  maxConnections?: number;
}

export interface TlsListener {
  address(): AddressInfo;
  /** The profile new connections get. */
  readonly profile: TlsProfile;
  /** Replaces the profile for new connections; live sessions keep theirs. */
  setProfile(profile: TlsProfile): void;
  /**
   * Replaces the CRLs (validated like a new profile; throws TlsProfileError). Live sessions whose
   * peer (or a CA of its chain) is now revoked raise ALM_CERT_REVOKED and are closed when
   * `closeRevokedSessions` is set. Returns the number of sessions found revoked.
   */
  reloadCrls(crlPems: readonly string[]): number;
  /** Stops accepting, closes live sessions. */
  close(): Promise<void>;
  /** Live verified sessions. */
  readonly connections: number;
}

/**
 * Listens for TLS connections (always mutual). Each verified connection becomes a ByteStream
 * handed to `onStream` (if it throws or its promise rejects, that connection is destroyed);
 * refused ones raise the precise security event and are destroyed before
 * any byte reaches the application.
 */
export function listenTls(
  profile: TlsProfile,
  options: ListenTlsOptions,
  onStream: (stream: ByteStream) => void | Promise<void>,
): Promise<TlsListener> {
  let current = profile;
  const sessions = new Set<TlsSession>();
  const server = createServer({
    ...secureContextOptions(profile),
    requestCert: true,
    rejectUnauthorized: false,
    handshakeTimeout: profile.handshakeTimeoutMs,
  });
  server.maxConnections = options.maxConnections ?? 64;
  emitProfileWarnings(profile);

  server.on("tlsClientError", (err, socket) => {
    const { code, reason } = handshakeEventCode(err);
    emitEvent(current, code, peerName(socket), { role: "server", reason });
    socket.destroy();
  });
  server.on("drop", (data) => {
    emitEvent(current, TlsEventCode.CONNECTION_LIMIT, data?.remoteAddress, { max: server.maxConnections });
  });
  server.on("secureConnection", (socket: TLSSocket) => {
    const p = current;
    socket.on("error", () => {
      // Read by the stream; a socket error after this point only closes the session.
    });
    const verdict = verifyPeer(socket, p);
    if (!verdict.ok) {
      emitEvent(p, verdict.code, peerName(socket), {
        role: "server",
        reason: verdict.reason,
        subject: verdict.subject,
      });
      socket.destroy();
      return;
    }
    emitAccepted(socket, p, verdict, "server");
    const session = startSession(socket, p, "server", verdict.chain);
    sessions.add(session);
    socket.once("close", () => sessions.delete(session));
    // An application error closes this connection only, never the listener or the process.
    const fail = (): void => session.stream.destroy();
    try {
      const r = onStream(session.stream);
      if (r && typeof r.then === "function") r.then(undefined, fail);
    } catch {
      fail();
    }
  });

  const listener: TlsListener = {
    address: () => server.address() as AddressInfo,
    get profile() {
      return current;
    },
    get connections() {
      return sessions.size;
    },
    setProfile(next: TlsProfile): void {
      server.setSecureContext(secureContextOptions(next));
      current = next;
      emitEvent(next, TlsEventCode.PROFILE_REPLACED, undefined, {});
      emitProfileWarnings(next);
    },
    reloadCrls(crlPems: readonly string[]): number {
      const next = withTlsProfileChanges(current, { crls: crlPems });
      server.setSecureContext(secureContextOptions(next));
      current = next;
      emitEvent(next, TlsEventCode.CRL_RELOADED, undefined, { crls: crlPems.length });
      emitProfileWarnings(next);
      let revoked = 0;
      for (const s of sessions) {
        const subject = revokedSubject(next, s.chain);
        if (subject === undefined) continue;
        revoked++;
        emitEvent(next, TlsEventCode.CERT_REVOKED, peerName(s.socket), {
          role: "server",
          reason: "crl-reload",
          subject,
          closed: next.closeRevokedSessions,
        });
        if (next.closeRevokedSessions) s.socket.destroy();
      }
      return revoked;
    },
    close(): Promise<void> {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sessions) s.socket.destroy();
      });
    },
  };

  return new Promise<TlsListener>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? TLS_PORT, options.host, () => {
      server.off("error", reject);
      server.on("error", () => {
        // Listening errors after start are not fatal for live sessions.
      });
      resolve(listener);
    });
  });
}
