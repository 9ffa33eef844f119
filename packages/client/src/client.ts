import type { ByteChain, CloseInfo, TransportInfo } from "@mms/io";
import {
  type AccessResult,
  type AlternateAccess,
  type ConfirmedServiceRequest,
  type ConfirmedServiceResponse,
  type Data,
  decodeMmsPdu,
  encodeMmsPdu,
  type InitiateRequestPdu,
  type InitiateResponsePdu,
  type MmsPdu,
  type ObjectName,
  ObjectClass,
  type NameListScope,
  peekInvokeId,
  peekMmsPduType,
  type PduLimits,
  pduLimits,
  ServiceSupport,
  type TypeSpecification,
  type VariableAccessSpecification,
  type WriteResult,
} from "@mms/pdu";
import {
  MmsConnectionClosedError,
  MmsDataAccessError,
  MmsProtocolError,
  MmsTimeoutError,
  MmsUsageError,
} from "./errors";
import { acceptInitiateResponse, hasBit } from "./initiate";
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
}

/** Per-call controls. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Overrides the client's default timeout; 0 waits forever. */
  readonly timeoutMs?: number;
}

/** A variable: an ObjectName or its text form `DOMAIN/ITEM`, `ITEM` (VMD), `@ITEM` (association). */
export type VariableRef = ObjectName | string;

/** A variable plus an alternate access (ISO 9506-2 §14.4.3). */
export interface VariableAccess {
  readonly name: VariableRef;
  readonly alternateAccess?: AlternateAccess;
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

/** Converts the text form of a name. */
export function objectName(ref: VariableRef): ObjectName {
  if (typeof ref !== "string") return ref;
  const slash = ref.indexOf("/");
  if (slash > 0) return { scope: "domain", domainId: ref.slice(0, slash), itemId: ref.slice(slash + 1) };
  if (ref.startsWith("@")) return { scope: "aa", itemId: ref.slice(1) };
  return { scope: "vmd", itemId: ref };
}

const listOf = (items: readonly (VariableRef | VariableAccess)[]): VariableAccessSpecification => ({
  kind: "listOfVariable",
  list: items.map((it) =>
    typeof it === "string" || "scope" in it
      ? { variable: { kind: "name", name: objectName(it) }, alternateAccess: undefined }
      : { variable: { kind: "name", name: objectName(it.name) }, alternateAccess: it.alternateAccess },
  ),
});

function singleResult(r: ConfirmedServiceResponse): AccessResult {
  const x = r.service === "read" && r.results.length === 1 ? r.results[0] : undefined;
  if (!x) throw new MmsProtocolError("read: expected exactly one result");
  return x;
}

function singleValue(r: ConfirmedServiceResponse): Data {
  const x = singleResult(r);
  if (!x.success) throw new MmsDataAccessError("read", x.error);
  return x.data;
}

type Resp<S extends ConfirmedServiceResponse["service"]> = Extract<ConfirmedServiceResponse, { service: S }>;

/**
 * An MMS client on one association: typed confirmed services pipelined by invokeID up to the
 * negotiated limit, InformationReports as an async iterable, orderly conclude and abort.
 * Create it with `connect()` (the whole stack) or `MmsClient.over()` (an association you built).
 */
export class MmsClient {
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

  private constructor(
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
    void this.readLoop();
  }

