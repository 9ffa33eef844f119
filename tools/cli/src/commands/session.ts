import type { AccessResult, Data, TypeSpecification, WriteResult } from "@mms/pdu";
import type { ConnectionSettings } from "../options";

/** A domain-specific MMS name (`DOMAIN/ITEM` on the command line). */
export interface DomainItem {
  readonly domainId: string;
  readonly itemId: string;
}

/** An InformationReport as the CLI prints it. */
export interface CliReport {
  /** `RPT` for IEC 61850 reports, or `DOMAIN/ITEM` / the variable names reported. */
  readonly name: string;
  readonly values: readonly AccessResult[];
}

/** What the client commands need from an association (implemented over @mms/client). */
export interface CliSession {
  /** How the association is protected and who the peers are, for printing. */
  readonly security: {
    readonly tls: { readonly protocol: string; readonly cipher: string } | undefined;
    /** The server's authenticated identity (certificate subject), if any. */
    readonly peer: string | undefined;
    /** How we authenticated: `certificate`, `password`, `none`. */
    readonly auth: string;
  };
  identify(): Promise<{ vendor: string; model: string; revision: string }>;
  domains(): Promise<string[]>;
  variables(domain: string): Promise<string[]>;
  lists(domain: string): Promise<string[]>;
  typeOf(name: DomainItem): Promise<TypeSpecification>;
  read(names: readonly DomainItem[]): Promise<AccessResult[]>;
  /** Reads a named variable list (an IEC 61850 data set): one result per member. */
  readList(name: DomainItem): Promise<AccessResult[]>;
  write(name: DomainItem, value: Data): Promise<WriteResult>;
  /** Makes the server send reports (enables an IEC 61850 report control block). */
  enableReports?(rcb: DomainItem): Promise<void>;
  reports(): AsyncIterable<CliReport>;
  close(): Promise<void>;
}

/** Opens a session with the given settings (see connect.ts). */
export type SessionFactory = (
  settings: ConnectionSettings,
  signal: AbortSignal | undefined,
) => Promise<CliSession>;
