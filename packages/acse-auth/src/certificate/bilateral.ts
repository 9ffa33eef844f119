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
