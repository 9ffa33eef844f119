import type { Oid } from "@mms/asn1";

/**
 * IEC 62351-4:2007 §5.3.2 certificate mechanism name as sent on the wire by deployed stacks and
 * the 2018 edition (DECISIONS.md "ACSE peer-entity authentication"; reference R-ACSE-3):
 * `28 86 48 00 01 00 01 01`.
 */
export const CERTIFICATE_MECHANISM_NAME: Oid = "1.0.840.0.1.0.1.1";

/** The literal reading of the TS module header ("iso member-body usa(840)"): accepted on receipt. */
export const CERTIFICATE_MECHANISM_NAME_LITERAL: Oid = "1.2.840.0.1.0.1.1";

/** Names accepted on receipt, the first being the one sent. */
export const CERTIFICATE_MECHANISM_NAMES: readonly Oid[] = Object.freeze([
  CERTIFICATE_MECHANISM_NAME,
  CERTIFICATE_MECHANISM_NAME_LITERAL,
]);

/** ISO 8650-1 A-ABORT abort-diagnostic values (R-ACSE-10). */
export const ABORT_AUTHENTICATION_FAILURE = 5;
export const ABORT_AUTHENTICATION_REQUIRED = 6;
/** ISO 8650-1 AARE acse-service-user diagnostics (R-ACSE-10). */
export const AARE_MECHANISM_NAME_NOT_RECOGNIZED = 11;
export const AARE_MECHANISM_NAME_REQUIRED = 12;

/** Largest certificate accepted or sent (62351-4 §5.3.2, R-ACSE-5 / R-TLS-5). */
export const MAX_CERTIFICATE_OCTETS = 8192;
