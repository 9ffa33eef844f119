/** Who the peer of an association proved to be (structurally `PeerIdentity` of @mms/acse-auth). */
export interface PeerIdentity {
  readonly mechanism: string;
  readonly name: string;
  readonly certificate?: Uint8Array | undefined;
}

/**
 * Who may do something: `"any"` (every association, authenticated or not), `"none"`,
 * `"authenticated"` (any association whose peer was authenticated), a list of identity names
 * (`PeerIdentity.name`: certificate subject or password user), or a predicate.
 */
export type AccessMatcher =
  | "any"
  | "none"
  | "authenticated"
  | readonly string[]
  | ((identity: PeerIdentity | undefined) => boolean);

/** Read and write rights of a variable (inherited by its components unless they set their own). */
export interface AccessRights {
  readonly read?: AccessMatcher;
  readonly write?: AccessMatcher;
}

/** What the VMD knows about the association a request comes from. */
export interface AccessContext {
  /** Unique per server process. */
  readonly associationId: number;
  /** The authenticated peer, or undefined on an unauthenticated association. */
  readonly identity: PeerIdentity | undefined;
}

export function matches(matcher: AccessMatcher, identity: PeerIdentity | undefined): boolean {
  if (matcher === "any") return true;
  if (matcher === "none") return false;
  if (matcher === "authenticated") return identity !== undefined && identity.mechanism !== "none";
  if (typeof matcher === "function") return matcher(identity);
  return identity !== undefined && matcher.includes(identity.name);
}

/** Library default: everyone reads, nobody writes unless the model says so. */
export const DEFAULT_ACCESS: Required<AccessRights> = Object.freeze({ read: "any", write: "none" });
