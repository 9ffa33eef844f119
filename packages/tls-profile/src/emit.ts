import { type SecurityEvent, securityEvent } from "@mms/io";
import { publishSecurityEvent } from "@mms/io/node";
import { TlsEventCode } from "./events";
import type { TlsProfile } from "./profile";

/** Raises an event: published on `mms:security` and given to the profile's listener. */
export function emitEvent(
  profile: TlsProfile,
  code: TlsEventCode,
  peer: string | undefined,
  detail: SecurityEvent["detail"] = {},
): SecurityEvent {
  const event = securityEvent(code, profile.clock.now(), peer, detail);
  publishSecurityEvent(event);
  try {
    profile.onSecurityEvent?.(event);
  } catch {
    // A failing listener must not break the connection handling.
  }
  return event;
}

/** `address:port` of a socket's peer, for events. */
export function peerName(socket: {
  remoteAddress?: string | undefined;
  remotePort?: number | undefined;
}): string | undefined {
  return socket.remoteAddress === undefined
    ? undefined
    : `${socket.remoteAddress}:${socket.remotePort ?? "?"}`;
}

/** Startup checks of a profile: own certificate expiring soon, CRLs past their nextUpdate. */
export function emitProfileWarnings(profile: TlsProfile): void {
  const codes = TlsEventCode;
  const now = profile.clock.now();
  const own = profile.ownCertificate;
  if (own) {
    const left = Date.parse(own.validTo) - now;
    if (left < profile.certificateExpiryWarningDays * 86_400_000) {
      emitEvent(profile, codes.CERT_EXPIRES_SOON, undefined, {
        whose: "own",
        subject: own.subject.replace(/\n/g, ", "),
        notAfter: own.validTo,
        daysLeft: Math.floor(left / 86_400_000),
      });
    }
  }
  for (const crl of profile.crls) {
    if (crl.nextUpdate !== undefined && crl.nextUpdate.getTime() < now) {
      emitEvent(profile, codes.CRL_EXPIRED, undefined, {
        issuer: crl.issuer,
        nextUpdate: crl.nextUpdate.toISOString(),
      });
    }
  }
}
