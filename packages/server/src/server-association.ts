import type { Association } from "@mms/acse-auth";
import {
  type AccessResult,
  type ConfirmedServiceRequest,
  decodeMmsPdu,
  encodeMmsPdu,
  type InitiateResponsePdu,
  type MmsPdu,
  type PduLimits,
  peekInvokeId,
  peekMmsPduType,
  pduLimits,
  type VariableAccessSpecification,
} from "@mms/pdu";
import { type ExtensionSession, routeExtensions, type ServiceExtension } from "./extension";
import { PeerRequester } from "./peer-requester";
import { MmsResponder } from "./responder";
import { type AssociationState, type ServiceLimits, VMD_SERVICES, vmdServices } from "./services";
import type { PeerIdentity } from "./vmd/access";
import type { NamedVariableList, Vmd } from "./vmd/vmd";

/** An InformationReport to send (ISO 9506-2 §14.6). */
export interface InformationReportContent {
  readonly variableAccessSpecification: VariableAccessSpecification;
  readonly results: readonly AccessResult[];
}

export interface AssociationLimits extends ServiceLimits {
  /** Undecodable or rejected PDUs tolerated before the association is aborted (default 8). */
  readonly maxProtocolViolations: number;
}

/**
 * One association served by `MmsServer`: the responder, the VMD services bound to this
 * association's identity and association-specific lists, and its read loop. A misbehaving
 * peer is aborted here without touching other associations.
 */
export class ServerAssociation {
  readonly id: number;
  readonly association: Association;
  readonly identity: PeerIdentity | undefined;
  readonly negotiated: InitiateResponsePdu;
  /** Which listener accepted it. */
  readonly listener: "plain" | "tls";
  private readonly responder: MmsResponder;
  private readonly limits: PduLimits;
  private readonly maxPduSize: number;
  private violations = 0;
  private readonly maxViolations: number;
  private readonly onViolation: (a: ServerAssociation, reason: string) => void;
  private readonly sessions: readonly ExtensionSession[];
  /** Resolves our pending conclude-Request: true on conclude-Response, false on conclude-Error. */
  private conclusion: ((accepted: boolean) => void) | undefined;
  /** Our own requests to the peer (ObtainFile), answered on this association. */
  private readonly peer: PeerRequester;
  /** Settles when the read loop ends. */
  readonly done: Promise<void>;

  constructor(init: {
    id: number;
    association: Association;
    negotiated: InitiateResponsePdu;
    vmd: Vmd;
    limits: AssociationLimits;
    listener: "plain" | "tls";
    onViolation: (a: ServerAssociation, reason: string) => void;
    onHandlerError: (e: unknown) => void;
    /** Services beside the VMD (files, journals), each with a per-association session. */
    extensions?: readonly ServiceExtension[];
    /** Security events raised by extensions (published by the server with the peer address). */
    onSecurityEvent?: (
      code: string,
      detail: Readonly<Record<string, string | number | boolean | undefined>>,
    ) => void;
  }) {
    this.id = init.id;
    this.association = init.association;
    this.negotiated = init.negotiated;
    this.listener = init.listener;
    const identity = init.association.peer.identity;
    this.identity = identity.mechanism === "none" ? undefined : identity;
    this.maxPduSize = init.negotiated.localDetail ?? 65000;
    this.limits = pduLimits(init.negotiated.dataStructureNestingLevel);
    this.maxViolations = init.limits.maxProtocolViolations;
    this.onViolation = init.onViolation;
    const state: AssociationState = {
      associationId: init.id,
      identity: this.identity,
      aaLists: new Map<string, NamedVariableList>(),
    };
    const vmdHandle = vmdServices(init.vmd, state, { ...init.limits, maxPduSize: this.maxPduSize });
    this.peer = new PeerRequester((pdu) => this.send(pdu), init.negotiated.maxServOutstandingCalled);
    const requestPeer = (r: ConfirmedServiceRequest, timeoutMs?: number) => this.peer.request(r, timeoutMs);
    const ext = (init.extensions ?? []).map((extension) => ({
      extension,
      session: extension.open({
        associationId: init.id,
        identity: this.identity,
        maxPduSize: this.maxPduSize,
        requestPeer,
        ...(init.onSecurityEvent ? { securityEvent: init.onSecurityEvent } : {}),
      }),
    }));
    this.sessions = ext.map((x) => x.session);
    const handle = routeExtensions(ext, vmdHandle);
    this.responder = new MmsResponder({
      maxOutstanding: init.negotiated.maxServOutstandingCalling,
      send: (pdu) => this.send(pdu),
      handle,
      supports: (s) => VMD_SERVICES.has(s) || ext.some((x) => x.extension.services.has(s)),
      onHandlerError: init.onHandlerError,
    });
    this.done = this.readLoop();
  }

  /** Sends an InformationReport (unconfirmed, ISO 9506-2 §14.6). */
  sendReport(report: InformationReportContent): Promise<void> {
    return this.sendEncoded(encodeReport(report));
  }

  /** @internal: a report encoded once for many associations. */
  sendEncoded(bytes: Uint8Array): Promise<void> {
    return this.association.send([bytes]).catch(() => undefined);
  }

