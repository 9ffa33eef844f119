import {
  type AcceptPolicy,
  type Association,
  AssociationRefusal,
  type AuthenticationMechanism,
  acceptAssociation,
  type ResponderAddressing,
} from "@mms/acse-auth";
import type { BitString } from "@mms/asn1";
import { acceptCotp, type CotpConnection, type CotpListener, listen } from "@mms/cotp";
import { type SecurityEvent, securityEvent } from "@mms/io";
import { publishSecurityEvent } from "@mms/io/node";
import { decodeMmsPdu, encodeMmsPdu, negotiateInitiate, ParameterCbb, ServiceSupport } from "@mms/pdu";
import { listenTls, type TlsListener, type TlsProfile, withTlsProfileChanges } from "@mms/tls-profile";
import { MmsServerUsageError } from "./errors";
import type { ServiceExtension } from "./extension";
import type { FileServer } from "./files/file-server";
import type { JournalServer } from "./journal/journal-server";
import {
  type AssociationLimits,
  encodeReport,
  type InformationReportContent,
  ServerAssociation,
} from "./server-association";
import type { Vmd } from "./vmd/vmd";

function bitsOf(numbers: readonly number[], bitLength: number): BitString {
  const bytes = new Uint8Array((bitLength + 7) >> 3);
  for (const n of numbers) bytes[n >> 3]! |= 0x80 >> (n & 7);
  return { bytes, bitLength };
}

/** Services announced in servicesSupportedCalled: exactly what the server answers. */
export const SERVER_SERVICES_SUPPORTED: BitString = bitsOf(
  [
    ServiceSupport.status,
    ServiceSupport.getNameList,
    ServiceSupport.identify,
    ServiceSupport.read,
    ServiceSupport.write,
    ServiceSupport.getVariableAccessAttributes,
    ServiceSupport.defineNamedVariableList,
    ServiceSupport.getNamedVariableListAttributes,
    ServiceSupport.deleteNamedVariableList,
    ServiceSupport.informationReport,
    ServiceSupport.conclude,
  ],
  85,
);
/** str1 str2 vnam valt vlis (the IEC 61850-8-1 set). */
export const SERVER_PARAMETER_CBB: BitString = bitsOf(
  [ParameterCbb.str1, ParameterCbb.str2, ParameterCbb.vnam, ParameterCbb.valt, ParameterCbb.vlis],
  11,
);

export interface ListenerOptions {
  readonly host?: string;
  readonly port?: number;
  /** Who may associate on this listener. */
  readonly policy: AcceptPolicy;
  /** How the server authenticates itself in the AARE (62351-4 certificate), when the caller did. */
  readonly authentication?: AuthenticationMechanism;
  readonly addressing?: ResponderAddressing;
}

export interface MmsListenOptions {
  /** Plain ISO-on-TCP (port 102): the non-secure profile. */
  readonly plain?: ListenerOptions;
  /** TLS (IEC 62351-3, port 3782). */
  readonly tls?: ListenerOptions & { readonly profile: TlsProfile };
}

export interface MmsServerOptions {
  readonly vmd: Vmd;
  /** Associations at once over all listeners (default 1000); more are refused. */
  readonly maxAssociations?: number;
  /** Largest MMS PDU we accept (localDetailCalled, default 65000). */
  readonly maxPduSize?: number;
  /** Requests one association may have outstanding (default 16; clients usually propose 5). */
  readonly maxOutstanding?: number;
  /** Nesting level of Data we accept (default 10). */
  readonly nestingLevel?: number;
  /** Per-association limits. */
  readonly limits?: Partial<Omit<AssociationLimits, "maxPduSize">>;
  /** Association setup deadline (default 10 000 ms). */
  readonly associateTimeoutMs?: number;
  /** Security events of every layer (also published on the `mms:security` diagnostics channel). */
  readonly onSecurityEvent?: (event: SecurityEvent) => void;
  /** Unexpected errors (a handler threw, a connection failed to set up). */
  readonly onError?: (error: unknown) => void;
  /** File services (ISO 9506-2 Annex D), usually a `FileServer` over one directory; none when absent. */
  readonly files?: FileServer | ServiceExtension;
  /** Journal services (ISO 9506-2 §20), usually a `JournalServer`; none when absent. */
  readonly journals?: JournalServer | ServiceExtension;
}