  /**
   * Runs MMS on an association you established yourself: `initiate` is the initiate-RequestPDU
   * you sent in the AARQ and `responseUserData` the AARE's user data (the initiate response).
   */
  static over(
    association: MmsAssociation,
    initiate: InitiateRequestPdu,
    responseUserData: Uint8Array | undefined,
    options: MmsClientOptions = {},
  ): MmsClient {
    const negotiated = acceptInitiateResponse(initiate, responseUserData);
    return new MmsClient(association, negotiated, options);
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

  private async call<S extends ConfirmedServiceResponse["service"]>(
    request: ConfirmedServiceRequest & { service: S },
    options: CallOptions | undefined,
  ): Promise<Resp<S>> {
    return (await this.request(request, options)) as Resp<S>;
  }

  // --- typed services -------------------------------------------------------------------

  /** Identify (ISO 9506-2 §10.3). */
  async identify(
    options?: CallOptions,
  ): Promise<{ vendorName: string; modelName: string; revision: string }> {
    const r = await this.call({ service: "identify" }, options);
    return { vendorName: r.vendorName, modelName: r.modelName, revision: r.revision };
  }

  /** Status (ISO 9506-2 §10.1). */
  async status(
    extendedDerivation = false,
    options?: CallOptions,
  ): Promise<{ logicalStatus: number; physicalStatus: number }> {
    const r = await this.call({ service: "status", extendedDerivation }, options);
    return { logicalStatus: r.logicalStatus, physicalStatus: r.physicalStatus };
  }

  /** GetNameList (ISO 9506-2 §10.5), every page (following moreFollows with continueAfter). */
  async getNameList(
    objectClass: number,
    scope: NameListScope,
    options?: CallOptions & { maxPages?: number },
  ): Promise<string[]> {
    const out: string[] = [];
    let continueAfter: string | undefined;
    const maxPages = options?.maxPages ?? 10_000;
    for (let page = 0; page < maxPages; page++) {
      const r = await this.call({ service: "getNameList", objectClass, scope, continueAfter }, options);
      out.push(...r.identifiers);
      if (!r.moreFollows) return out;
      const last = r.identifiers[r.identifiers.length - 1];
      if (last === undefined || last === continueAfter) {
        throw new MmsProtocolError("getNameList: moreFollows without progress");
      }
      continueAfter = last;
    }
    throw new MmsProtocolError(`getNameList: more than ${maxPages} pages`);
  }

  /** Domain names (IEC 61850 logical devices). */
  getDomainNames(options?: CallOptions): Promise<string[]> {
    return this.getNameList(ObjectClass.domain, { kind: "vmd" }, options);
  }

  /** Variable names of a domain (or the VMD when domainId is undefined). */
  getVariableNames(domainId: string | undefined, options?: CallOptions): Promise<string[]> {
    return this.getNameList(
      ObjectClass.namedVariable,
      domainId === undefined ? { kind: "vmd" } : { kind: "domain", domainId },
      options,
    );
  }

  /** Named variable list names of a domain, the VMD (undefined) or the association (`"aa"`). */
  getVariableListNames(domainId: string | undefined | "aa", options?: CallOptions): Promise<string[]> {
    const scope: NameListScope =
      domainId === "aa"
        ? { kind: "aa" }
        : domainId === undefined
          ? { kind: "vmd" }
          : { kind: "domain", domainId };
    return this.getNameList(ObjectClass.namedVariableList, scope, options);
  }

  /** GetVariableAccessAttributes (ISO 9506-2 §14.9): the variable's type. */
  async getVariableAccessAttributes(
    name: VariableRef,
    options?: CallOptions,
  ): Promise<{ mmsDeletable: boolean; typeSpecification: TypeSpecification }> {
    const r = await this.call(
      { service: "getVariableAccessAttributes", name: objectName(name), address: undefined },
      options,
    );
    return { mmsDeletable: r.mmsDeletable, typeSpecification: r.typeSpecification };
  }

  /** Read of one variable: its AccessResult (a failure is a value, not an exception). */
  read(variable: VariableRef | VariableAccess, options?: CallOptions): Promise<AccessResult> {
    return this.request(
      { service: "read", specificationWithResult: false, variableAccessSpecification: listOf([variable]) },
      options,
    ).then(singleResult);
  }

  /** Read of one variable's value; a DataAccessError throws `MmsDataAccessError`. */
  readValue(variable: VariableRef | VariableAccess, options?: CallOptions): Promise<Data> {
    return this.request(
      { service: "read", specificationWithResult: false, variableAccessSpecification: listOf([variable]) },
      options,
    ).then(singleValue);
  }

  /** Read of several variables in one request: one AccessResult each, in order. */
  async readMany(
    variables: readonly (VariableRef | VariableAccess)[],
    options?: CallOptions,
  ): Promise<AccessResult[]> {
    const r = await this.call(
      { service: "read", specificationWithResult: false, variableAccessSpecification: listOf(variables) },
      options,
    );
    if (r.results.length !== variables.length) {
      throw new MmsProtocolError(`read: ${r.results.length} results for ${variables.length} variables`);
    }
    return [...r.results];
  }

  /** Read of a named variable list (an IEC 61850 data set): one AccessResult per member. */
  async readList(listName: VariableRef, options?: CallOptions): Promise<AccessResult[]> {
    const r = await this.call(
      {
        service: "read",
        specificationWithResult: false,
        variableAccessSpecification: { kind: "variableListName", name: objectName(listName) },
      },
      options,
    );
    return [...r.results];
  }

  /** Write of one variable: its WriteResult. */
  async write(
    variable: VariableRef | VariableAccess,
    value: Data,
    options?: CallOptions,
  ): Promise<WriteResult> {
    const [r] = await this.writeMany([variable], [value], options);
    if (!r) throw new MmsProtocolError("write: empty result");
    return r;
  }

  /** Write of one variable; a DataAccessError throws `MmsDataAccessError`. */
  async writeValue(
    variable: VariableRef | VariableAccess,
    value: Data,
    options?: CallOptions,
  ): Promise<void> {
    const r = await this.write(variable, value, options);
    if (!r.success) throw new MmsDataAccessError("write", r.error);
  }

  /** Write of several variables in one request. */
  async writeMany(
    variables: readonly (VariableRef | VariableAccess)[],
    values: readonly Data[],
    options?: CallOptions,
  ): Promise<WriteResult[]> {
    if (variables.length !== values.length) throw new MmsUsageError("writeMany: one value per variable");
    const r = await this.call(
      { service: "write", variableAccessSpecification: listOf(variables), listOfData: values },
      options,
    );
    if (r.results.length !== variables.length) {
      throw new MmsProtocolError(`write: ${r.results.length} results for ${variables.length} variables`);
    }
    return [...r.results];
  }

  /** Write of a named variable list: one value per member. */
  async writeList(
    listName: VariableRef,
    values: readonly Data[],
    options?: CallOptions,
  ): Promise<WriteResult[]> {
    const r = await this.call(
      {
        service: "write",
        variableAccessSpecification: { kind: "variableListName", name: objectName(listName) },
        listOfData: values,
      },
      options,
    );
    return [...r.results];
  }

  /** DefineNamedVariableList (ISO 9506-2 §14.12). */
  async defineNamedVariableList(
    listName: VariableRef,
    members: readonly (VariableRef | VariableAccess)[],
    options?: CallOptions,
  ): Promise<void> {
    const spec = listOf(members);
    await this.call(
      {
        service: "defineNamedVariableList",
        variableListName: objectName(listName),
        listOfVariable: (spec as Extract<VariableAccessSpecification, { kind: "listOfVariable" }>).list,
      },
      options,
    );
  }

  /** GetNamedVariableListAttributes (ISO 9506-2 §14.13): the members and whether it is deletable. */
  async getNamedVariableListAttributes(
    listName: VariableRef,
    options?: CallOptions,
  ): Promise<{ mmsDeletable: boolean; members: ObjectName[] }> {
    const r = await this.call(
      { service: "getNamedVariableListAttributes", variableListName: objectName(listName) },
      options,
    );
    const members: ObjectName[] = [];
    for (const it of r.listOfVariable) {
      if (it.variable.kind !== "name") throw new MmsProtocolError("list member is not a named variable");
      members.push(it.variable.name);
    }
    return { mmsDeletable: r.mmsDeletable, members };
  }

  /** DeleteNamedVariableList (ISO 9506-2 §14.14) of one list; true when it was deleted. */
  async deleteNamedVariableList(listName: VariableRef, options?: CallOptions): Promise<boolean> {
    const r = await this.call(
      {
        service: "deleteNamedVariableList",
        scopeOfDelete: 0,
        listOfVariableListName: [objectName(listName)],
        domainName: undefined,
      },
      options,
    );
    return r.numberDeleted > 0;
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

  // --- ending -----------------------------------------------------------------------------

  /**
   * Orderly end (ISO 9506-2 §8.3 then ACSE release, as libiec61850 does): conclude-Request,
   * conclude-Response, then RLRQ/RLRE. Rejects with `MmsServiceError`-like errors when the
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

  private async readLoop(): Promise<void> {
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
        this.conclusion?.reject(
          new MmsProtocolError(`the peer refused to conclude: ${pdu.error.errorClass}/${pdu.error.code}`),
        );
        return true;
      case "confirmedRequest":
        // We offer no services as a responder: ISO 9506-2 §7.3 unrecognized-service.
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
