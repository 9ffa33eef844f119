import type { ByteChain, ChunkSink, ChunkSubscription, CloseInfo, TransportInfo } from "@mms/io";
import {
  type AccessResult,
  type ConfirmedServiceRequest,
  type ConfirmedServiceResponse,
  decodeMmsPdu,
  encodeMmsPdu,
  type InitiateResponsePdu,
  type MmsPdu,
  type PduLimits,
  pduLimits,
  peekInvokeId,
  peekMmsPduType,
  ServiceSupport,
  type VariableAccessSpecification,
} from "@mms/pdu";
import {
  MmsConnectionClosedError,
  MmsProtocolError,
  MmsServiceError,
  MmsTimeoutError,
  MmsUsageError,
} from "./errors";
import { answerIncoming, type IncomingRequestHandler } from "./incoming";
import { hasBit } from "./initiate";
import { ReportBuffer, type ReportOverflowPolicy } from "./report-buffer";
import { MmsRequester } from "./requester";

/**
 * What MmsClient needs from an association (structurally `Association` of @mms/acse-auth): a
 * message channel of MMS PDU bytes with orderly release and abort.
 */
export interface MmsAssociation extends AsyncIterable<Uint8Array> {
  send(message: ByteChain): Promise<void>;
  destroy(reason?: Error): void;
  readonly closed: Promise<CloseInfo>;
  readonly info: TransportInfo;
  /** ACSE release (RLRQ/RLRE). */
  release(): Promise<unknown>;
  /** ACSE abort (ABRT). */
  abort(diagnostic?: number): void;
  /** Optional synchronous delivery of received PDUs (see `MessageChannel.subscribe`). */
  subscribe?(sink: ChunkSink): ChunkSubscription;
}

/** Per-call controls. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Overrides the client's default timeout; 0 waits forever. */
  readonly timeoutMs?: number;
}

/** An InformationReport (ISO 9506-2 §14.6): the variables and their results. */
export interface InformationReport {
  readonly variableAccessSpecification: VariableAccessSpecification;
  readonly results: readonly AccessResult[];
}

export interface MmsClientOptions {
  /** Default per-request timeout in ms (default 10 000; 0 = none). */
  readonly timeoutMs?: number;
  /** Unread InformationReports kept (default 1000). */
  readonly reportBufferSize?: number;
  /** What happens when the report buffer is full (default `drop-oldest`). */
  readonly reportOverflow?: ReportOverflowPolicy;
  /** Bad PDUs the client tolerates before aborting (default 0: abort on the first one we cannot attribute). */
  readonly pduLimits?: Partial<PduLimits>;
}

/**
 * The driver under `MmsClient`: owns the requester, the read loop, the report buffer, timers,
 * conclude and abort. `MmsClient` adds the typed services on top.
 */
export class MmsClientCore {
  /** The negotiated initiate parameters. */
  readonly negotiated: InitiateResponsePdu;
  readonly association: MmsAssociation;
  /** Settles when the association is over (never rejects). */
  readonly closed: Promise<CloseInfo>;
  private readonly requester: MmsRequester;
  private readonly reportBuffer: ReportBuffer<InformationReport>;
  private readonly timeoutMs: number;
  private readonly limits: PduLimits;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private conclusion: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private ending = false;
  private incoming: IncomingRequestHandler | undefined;

  protected constructor(
    association: MmsAssociation,
    negotiated: InitiateResponsePdu,
    options: MmsClientOptions,
  ) {
    this.association = association;
    this.negotiated = negotiated;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.limits = pduLimits(negotiated.dataStructureNestingLevel, options.pduLimits);
    this.reportBuffer = new ReportBuffer(
      options.reportBufferSize ?? 1000,
      options.reportOverflow ?? "drop-oldest",
    );
    this.requester = new MmsRequester({
      maxOutstanding: negotiated.maxServOutstandingCalling,
      send: (pdu) => this.send(pdu),
      sendCancel: hasBit(negotiated.servicesSupported, ServiceSupport.cancel),
    });
    this.closed = association.closed;
    // Reading starts once construction (subclasses included) is over.
    queueMicrotask(() => this.readLoop());
  }

