import diagnostics from "node:diagnostics_channel";
import type { SecurityEvent } from "../security-event";

/** The diagnostics channel every layer publishes its security events on. */
export const SECURITY_CHANNEL = "mms:security";
const channel = diagnostics.channel(SECURITY_CHANNEL);

/** Publishes a security event on `mms:security` (cheap when nobody subscribes). */
export function publishSecurityEvent(event: SecurityEvent): void {
  if (channel.hasSubscribers) channel.publish(event);
}

/** Subscribes to `mms:security`; returns the unsubscribe function. */
export function subscribeSecurityEvents(listener: (event: SecurityEvent) => void): () => void {
  const handler = (message: unknown): void => listener(message as SecurityEvent);
  diagnostics.subscribe(SECURITY_CHANNEL, handler);
  return () => diagnostics.unsubscribe(SECURITY_CHANNEL, handler);
}
