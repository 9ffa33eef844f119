import type { TLSSocket } from "node:tls";
import nodeTls from "node:tls";
import type { ByteChain, ByteStream, TransportInfo } from "@mms/io";
import { fromSocket } from "@mms/io/node";
import { emitEvent, peerName } from "./emit";
import { TlsEventCode } from "./events";
import type { TlsProfile } from "./profile";
import { type PeerVerdict, verifyPeer } from "./verify";

export type Role = "client" | "server";

/** A live, verified TLS session. */
export interface TlsSession {
  readonly socket: TLSSocket;
  readonly stream: ByteStream;
  /** The peer's chain as last verified (end-entity first). */
  chain: readonly Uint8Array[];
}

/** Raises the events of an accepted peer (and the insecure-version warning). */
export function emitAccepted(
  socket: TLSSocket,
  profile: TlsProfile,
  verdict: PeerVerdict & { ok: true },
  role: Role,
): void {
  const peer = peerName(socket);
  const protocol = socket.getProtocol() ?? "unknown";
  for (const w of verdict.warnings) emitEvent(profile, w.code, peer, w.detail);
  if (protocol === "TLSv1" || protocol === "TLSv1.1") {
    emitEvent(profile, TlsEventCode.INSECURE_VERSION, peer, { protocol, role, reason: "legacy2007" });
  }
  emitEvent(profile, TlsEventCode.SESSION_ESTABLISHED, peer, {
    role,
    protocol,
    cipher: socket.getCipher()?.standardName ?? "unknown",
    subject: verdict.subject,
    resumed: socket.isSessionReused(),
  });
  if (profile.rekey.intervalMs === 0 && profile.rekey.maxMessages === 0) {
    emitEvent(profile, TlsEventCode.REKEY_DISABLED, peer, { role });
  }
}

/**
 * Wraps a verified socket as a ByteStream (`info.tls` filled) and runs the rekey schedule
 * (IEC 62351-3, R-TLS-4): on TLS 1.2 and below, a renegotiation after `rekey.intervalMs` and
 * after `rekey.maxMessages` writes on the stream, each bounded by `rekey.timeoutMs`. A failed
 * or timed-out renegotiation, or a peer that fails the checks afterwards, closes the session.
 * TLS 1.3 has no rekey we can start (node:tls has no KeyUpdate API); a peer's KeyUpdate is
 * honoured by OpenSSL.
 */
