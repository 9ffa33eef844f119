import type { BitString, Oid } from "@mms/asn1";
import type { AuthenticationValue } from "../auth/mechanism";

/**
 * Whether an ACSE-requirements BIT STRING selects the authentication functional unit
 * (ISO 8650-1 / X.227 ACSE-1 module: `ACSE-requirements ::= BIT STRING { authentication (0), … }`).
 * Compared by bits, never by bytes: libiec61850 sends `04 80`, iec61850bean `07 80`.
 */
export function selectsAuthentication(requirements: BitString | undefined): boolean {
  if (!requirements || requirements.bitLength < 1) return false;
  return ((requirements.bytes[0] ?? 0) & 0x80) !== 0;
}

/**
 * How the authentication fields of an AARQ or AARE relate to its ACSE-requirements bit.
 * ISO 8650-1 / X.227 (A-ASSOCIATE, Authentication functional unit): the unit is negotiated by
 * the `authentication` bit; the mechanism name and the authentication value may be present
 * only when it is selected. What each shape leads to is docs/acse-authentication.md
 * "Requirements bit".
 *
 * - `none`: no bit, no name, no value (no ACSE authentication);
 * - `fields-without-unit`: a name or a value without the bit (a protocol error);
 * - `unit-without-value`: the bit without a value (with or without a name);
 * - `complete`: the bit and a value (the name may be absent).
 */
export type RequirementsShape = "none" | "fields-without-unit" | "unit-without-value" | "complete";

export function requirementsShape(
  requirements: BitString | undefined,
  mechanismName: Oid | undefined,
  value: AuthenticationValue | undefined,
): RequirementsShape {
  const unit = selectsAuthentication(requirements);
  if (!unit) return mechanismName !== undefined || value !== undefined ? "fields-without-unit" : "none";
  return value === undefined ? "unit-without-value" : "complete";
}
