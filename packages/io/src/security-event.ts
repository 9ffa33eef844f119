/**
 * Security events (DECISIONS.md "Security events"): every security-relevant outcome of every
 * layer is one of these, published on the `mms:security` diagnostics channel (see
 * `@mms/io/node`) and to any listener the application registers. Codes follow the IEC 62351-3
 * / 62351-100-3 style: `ALM_*` alarms, `WRN_*` warnings, `INF_*` information.
 */
export type SecuritySeverity = "alarm" | "warning" | "info";

export interface SecurityEvent {
  readonly code: string;
  readonly severity: SecuritySeverity;
  /** Epoch milliseconds. */
  readonly time: number;
  /** Who the event is about: an address, a certificate subject, an AP-title. */
  readonly peer: string | undefined;
  /** Machine-readable reason and measured values (e.g. `{ reason: "expired", skewMs: 612000 }`). */
  readonly detail: Readonly<Record<string, string | number | boolean | undefined>>;
}

/** A place that receives security events. */
export type SecurityEventListener = (event: SecurityEvent) => void;

/** Severity is derived from the code prefix. */
export function severityOf(code: string): SecuritySeverity {
  return code.startsWith("ALM_") ? "alarm" : code.startsWith("WRN_") ? "warning" : "info";
}

/** Builds an event (time from the given clock value). */
export function securityEvent(
  code: string,
  time: number,
  peer: string | undefined,
  detail: SecurityEvent["detail"] = {},
): SecurityEvent {
  return Object.freeze({
    code,
    severity: severityOf(code),
    time,
    peer,
    detail: Object.freeze({ ...detail }),
  });
}