  /**
   * Orderly end from our side (ISO 9506-2 §8.3 Conclude, then ACSE A-RELEASE): sends
   * conclude-Request, waits for the conclude-Response, then releases (RLRQ/RLRE). A
   * conclude-Error, no answer, or no RLRE within `timeoutMs` (for the whole sequence) aborts
   * (ABRT). Resolves `released` or `aborted` once the association is over.
   */
  async conclude(timeoutMs: number): Promise<"released" | "aborted"> {
    const deadline = Date.now() + timeoutMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const within = <T>(p: Promise<T>, fallback: T): Promise<T> =>
      Promise.race([
        p,
        new Promise<T>((resolve) => {
          timer = setTimeout(() => resolve(fallback), Math.max(0, deadline - Date.now()));
        }),
      ]).finally(() => clearTimeout(timer));
    const answered = new Promise<boolean>((resolve) => {
      this.conclusion = resolve;
      void this.done.then(() => resolve(false));
    });
    this.send({ type: "concludeRequest" });
    const concluded = await within(answered, false);
    this.conclusion = undefined;
    if (concluded) {
      const released = await within(
        this.association.release().then(
          () => true,
          () => false,
        ),
        false,
      );
      if (released) {
        await this.done;
        return "released";
      }
    }
    this.abort();
    await this.done;
    return "aborted";
  }

  /** A-ABORT of this association only. */
  abort(): void {
    this.responder.close();
    this.association.abort();
  }

  private send(pdu: MmsPdu): void {
    let bytes: Uint8Array;
    try {
      bytes = encodeMmsPdu(pdu);
    } catch {
      // A handler produced a value that does not encode: answer the request as failed.
      if (pdu.type === "confirmedResponse") {
        bytes = encodeMmsPdu({
          type: "confirmedError",
          invokeId: pdu.invokeId,
          modifierPosition: undefined,
          error: {
            errorClass: "service",
            code: 0,
            additionalCode: undefined,
            additionalDescription: "response does not encode",
            serviceSpecificInformation: undefined,
          },
        });
      } else return;
    }
    if (bytes.length > this.maxPduSize && pdu.type === "confirmedResponse") {
      // ISO 9506-2 §8.2: never send more than the negotiated size; resource/other instead.
      bytes = encodeMmsPdu({
        type: "confirmedError",
        invokeId: pdu.invokeId,
        modifierPosition: undefined,
        error: {
          errorClass: "resource",
          code: 0,
          additionalCode: undefined,
          additionalDescription: "response exceeds the negotiated PDU size",
          serviceSpecificInformation: undefined,
        },
      });
    }
    this.association.send([bytes]).catch(() => undefined);
  }

  private violation(reason: string): boolean {
    this.violations++;
    if (this.violations > this.maxViolations) {
      this.onViolation(this, reason);
      this.abort();
      return false;
    }
    return true;
  }

  /** Reads MMS PDUs until the association ends (or too many violations); resolves then. */
  private readLoop(): Promise<void> {
    const association = this.association;
    if (!association.subscribe) return this.iterate();
    // Synchronous delivery (no promise per PDU); the same handling as `iterate`.
    return new Promise<void>((resolve) => {
      let over = false;
      const stop = (): void => {
        if (over) return;
        over = true;
        this.stopped();
        resolve();
      };
      // Reading starts once construction is over (PDUs already received come at once).
      queueMicrotask(() =>
        association.subscribe?.({
          onChunk: (bytes) => {
            if (over) return false;
            let more = false;
            try {
              more = this.onPdu(bytes);
            } catch {
              // as in `iterate`: reading ends, the association is over either way
            }
            if (!more) stop();
            return more;
          },
          onEnd: stop,
        }),
      );
    });
  }

  private async iterate(): Promise<void> {
    try {
      for await (const bytes of this.association) if (!this.onPdu(bytes)) return;
    } catch {
      // aborted or transport error: the association is over either way
    } finally {
      this.stopped();
    }
  }

  private stopped(): void {
    this.responder.close();
    this.peer.close();
    for (const s of this.sessions) s.close();
  }

  /** Handles one received MMS PDU; false stops reading. */
  private onPdu(bytes: Uint8Array): boolean {
    if (bytes.length > this.maxPduSize) {
      // ISO 9506-2 §8.2: larger than the negotiated localDetail: pdu-error invalid-pdu.
      this.responder.receiveOversized(peekInvokeId(bytes));
      return this.violation("PDU larger than the negotiated size");
    }
    let pdu: MmsPdu;
    try {
      pdu = decodeMmsPdu(bytes, this.limits);
    } catch {
      const type = peekMmsPduType(bytes);
      this.responder.receiveInvalid(
        type === "confirmedRequest" ? peekInvokeId(bytes) : undefined,
        type === undefined,
      );
      return this.violation("undecodable MMS PDU");
    }
    if ((pdu.type === "concludeResponse" || pdu.type === "concludeError") && this.conclusion) {
      this.conclusion(pdu.type === "concludeResponse");
      return true;
    }
    if (this.peer.receive(pdu)) return true;
    return !(this.responder.receive(pdu) === "rejected" && !this.violation(`rejected ${pdu.type}`));
  }
}

/** Encodes an InformationReport once. */
export function encodeReport(report: InformationReportContent): Uint8Array {
  return encodeMmsPdu({
    type: "unconfirmed",
    service: {
      service: "informationReport",
      variableAccessSpecification: report.variableAccessSpecification,
      results: report.results,
    },
  });
}
