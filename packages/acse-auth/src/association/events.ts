import { type SecurityEvent, securityEvent, type TransportInfo } from "@mms/io";
import { publishSecurityEvent } from "@mms/io/node";

/** Publishes a security event on `mms:security` and hands it to the application's listener. */
export function makeEmitter(listener: ((e: SecurityEvent) => void) | undefined): (e: SecurityEvent) => void {
  return (e) => {
    publishSecurityEvent(e);
    if (listener) {
      try {
        listener(e);
      } catch {
        // A listener's failure must not break the association.
      }
    }
  };
}

/** `address:port` of the transport's peer, for events. */
export function peerLabel(info: TransportInfo, apTitle?: unknown): string | undefined {
  const addr =
    info.remoteAddress === undefined ? undefined : `${info.remoteAddress}:${info.remotePort ?? ""}`;
  if (typeof apTitle === "string") return addr ? `${apTitle}@${addr}` : apTitle;
  return addr;
}

export { securityEvent };