export function startSession(
  socket: TLSSocket,
  profile: TlsProfile,
  role: Role,
  chain: readonly Uint8Array[],
): TlsSession {
  // The chain was just read for verification: no second getPeerCertificate(true) walk.
  const info: TransportInfo = {
    remoteAddress: socket.remoteAddress,
    remotePort: socket.remotePort,
    localAddress: socket.localAddress,
    localPort: socket.localPort,
    tls: {
      protocol: socket.getProtocol() ?? "unknown",
      cipher: socket.getCipher()?.standardName ?? "unknown",
      peerCertificate: chain[0],
      peerChain: chain,
    },
  };
  const inner = fromSocket(socket, info);
  const peer = peerName(socket);
  const rekey = profile.rekey;
  const mayRekey =
    (rekey.initiator === "both" || rekey.initiator === role) &&
    socket.getProtocol() !== "TLSv1.3" &&
    (rekey.intervalMs > 0 || rekey.maxMessages > 0);
  let messages = 0;
  let pending = false;
  let interval: ReturnType<typeof setInterval> | undefined;
  // node:tls counts the handshakes on a server socket, ours included (two per renegotiation the
  // server starts), and ends the session past tls.CLIENT_RENEG_LIMIT (3) handshakes that follow
  // each other within tls.CLIENT_RENEG_WINDOW seconds. A server therefore starts a renegotiation
  // only when none happened in the current run of handshakes; otherwise it waits for the window.
  let lastHandshake = Date.now();
  let renegotiatedInRun = false;
  let deferred: ReturnType<typeof setTimeout> | undefined;
  // With a margin: node measures the gap on its own clock, at the start of each handshake.
  const windowMs = (): number => nodeTls.CLIENT_RENEG_WINDOW * 1100 + 50;
  const handshakeStarted = (): void => {
    const now = Date.now();
    if (now - lastHandshake >= windowMs()) renegotiatedInRun = false;
    renegotiatedInRun = true;
    lastHandshake = now;
  };

  // After a handshake on a live session, the peer is checked again as on the first one: a
  // failure is an event and closes the session; a pass keeps the chain now presented.
  const recheck = (phase: "renegotiation" | "peer-renegotiation"): boolean => {
    const verdict = verifyPeer(socket, profile);
    if (!verdict.ok) {
      emitEvent(profile, verdict.code, peer, {
        role,
        reason: verdict.reason,
        subject: verdict.subject,
        phase,
      });
      socket.destroy();
      return false;
    }
    session.chain = verdict.chain;
    return true;
  };

  const renegotiate = (trigger: "time" | "messages"): void => {
    if (pending || deferred || socket.destroyed) return;
    const wait = role === "server" && renegotiatedInRun ? lastHandshake + windowMs() - Date.now() : 0;
    if (wait > 0) {
      deferred = setTimeout(() => {
        deferred = undefined;
        renegotiate(trigger);
      }, wait);
      deferred.unref?.();
      return;
    }
    pending = true;
    handshakeStarted();
    const count = messages;
    messages = 0;
    let settled = false;
    // A peer that refuses (an OpenSSL peer's no_renegotiation alert; mbedtls, as libiec61850
    // 1.5 builds it, refuses in both roles) kills the session with an error, and node then never
    // calls the renegotiate callback: the error or close is the outcome, reported at once.
    const onError = (err: Error): void => fail(`the session failed during renegotiation: ${err.message}`);
    const onClose = (): void => fail("the session closed during renegotiation");
    const settle = (): void => {
      settled = true;
      pending = false;
      clearTimeout(timer);
      socket.off("error", onError);
      socket.off("close", onClose);
    };
    const fail = (reason: string): void => {
      if (settled) return;
      settle();
      emitEvent(profile, TlsEventCode.RENEGOTIATION_FAILED, peer, { role, trigger, reason });
      socket.destroy();
    };
    const timer = setTimeout(() => fail("timeout"), rekey.timeoutMs);
    timer.unref?.();
    socket.once("error", onError);
    socket.once("close", onClose);
    const started = socket.renegotiate({ rejectUnauthorized: false, requestCert: true }, (err) => {
      if (settled) return;
      if (err) return fail(err.message);
      settle();
      if (recheck("renegotiation"))
        emitEvent(profile, TlsEventCode.RENEGOTIATED, peer, { role, trigger, messages: count });
    });
    if (!started) fail("renegotiation refused locally");
  };

  if (mayRekey && rekey.intervalMs > 0) {
    interval = setInterval(() => renegotiate("time"), rekey.intervalMs);
    interval.unref?.();
  }
  socket.once("close", () => {
    if (interval) clearInterval(interval);
    if (deferred) clearTimeout(deferred);
  });
  // node:tls emits 'secure' after every later handshake too. One the peer started (TLS 1.2
  // renegotiation) may carry another certificate: check it again like the first one.
  socket.on("secure", () => {
    if (pending || socket.destroyed) return; // our own renegotiation: its callback checks
    handshakeStarted();
    if (!recheck("peer-renegotiation")) return;
    messages = 0;
    emitEvent(profile, TlsEventCode.RENEGOTIATED, peer, { role, trigger: "peer" });
  });

  const stream: ByteStream = {
    info: inner.info,
    closed: inner.closed,
    write(chunks: ByteChain): Promise<void> {
      const done = inner.write(chunks);
      if (mayRekey && rekey.maxMessages > 0 && ++messages >= rekey.maxMessages) renegotiate("messages");
      return done;
    },
    end: () => inner.end(),
    destroy: (reason?: Error) => inner.destroy(reason),
    [Symbol.asyncIterator]: () => inner[Symbol.asyncIterator](),
    // The synchronous reader path of the socket stream stays available above TLS.
    ...(inner.subscribe ? { subscribe: inner.subscribe.bind(inner) } : {}),
  };
  const session: TlsSession = { socket, stream, chain };
  return session;
}