type Target = ServerAssociation | "all";

/**
 * An MMS server: a VMD served on plain and/or TLS listeners, each with its own accept policy.
 * Every connection goes TCP/TLS → COTP → association (authentication) → MMS initiate
 * negotiation → the VMD services. `close()` concludes, then releases, every association.
 */
export class MmsServer {
  readonly vmd: Vmd;
  private readonly options: MmsServerOptions;
  private readonly live = new Set<ServerAssociation>();
  private nextId = 1;
  /** Connections between COTP accept and the end of the association setup. */
  private settingUp = 0;
  private plain: CotpListener | undefined;
  private tls: TlsListener | undefined;
  private closing = false;
  private readonly limits: AssociationLimits;
  private readonly extensions: readonly ServiceExtension[];

  constructor(options: MmsServerOptions) {
    this.extensions = [options.files, options.journals].filter((x) => x !== undefined);
    this.vmd = options.vmd;
    this.options = options;
    this.limits = {
      maxPduSize: options.maxPduSize ?? 65000,
      maxAaLists: options.limits?.maxAaLists ?? 32,
      maxListEntries: options.limits?.maxListEntries ?? 1000,
      maxDefinedLists: options.limits?.maxDefinedLists ?? 256,
      maxProtocolViolations: options.limits?.maxProtocolViolations ?? 8,
    };
  }

  /** Associations currently open. */
  get associations(): ReadonlySet<ServerAssociation> {
    return this.live;
  }

  /** Starts the listeners; resolves with their bound ports. */
  async listen(options: MmsListenOptions): Promise<{ plain?: number; tls?: number }> {
    if (!options.plain && !options.tls) throw new MmsServerUsageError("listen needs plain and/or tls");
    const out: { plain?: number; tls?: number } = {};
    if (options.plain) {
      const p = options.plain;
      this.plain = await listen(
        {
          port: p.port ?? 102,
          ...(p.host !== undefined ? { host: p.host } : {}),
          onRejected: (e) => this.options.onError?.(e),
        },
        (c) => this.accept(c, p, "plain"),
      );
      out.plain = this.plain.address().port;
    }
    if (options.tls) {
      const t = options.tls;
      // Forward the TLS layer's events too (the profile's own listener keeps receiving them).
      const own = t.profile.onSecurityEvent;
      const forward = this.options.onSecurityEvent;
      const profile = forward
        ? withTlsProfileChanges(t.profile, {
            onSecurityEvent: (e) => {
              own?.(e);
              forward(e);
            },
          })
        : t.profile;
      this.tls = await listenTls(
        profile,
        {
          port: t.port ?? 3782,
          ...(t.host !== undefined ? { host: t.host } : {}),
          maxConnections: this.maxAssociations() + 16,
        },
        (stream) => {
          acceptCotp(stream, {}).then(
            (c) => this.accept(c, t, "tls"),
            (e: unknown) => this.options.onError?.(e),
          );
        },
      );
      out.tls = this.tls.address().port;
    }
    return out;
  }

  /** Sends an InformationReport to one association or to all (encoded once). */
  async sendInformationReport(target: Target, report: InformationReportContent): Promise<void> {
    const bytes = encodeReport(report);
    if (target !== "all") return target.sendEncoded(bytes);
    await Promise.all([...this.live].map((a) => a.sendEncoded(bytes)));
  }

  /**
   * Graceful shutdown: stops accepting, then concludes every association (ISO 9506-2 §8.3
   * conclude-Request → conclude-Response, then ACSE A-RELEASE RLRQ → RLRE), aborting those
   * that do not complete within `timeoutMs` (default 2000) or refuse to conclude.
   */
  async close(timeoutMs = 2000): Promise<void> {
    // New connections are refused from here on (see accept); the listeners stay open until the
    // live associations have ended, because closing a listener destroys its connections.
    this.closing = true;
    await Promise.all([...this.live].map((a) => a.conclude(timeoutMs)));
    await Promise.all([this.plain?.close(), this.tls?.close()]);
  }