  /**
   * InformationReports as they arrive (one consumer). The buffer is bounded; the overflow
   * policy is the `reportOverflow` option. Ends when the association ends.
   */
  reports(): AsyncIterable<InformationReport> {
    return this.reportBuffer;
  }

  /** Reports dropped by the overflow policy so far. */
  get droppedReports(): number {
    return this.reportBuffer.dropped;
  }

  /**
   * Installs (or with undefined removes) the handler of confirmed requests the peer sends us
   * (ObtainFile); without one they are rejected as unrecognized-service.
   */
  setRequestHandler(handler: IncomingRequestHandler | undefined): void {
    this.incoming = handler;
  }

  /** Requests in flight / waiting for a slot. */
  get pending(): { readonly outstanding: number; readonly queued: number } {
    return { outstanding: this.requester.outstandingCount, queued: this.requester.queuedCount };
  }

  /** Sends any confirmed service request (the typed calls below use this). */
  request(request: ConfirmedServiceRequest, options: CallOptions = {}): Promise<ConfirmedServiceResponse> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    if (timeoutMs > 0) {
      const deadline = Date.now() + timeoutMs;
      this.arm(deadline);
      return this.requester.request(request, { signal: options.signal, deadline, timeoutMs });
    }
    return this.requester.request(request, { signal: options.signal });
  }

  // --- ending -----------------------------------------------------------------------------

  /**
   * Orderly end (ISO 9506-2 §8.3 then ACSE release, as libiec61850 does): conclude-Request,
   * conclude-Response, then RLRQ/RLRE. Rejects with `MmsServiceError` (class conclude) when the
   * server refuses to conclude (requests still outstanding); then the association stays up.
   */
  async conclude(options: CallOptions = {}): Promise<void> {
    if (this.ending || this.requester.closed) throw new MmsUsageError("the association is already ending");
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    await new Promise<void>((resolve, reject) => {
      const t =
        timeoutMs > 0
          ? setTimeout(() => reject(new MmsTimeoutError("conclude", timeoutMs)), timeoutMs)
          : undefined;
      this.conclusion = {
        resolve: () => {
          clearTimeout(t);
          resolve();
        },
        reject: (e) => {
          clearTimeout(t);
          reject(e);
        },
      };
      this.send({ type: "concludeRequest" });
    }).finally(() => {
      this.conclusion = undefined;
    });
    this.ending = true;
    await this.association.release();
  }

  /** Abortive end (ACSE A-ABORT): every pending request rejects with `MmsConnectionClosedError`. */
  abort(): void {
    this.ending = true;
    this.requester.close(new MmsConnectionClosedError("aborted locally"));
    this.association.abort();
  }

  // --- plumbing ---------------------------------------------------------------------------

  private send(pdu: MmsPdu): void {
    let bytes: Uint8Array;
    try {
      bytes = encodeMmsPdu(pdu);
    } catch (e) {
      // Our own value did not encode (e.g. an invalid identifier): fail only that request.
      throw new MmsUsageError(`cannot encode ${pdu.type}: ${(e as Error).message}`, { cause: e });
    }
    this.association.send([bytes]).catch((e: unknown) => this.shutdown(e));
  }

  private arm(deadline: number): void {
    if (deadline >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = deadline;
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, deadline - Date.now()) + 1);
    this.timer.unref?.();
  }

  private onTimer(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.requester.handleTimeout(Date.now());
    const next = this.requester.nextDeadline();
    if (next !== undefined) this.arm(next);
  }

  private readLoop(): void {
    const association = this.association;
    if (!association.subscribe) {
      void this.iterate();
      return;
    }
    // Synchronous delivery (no promise per PDU); the same handling as `iterate`.
    let over = false;
    association.subscribe({
      onChunk: (bytes) => {
        if (over) return false;
        let more: boolean;
        try {
          more = this.onMessage(bytes);
        } catch (e) {
          more = false;
          over = true;
          this.shutdown(e);
        }
        if (!more && !over) {
          over = true;
          this.shutdown(undefined);
        }
        return more;
      },
      onEnd: (error) => {
        if (over) return;
        over = true;
        this.shutdown(error);
      },
    });
  }

  private async iterate(): Promise<void> {
    let cause: unknown;
    try {
      for await (const bytes of this.association) {
        if (!this.onMessage(bytes)) break;
      }
    } catch (e) {
      cause = e;
    }
    this.shutdown(cause);
  }

  /** Handles one received MMS PDU; false ends the association. */
  private onMessage(bytes: Uint8Array): boolean {
    let pdu: MmsPdu;
    try {
      pdu = decodeMmsPdu(bytes, this.limits);
    } catch (e) {
      // ISO 9506-2 §7.3: reject what does not decode. A response we cannot read fails its
      // request; garbage we cannot attribute ends the association (state unknown).
      const type = peekMmsPduType(bytes);
      const invokeId = peekInvokeId(bytes);
      this.send({
        type: "reject",
        originalInvokeId: invokeId,
        problem:
          invokeId !== undefined && type === "confirmedResponse"
            ? { kind: "confirmedResponse", code: 3 }
            : { kind: "pduError", code: type === undefined ? 0 : 1 },
      });
      const err = new MmsProtocolError(`undecodable MMS PDU from the peer: ${(e as Error).message}`, {
        cause: e,
      });
      if (invokeId !== undefined && this.requester.fail(invokeId, err)) return true;
      this.association.abort();
      this.shutdown(err);
      return false;
    }
    switch (pdu.type) {
      case "unconfirmed":
        if (pdu.service.service === "informationReport") {
          this.reportBuffer.push({
            variableAccessSpecification: pdu.service.variableAccessSpecification,
            results: pdu.service.results,
          });
        }
        return true;
      case "concludeResponse":
        this.conclusion?.resolve();
        return true;
      case "concludeError":
        this.conclusion?.reject(new MmsServiceError("conclude", pdu.error));
        return true;
      case "concludeRequest":
        this.onConcludeRequest();
        return true;
      case "confirmedRequest":
        if (this.incoming) {
          void answerIncoming(this.incoming, pdu.invokeId, pdu.request, (p) => this.send(p));
          return true;
        }
        // No handler installed: ISO 9506-2 §7.3 unrecognized-service.
        this.send({
          type: "reject",
          originalInvokeId: pdu.invokeId,
          problem: { kind: "confirmedRequest", code: 1 },
        });
        return true;
      default:
        this.requester.receive(pdu);
        return true;
    }
  }

  /**
   * The server concludes (ISO 9506-2 §8.3, e.g. on its graceful shutdown). With our requests
   * in flight, or our own conclude pending, we answer conclude-Error further-communication-
   * required (1); otherwise conclude-Response, refuse new requests, and let the server's ACSE
   * release (RLRQ, answered RLRE by the association) end the association.
   */
  private onConcludeRequest(): void {
    if (this.requester.outstandingCount > 0 || this.requester.queuedCount > 0 || this.conclusion) {
      this.send({
        type: "concludeError",
        error: {
          errorClass: "conclude",
          code: 1,
          additionalCode: undefined,
          additionalDescription: undefined,
          serviceSpecificInformation: undefined,
        },
      });
      return;
    }
    this.ending = true;
    this.requester.close(new MmsConnectionClosedError("the server concluded the association"));
    this.send({ type: "concludeResponse" });
  }

  private shutdown(cause: unknown): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.requester.close(cause);
    this.conclusion?.reject(
      new MmsConnectionClosedError("the association closed during conclude", { cause }),
    );
    this.reportBuffer.end();
  }
}
