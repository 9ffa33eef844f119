import { type AuthenticationMechanism, passwordAuthentication } from "@mms/acse-auth";
import { connect } from "@mms/client";
import type { SecurityEvent } from "@mms/io";
import { createTlsProfile, type TlsProfile } from "@mms/tls-profile";
import { identityText } from "../format/identity";
import type { ConnectionSettings, Credentials } from "../options";
import { certificateMechanism } from "./serve-start";
import { sessionOf } from "./client-session";
import type { SessionFactory } from "./session";

export function tlsProfileOf(c: Credentials, onSecurityEvent?: (e: SecurityEvent) => void): TlsProfile {
  return createTlsProfile({
    trustAnchors: [c.ca],
    certificateChain: c.cert,
    privateKey: c.key,
    ...(c.crl ? { crls: [c.crl] } : {}),
    ...(onSecurityEvent ? { onSecurityEvent } : {}),
  });
}

export function authenticationOf(s: ConnectionSettings): AuthenticationMechanism | "insecure-none" {
  if (s.auth === "certificate" && s.credentials) return certificateMechanism(s.credentials);
  if (s.auth === "password" && s.password !== undefined)
    return passwordAuthentication({ password: s.password });
  return "insecure-none";
}

/** Opens a CliSession over @mms/client's `connect` (TCP or TLS → COTP → ACSE → MMS initiate). */
export const openSession: SessionFactory = async (s, signal) => {
  const transport =
    s.tls && s.credentials
      ? ({ kind: "tls", profile: tlsProfileOf(s.credentials), host: s.host, port: s.port } as const)
      : ({ kind: "insecure-tcp", host: s.host, port: s.port } as const);
  const client = await connect({
    transport,
    authentication: authenticationOf(s),
    // The server authenticates itself in the AARE only when we used the certificate mechanism.
    requireServerAuthentication: s.auth === "certificate",
    timeoutMs: s.timeoutMs,
    connectTimeoutMs: s.timeoutMs,
    ...(signal ? { signal } : {}),
  });
  const tls = client.association.info.tls;
  const peer = (
    client.association as {
      peer?: { identity?: { mechanism: string; name: string; certificate?: Uint8Array | undefined } };
    }
  ).peer;
  return sessionOf(
    client,
    {
      tls: tls ? { protocol: tls.protocol, cipher: tls.cipher } : undefined,
      peer: peer?.identity ? identityText(peer.identity) : undefined,
      auth: s.auth,
    },
    s.timeoutMs,
  );
};