  private maxAssociations(): number {
    return this.options.maxAssociations ?? 1000;
  }

  private emit(code: string, peer: string | undefined, detail: SecurityEvent["detail"]): void {
    const e = securityEvent(code, Date.now(), peer, detail);
    publishSecurityEvent(e);
    this.options.onSecurityEvent?.(e);
  }

  private accept(cotp: CotpConnection, listener: ListenerOptions, kind: "plain" | "tls"): void {
    const peer = cotp.info.remoteAddress;
    if (this.closing || this.live.size + this.settingUp >= this.maxAssociations()) {
      this.emit("WRN_MMS_ASSOCIATION_LIMIT", peer, { limit: this.maxAssociations(), listener: kind });
      cotp.destroy();
      return;
    }
    this.settingUp++;
    let negotiated: import("@mms/pdu").InitiateResponsePdu | undefined;
    const nesting = this.options.nestingLevel ?? 10;
    acceptAssociation(cotp, {
      policy: listener.policy,
      timeoutMs: this.options.associateTimeoutMs ?? 10_000,
      ...(listener.authentication ? { authentication: listener.authentication } : {}),
      ...(listener.addressing ? { addressing: listener.addressing } : {}),
      onSecurityEvent: (e) => this.options.onSecurityEvent?.(e),
      onRequest: (req) => {
        let initiate: import("@mms/pdu").MmsPdu;
        try {
          initiate = decodeMmsPdu(req.userData);
        } catch {
          initiate = { type: "concludeRequest" };
        }
        if (initiate.type !== "initiateRequest") {
          // ISO 9506-2 §8.2: an AARQ without a usable initiate-RequestPDU: initiate-Error other.
          throw new AssociationRefusal(1, initiateError(0));
        }
        const r = negotiateInitiate(initiate, {
          localDetail: this.limits.maxPduSize,
          maxServOutstandingCalling: this.options.maxOutstanding ?? 16,
          maxServOutstandingCalled: this.options.maxOutstanding ?? 16,
          dataStructureNestingLevel: nesting,
          version: 1,
          parameterCbb: SERVER_PARAMETER_CBB,
          servicesSupported: withSupportBits(SERVER_SERVICES_SUPPORTED, this.extensions),
        });
        if (!r.ok) throw new AssociationRefusal(1, encodeMmsPdu({ type: "initiateError", error: r.error }));
        negotiated = r.response;
        return encodeMmsPdu(r.response);
      },
    }).then(
      (association: Association) => {
        this.settingUp--;
        if (!negotiated) {
          association.abort();
          return;
        }
        if (this.closing || this.live.size >= this.maxAssociations()) {
          this.emit("WRN_MMS_ASSOCIATION_LIMIT", peer, { limit: this.maxAssociations(), listener: kind });
          association.abort();
          return;
        }
        const a = new ServerAssociation({
          id: this.nextId++,
          association,
          negotiated,
          vmd: this.vmd,
          limits: this.limits,
          listener: kind,
          onViolation: (sa, reason) =>
            this.emit("WRN_MMS_PROTOCOL_VIOLATION", peer, { association: sa.id, reason, action: "abort" }),
          onHandlerError: (e) => this.options.onError?.(e),
          extensions: this.extensions,
          onSecurityEvent: (code, detail) => this.emit(code, peer, detail),
        });
        this.live.add(a);
        void a.done.then(() => this.live.delete(a));
      },
      (e: unknown) => {
        this.settingUp--;
        this.options.onError?.(e);
      },
    );
  }
}

/** servicesSupportedCalled plus the bits of the configured extensions. */
function withSupportBits(base: BitString, extensions: readonly ServiceExtension[]): BitString {
  if (extensions.length === 0) return base;
  const bytes = Uint8Array.from(base.bytes);
  for (const x of extensions) for (const n of x.supportBits) bytes[n >> 3]! |= 0x80 >> (n & 7);
  return { bytes, bitLength: base.bitLength };
}

function initiateError(code: number): Uint8Array {
  return encodeMmsPdu({
    type: "initiateError",
    error: {
      errorClass: "initiate",
      code,
      additionalCode: undefined,
      additionalDescription: undefined,
      serviceSpecificInformation: undefined,
    },
  });
}
