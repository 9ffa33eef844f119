import { PASSWORD_MECHANISM } from "../acse/apdu";
import {
  type AuthenticationContext,
  AuthenticationError,
  type AuthenticationMechanism,
  type AuthenticationValue,
  type PeerIdentity,
} from "./mechanism";

/** Checks a received password; resolves to the peer's identity, or undefined to refuse it. */
export type PasswordVerifier = (
  password: string,
  ctx: AuthenticationContext,
) => Promise<PeerIdentity | undefined>;

export type PasswordOptions =
  /** A shared password: sent as our credentials and required from the peer. */
  | { readonly password: string; readonly verify?: PasswordVerifier | undefined }
  /** A verifier (e.g. a user table); `password`, when given, is what we send. */
  | { readonly verify: PasswordVerifier; readonly password?: string | undefined };

/** Constant-time comparison of two strings of char codes (no early exit on the first difference). */
function sameString(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}

const FAILURE = { kind: "abort", diagnostic: 5 } as const;

/**
 * ACSE password authentication, mechanism `2.2.3.1` (X.227 password-1): the value is the
 * `charstring [0] GraphicString` choice, as libiec61850 sends it (V12). A password crosses the
 * wire in clear: the responder accepts it only over TLS unless its policy says
 * `insecureAllowPasswordWithoutTls` (DECISIONS.md). A wrong password is answered with an
 * A-ABORT, diagnostic authentication-failure (5).
 */
export function passwordAuthentication(options: PasswordOptions): AuthenticationMechanism {
  const own = options.password;
  const verifier = options.verify;
  if (own === undefined && verifier === undefined)
    throw new TypeError("passwordAuthentication: give a password or a verify function");
  return Object.freeze({
    name: "password",
    mechanismNames: Object.freeze([PASSWORD_MECHANISM]),
    async credentials(): Promise<AuthenticationValue> {
      if (own === undefined)
        throw new AuthenticationError("no-credentials", "no password configured to send", {
          kind: "abort",
          diagnostic: 1,
        });
      return { type: "charstring", value: own };
    },
    async verify(value: AuthenticationValue, ctx: AuthenticationContext): Promise<PeerIdentity> {
      if (value.type !== "charstring")
        throw new AuthenticationError(
          "bad-value",
          `password value must be a charstring, got ${value.type}`,
          FAILURE,
        );
      if (verifier) {
        const id = await verifier(value.value, ctx);
        if (!id) throw new AuthenticationError("bad-password", "password refused", FAILURE);
        return id;
      }
      if (!sameString(value.value, own ?? ""))
        throw new AuthenticationError("bad-password", "password refused", FAILURE);
      return { mechanism: "password", name: "password", certificate: undefined };
    },
  });
}
