import type { Oid } from "@mms/asn1";
import type { AuthenticationContext, AuthenticationMechanism } from "../auth/mechanism";
import { certificateFailure } from "./failure";

/**
 * The mechanism-name rule of R-ACSE-10 for an association that requires `mechanism`: a missing
 * name fails with `mechanism-name-required` (AARE rejected-permanent, diagnostic 12), a name the
 * mechanism does not accept with `unknown-mechanism` (diagnostic 11); each raises
 * `ALM_ACSE_AUTH_FAILED`. Returns the mechanism when the name is one of its names.
 */
export function checkMechanismName(
  mechanism: AuthenticationMechanism,
  received: Oid | undefined,
  ctx: AuthenticationContext,
): AuthenticationMechanism {
  if (received === undefined)
    throw certificateFailure(
      ctx,
      "mechanism-name-required",
      `authentication by ${mechanism.name} is required`,
      {
        expected: mechanism.mechanismNames[0],
      },
    );
  if (!mechanism.mechanismNames.includes(received))
    throw certificateFailure(ctx, "unknown-mechanism", `mechanism name ${received} not recognized`, {
      mechanismName: received,
      expected: mechanism.mechanismNames[0],
    });
  return mechanism;
}
