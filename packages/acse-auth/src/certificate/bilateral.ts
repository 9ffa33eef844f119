import type { Oid } from "@mms/asn1";
import type { TransportInfo } from "@mms/io";

/**
 * IEC 62351-4 §7.2 / TASE.2 bilateral table (R-CONF-2, R-MMS-2): for each remote AP-title, the
 * transport security (`secure` = TLS required, `non-secure` = plain TCP required, `dont-care`)
 * and the application security (`secure` = 62351-4 certificate authentication in the AARQ and
 * AARE, `non-secure` = none). `decideBilateral` turns a table row and the transport an
 * association arrived on into the decision the association applies.
 */
export type TransportSecurity = "secure" | "non-secure" | "dont-care";
export type ApplicationSecurity = "secure" | "non-secure";

export interface BilateralEntry {
  /** Remote AP-title (dotted OID); `*` is the row for peers absent from the table. */
  readonly apTitle: Oid | "*";
  /** When set, the row applies only to this AE-qualifier. */
  readonly aeQualifier?: number;
  readonly transport: TransportSecurity;
  readonly application: ApplicationSecurity;
  /** Also accept the ACSE password mechanism (only over TLS) for an application-non-secure row. */
  readonly acceptPassword?: boolean;
}

export type BilateralTable = readonly BilateralEntry[];

/** The mechanisms an association with this peer must or may use. */
export type BilateralRequirement = "certificate" | "password" | "none";

export type BilateralDecision =
  | {
      readonly accept: true;
      readonly entry: BilateralEntry;
      /** Mechanisms accepted, strongest first; `certificate` alone when application is secure. */
      readonly mechanisms: readonly BilateralRequirement[];
      /** The responder authenticates itself in the AARE (application secure). */
      readonly respondWithCertificate: boolean;
    }
  | {
      readonly accept: false;
      readonly reason: "unknown-peer" | "tls-required" | "tls-forbidden";
      readonly entry: BilateralEntry | undefined;
    };

/** The row for a peer: exact AP-title + AE-qualifier, then AP-title alone, then `*`. */
export function bilateralEntry(
  table: BilateralTable,
  apTitle: Oid | undefined,
  aeQualifier?: number,
): BilateralEntry | undefined {
  if (apTitle !== undefined) {
    const exact = table.find(
      (e) => e.apTitle === apTitle && e.aeQualifier !== undefined && e.aeQualifier === aeQualifier,
    );
    if (exact) return exact;
    const byTitle = table.find((e) => e.apTitle === apTitle && e.aeQualifier === undefined);
    if (byTitle) return byTitle;
  }
  return table.find((e) => e.apTitle === "*");
}

/**
 * Compares what arrived with the bilateral expectation (pure): refuses a peer with no row
 * (and no `*` row), a non-TLS association for a transport-secure row, a TLS one for a
 * transport-non-secure row; otherwise says which ACSE mechanisms the association accepts.
 */
export function decideBilateral(
  table: BilateralTable,
  apTitle: Oid | undefined,
  transport: Pick<TransportInfo, "tls">,
  aeQualifier?: number,
): BilateralDecision {
  const entry = bilateralEntry(table, apTitle, aeQualifier);
  if (!entry) return { accept: false, reason: "unknown-peer", entry: undefined };
  const tls = transport.tls !== undefined;
  if (entry.transport === "secure" && !tls) return { accept: false, reason: "tls-required", entry };
  if (entry.transport === "non-secure" && tls) return { accept: false, reason: "tls-forbidden", entry };
  if (entry.application === "secure")
    return { accept: true, entry, mechanisms: ["certificate"], respondWithCertificate: true };
  const mechanisms: BilateralRequirement[] = entry.acceptPassword && tls ? ["password", "none"] : ["none"];
  return { accept: true, entry, mechanisms, respondWithCertificate: false };
}

/**
 * The per-peer part of an accept policy, structurally `PeerPolicy` of the association's
 * `AcceptPolicy.peers` (mechanisms a peer must use; the AE-qualifier it must present).
 */
export interface BilateralPeerPolicy {
  readonly mechanisms?: readonly string[] | undefined;
  readonly aeQualifier?: number | undefined;
}

/**
 * `AcceptPolicy.peers` from a bilateral table: application-secure rows require `certificate`;
 * non-secure rows accept `password` (with `acceptPassword`) or the TLS identity, or — with no
 * mechanism list — whatever the policy accepts (set `insecureAllowUnauthenticated` on the policy
 * for peers that send none). The transport column and a `*` row cannot be expressed there:
 * enforce them by calling `checkBilateral` from the acceptor's `onRequest`. One row per AP-title
 * (several AE-qualifiers of one AP-title need `checkBilateral`).
 */
export function bilateralPeerPolicies(table: BilateralTable): ReadonlyMap<string, BilateralPeerPolicy> {
  const out = new Map<string, BilateralPeerPolicy>();
  for (const e of table) {
    if (e.apTitle === "*") continue;
    if (out.has(e.apTitle))
      throw new TypeError(
        `bilateralPeerPolicies: several rows for ${e.apTitle}; use checkBilateral in onRequest`,
      );
    const mechanisms =
      e.application === "secure" ? ["certificate"] : e.acceptPassword ? ["password", "tls"] : undefined;
    out.set(e.apTitle, { mechanisms, aeQualifier: e.aeQualifier });
  }
  return out;
}

/**
 * The whole bilateral check of an incoming association, once its authentication is known:
 * `decideBilateral`, then the mechanism that authenticated the peer must be one the row allows
 * (`authentication-required` otherwise; a TLS identity counts as `none` at the application level).
 */
export function checkBilateral(
  table: BilateralTable,
  peer: {
    readonly apTitle: Oid | undefined;
    readonly aeQualifier?: number | undefined;
    readonly transport: Pick<TransportInfo, "tls">;
    readonly mechanism: "certificate" | "password" | "tls" | "none";
  },
):
  | BilateralDecision
  | { readonly accept: false; readonly reason: "authentication-required"; readonly entry: BilateralEntry } {
  const d = decideBilateral(table, peer.apTitle, peer.transport, peer.aeQualifier);
  if (!d.accept) return d;
  const used: BilateralRequirement = peer.mechanism === "tls" ? "none" : peer.mechanism;
  if (!d.mechanisms.includes(used))
    return { accept: false, reason: "authentication-required", entry: d.entry };
  return d;
}
