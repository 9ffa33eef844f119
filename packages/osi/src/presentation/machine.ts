import { BerDecodeError, BerReader, BerWriter, type Oid, UniversalTag } from "@mms/asn1";
import type { ByteChain } from "@mms/io";
import { chainLength } from "@mms/io";
import { OsiProtocolError, OsiUsageError } from "../errors";
import { GT_DT_HEADER } from "../session/encode";
import { type SessionAddressing, type SessionEvent, SessionMachine } from "../session/machine";
import { type ConnectParams, RefuseReason, TD_PROTOCOL_ERROR, TD_RELEASE_TRANSPORT } from "../session/spdu";
import { decodeAbortPpdu, encodeArp, encodeAru } from "./abort";
import {
  encodeAcceptPpdu,
  encodeConnectPpdu,
  encodeRefusePpdu,
  readAcceptPpdu,
  readConnectPpdu,
  readRefusePpdu,
} from "./connect";
import { acceptedContexts, DEFAULT_CONTEXTS, negotiateContexts, type PresentationContext } from "./context";
import { ACSE_ABSTRACT_SYNTAX, MMS_ABSTRACT_SYNTAX } from "./oids";
import {
  type AbortPpdu,
  ArpReason,
  type ConnectPpdu,
  type ContextDefinition,
  type ContextResult,
  CprReason,
  type RefusePpdu,
} from "./ppdu";
import type { PresentationEvent } from "./events";
import { PRESENTATION_TRANSITIONS, type PresentationInput, type PresentationState } from "./state-table";
import { decodeUserData, quickUserData, userDataHeader } from "./user-data";

export interface PresentationOptions {
  readonly role: "initiator" | "responder";
  /** Our P-selector (calling in CP, responding in CPA); default `00 00 00 01`. */
  readonly localSelector?: Uint8Array | undefined;
  /** The peer's P-selector (called in CP); default `00 00 00 01`. */
  readonly remoteSelector?: Uint8Array | undefined;
  /** Session selectors. */
  readonly session?: SessionAddressing | undefined;
  /** Contexts the initiator proposes (default 1 = ACSE, 3 = MMS, BER). */
  readonly contexts?: readonly ContextDefinition[] | undefined;
  /** Abstract syntaxes the responder accepts (default ACSE and MMS). */
  readonly abstractSyntaxes?: readonly Oid[] | undefined;
}

const DEFAULT_PSEL = Uint8Array.of(0, 0, 0, 1);

function presentationError(code: string, message: string, cause?: unknown): OsiProtocolError {
  return new OsiProtocolError("presentation", code, message, cause === undefined ? undefined : { cause });
}

/**
 * The presentation protocol machine (PPM), normal mode, sans-IO, over a `SessionMachine`.
 * Service primitives return the TSDU to send; `receive` turns one TSDU into one event.
 */
export class PresentationMachine {
  readonly session: SessionMachine;
  readonly role: "initiator" | "responder";
  private st: PresentationState = "STAI0";
  private readonly options: PresentationOptions;
  private proposed: readonly ContextDefinition[];
  /** The defined context set after connection. */
  contexts: readonly PresentationContext[] = [];
  /** Context id of ACSE (the initiator's choice, echoed). */
  acseContextId = 1;
  /** Context id of MMS, when it was accepted. */
  mmsContextId: number | undefined;

  constructor(options: PresentationOptions) {
    this.options = options;
    this.role = options.role;
    this.session = new SessionMachine(options.role);
    this.proposed = options.contexts ?? DEFAULT_CONTEXTS;
  }

  get state(): PresentationState {
    return this.st;
  }

  private writer: BerWriter | undefined;

  /**
   * A scratch writer for connect-time encodings, reset and reused (by this machine and the ACSE
   * machine above it); callers copy what they keep (`toBytes`).
   */
  scratch(): BerWriter {
    this.writer ??= new BerWriter(256);
    return this.writer.reset();
  }

  private step(input: PresentationInput): void {
    const next = PRESENTATION_TRANSITIONS[this.st][input];
    if (next === undefined) throw new OsiUsageError("invalid-state", `${input} not allowed in ${this.st}`);
    this.st = next;
  }

  private setContexts(contexts: readonly PresentationContext[]): void {
    this.contexts = contexts;
    const acse = contexts.find((c) => c.abstractSyntax === ACSE_ABSTRACT_SYNTAX);
    if (acse) this.acseContextId = acse.id;
    this.mmsContextId = contexts.find((c) => c.abstractSyntax === MMS_ABSTRACT_SYNTAX)?.id;
  }

  /** True when `id` is in the defined context set. */
  isDefined(id: number): boolean {
    for (const c of this.contexts) if (c.id === id) return true;
    return false;
  }

  /** P-CONNECT request: CP-type (with the AARQ in the ACSE context) inside a CN. */
  connectRequest(acse: Uint8Array | ((w: BerWriter) => void)): ByteChain {
    this.step("P-CONreq");
    const acseCtx = this.proposed.find((c) => c.abstractSyntax === ACSE_ABSTRACT_SYNTAX);
    if (!acseCtx) throw new OsiUsageError("no-acse-context", "the proposed contexts must include ACSE");
    this.acseContextId = acseCtx.id;
    const cp = encodeConnectPpdu(
      {
        callingSelector: this.options.localSelector ?? DEFAULT_PSEL,
        calledSelector: this.options.remoteSelector ?? DEFAULT_PSEL,
        contexts: this.proposed,
        userData: [{ contextId: acseCtx.id, value: acse }],
      },
      this.scratch(),
    ).slice();
    return this.session.connectRequest(this.options.session ?? {}, [cp]);
  }

  /** P-CONNECT response (accept): CPA-PPDU with the AARE, inside an AC. */
  acceptResponse(
    acse: Uint8Array | ((w: BerWriter) => void),
    results: readonly ContextResult[] = this.pendingResults,
  ): ByteChain {
    this.step("P-CONrsp+");
    const cpa = encodeAcceptPpdu(
      {
        respondingSelector: this.options.localSelector ?? DEFAULT_PSEL,
        results,
        userData: [{ contextId: this.acseContextId, value: acse }],
      },
      this.scratch(),
    ).slice();
    return this.session.acceptResponse([cpa], this.options.session?.callingSelector);
  }

  /** P-CONNECT response (reject): CPR-PPDU inside an RF (reason 2, rejection by the SS-user). */
  refuseResponse(acse: Uint8Array | undefined, providerReason?: number): ByteChain {
    this.step("P-CONrsp-");
    const cpr = encodeRefusePpdu({
      respondingSelector: this.options.localSelector ?? DEFAULT_PSEL,
      results: undefined,
      providerReason,
      userData: acse ? [{ contextId: this.acseContextId, value: acse }] : [],
    });
    return this.session.refuseResponse(RefuseReason.rejectedBySsUser, [cpr]);
  }

  /**
   * P-DATA request: one header chunk (`01 00 01 00 61 L 30 L 02 01 id a0 L`) then `value`, a
   * complete BER value of context `contextId`, untouched (zero copy).
   */
  dataRequest(contextId: number, value: ByteChain): ByteChain {
    if (this.st !== "STAt0" || !this.isDefined(contextId)) {
      if (this.st !== "STAt0") throw new OsiUsageError("invalid-state", `P-DTreq not allowed in ${this.st}`);
      throw new OsiUsageError("undefined-context", `context ${contextId} is not in the defined context set`);
    }
    const s = this.session.state;
    if (s !== "STA713" && s !== "STA09")
      throw new OsiUsageError("invalid-state", `S-DATA not allowed in ${s}`);
    const head = userDataHeader(contextId, chainLength(value), GT_DT_HEADER);
    if (value.length === 1) return [head, value[0]!];
    return [head, ...value];
  }

  private acseUserData(acse: Uint8Array | undefined): ByteChain | undefined {
    if (!acse) return undefined;
    return [userDataHeader(this.acseContextId, acse.length), acse];
  }

  /** P-RELEASE request: the RLRQ as user data of an FN. */
  releaseRequest(acse?: Uint8Array): ByteChain {
    this.step("P-RELreq");
    return this.session.releaseRequest(this.acseUserData(acse));
  }

  /** P-RELEASE response: the RLRE as user data of a DN. */
  releaseResponse(acse?: Uint8Array): ByteChain {
    this.step("P-RELrsp+");
    return this.session.releaseResponse(this.acseUserData(acse));
  }

  /** P-U-ABORT request: ARU-PPDU (with the ABRT, when given) inside an AB. */
  abortRequest(acse?: Uint8Array): ByteChain {
    this.st = "closed";
    const aru = encodeAru(acse ? [{ contextId: this.acseContextId, value: acse }] : []);
    return this.session.abortRequest([aru]);
  }

  /**
   * Data-phase fast path: when `tsdu` is exactly GT+DT (`01 00 01 00`) followed by one PDV of
   * context `contextId` (a defined one) in the common minimal shape, returns the value as a view
   * without building events (the state does not change: cells STA713/STA03 × DT and STAt0 ×
   * TD). Anything else returns undefined: call `receive`.
   */
  receiveData(tsdu: Uint8Array, contextId: number): Uint8Array | undefined {
    if (
      this.st !== "STAt0" ||
      tsdu.length < 13 ||
      tsdu[0] !== 1 ||
      tsdu[1] !== 0 ||
      tsdu[2] !== 1 ||
      tsdu[3] !== 0
    )
      return undefined;
    const s = this.session.state;
    if (s !== "STA713" && s !== "STA03") return undefined;
    const pdv = { contextId: 0 };
    const value = quickUserData(tsdu, 4, pdv);
    return value && pdv.contextId === contextId && this.isDefined(contextId) ? value : undefined;
  }

  /** Handles one received TSDU. Never throws on peer bytes. */
  receive(tsdu: Uint8Array): PresentationEvent {
    const ev = this.session.receive(tsdu);
    try {
      return this.onSession(ev);
    } catch (e) {
      if (e instanceof OsiUsageError) throw e;
      return this.fail(
        e instanceof OsiProtocolError ? e : presentationError("malformed-ppdu", messageOf(e), e),
      );
    }
  }

  private onSession(ev: SessionEvent): PresentationEvent {
    switch (ev.type) {
      case "protocol-error":
        this.st = "closed";
        return ev;
      case "connect-indication":
        return this.onConnectIndication(ev.userData, ev.params);
      case "connect-confirm":
        return this.onConnectConfirm(ev.userData);
      case "refuse-indication":
        return this.onRefuse(ev.reason, ev.userData);
      case "data-indication": {
        this.expect("TD");
        const pdv = { contextId: 0 };
        const quick = quickUserData(ev.userData, 0, pdv);
        if (quick && this.isDefined(pdv.contextId))
          return {
            type: "data",
            values: [
              {
                contextId: pdv.contextId,
                transferSyntax: undefined,
                encoding: "single-ASN1-type",
                value: quick,
              },
            ],
          };
        const values = decodeUserData(ev.userData);
        for (const v of values)
          if (!this.isDefined(v.contextId))
            throw presentationError(
              "undefined-context",
              `data for context ${v.contextId}, not in the defined context set`,
            );
        return { type: "data", values };
      }
      case "release-indication":
        this.expect("S-RELind");
        return { type: "release-indication", acse: this.acseOf(ev.userData) };
      case "release-confirm":
        this.expect("S-RELcnf");
        return { type: "release-confirm", acse: this.acseOf(ev.userData) };
      case "abort-indication": {
        this.st = "closed";
        if (!ev.userData || ev.userData.length === 0)
          return { type: "abort", ppdu: undefined, acse: undefined };
        let ppdu: AbortPpdu;
        try {
          ppdu = decodeAbortPpdu(ev.userData);
        } catch {
          // The connection is gone anyway: report the abort without its unreadable PPDU.
          return { type: "abort", ppdu: undefined, acse: undefined };
        }
        const acse =
          ppdu.kind === "ARU"
            ? ppdu.userData.find((v) => v.contextId === this.acseContextId)?.value
            : undefined;
        return { type: "abort", ppdu, acse };
      }
    }
  }

  private expect(input: PresentationInput): void {
    const next = PRESENTATION_TRANSITIONS[this.st][input];
    if (next === undefined) throw presentationError("unexpected-ppdu", `${input} in state ${this.st}`);
    this.st = next;
  }

  /** The ACSE APDU in release user data: exactly one PDV of the ACSE context. */
  private acseOf(userData: Uint8Array | undefined): Uint8Array | undefined {
    if (!userData || userData.length === 0) return undefined;
    const values = decodeUserData(userData);
    const v = values[0]!;
    if (values.length !== 1 || v.contextId !== this.acseContextId || v.encoding !== "single-ASN1-type")
      throw presentationError("unexpected-ppdu-parameter", "release user data must be one ACSE value");
    return v.value;
  }

  private onConnectIndication(userData: Uint8Array, session: ConnectParams): PresentationEvent {
    this.expect("CP");
    let ppdu: ConnectPpdu;
    try {
      const r = new BerReader(userData);
      const set = r.enter(UniversalTag.SET);
      r.expectEnd();
      ppdu = readConnectPpdu(set);
    } catch (e) {
      return this.refuseLocally(CprReason.notSpecified, presentationError("malformed-ppdu", messageOf(e), e));
    }
    let negotiated: ReturnType<typeof negotiateContexts>;
    try {
      negotiated = negotiateContexts(
        ppdu.contexts,
        this.options.abstractSyntaxes ?? [ACSE_ABSTRACT_SYNTAX, MMS_ABSTRACT_SYNTAX],
      );
    } catch (e) {
      return this.refuseLocally(CprReason.notSpecified, e as OsiProtocolError);
    }
    this.setContexts(negotiated.accepted);
    this.pendingResults = negotiated.results;
    const acseCtx = negotiated.accepted.find((c) => c.abstractSyntax === ACSE_ABSTRACT_SYNTAX);
    const pdv = ppdu.userData[0];
    // ISO 8823-1 §6.2.4: the CP user data (the AARQ) must be a value of the ACSE context.
    if (
      !acseCtx ||
      !pdv ||
      ppdu.userData.length !== 1 ||
      pdv.contextId !== acseCtx.id ||
      pdv.encoding !== "single-ASN1-type"
    )
      return this.refuseLocally(
        CprReason.userDataNotReadable,
        presentationError(
          "user-data-not-readable",
          "CP-type without one ACSE value in an accepted ACSE context",
        ),
      );
    return { type: "connect-indication", ppdu, acse: pdv.value, session, contexts: negotiated.accepted };
  }

  /** Results of the last negotiation, for `acceptResponse`. */
  pendingResults: ContextResult[] = [];

  private onConnectConfirm(userData: Uint8Array | undefined): PresentationEvent {
    this.expect("CPA");
    if (!userData) throw presentationError("user-data-not-readable", "AC without a CPA-PPDU");
    const r = new BerReader(userData);
    const set = r.enter(UniversalTag.SET);
    r.expectEnd();
    const ppdu = readAcceptPpdu(set);
    const contexts = acceptedContexts(this.proposed, ppdu.results);
    this.setContexts(contexts);
    if (!contexts.some((c) => c.abstractSyntax === ACSE_ABSTRACT_SYNTAX))
      throw presentationError("invalid-ppdu-parameter", "the ACSE context was not accepted");
    const pdv = ppdu.userData[0];
    if (
      !pdv ||
      ppdu.userData.length !== 1 ||
      pdv.contextId !== this.acseContextId ||
      pdv.encoding !== "single-ASN1-type"
    )
      throw presentationError("user-data-not-readable", "CPA-PPDU without one ACSE value");
    return { type: "connect-confirm", ppdu, acse: pdv.value, contexts };
  }

  private onRefuse(reason: number, userData: Uint8Array | undefined): PresentationEvent {
    this.st = "closed";
    if (!userData || userData.length === 0)
      return { type: "connect-refused", sessionReason: reason, ppdu: undefined, acse: undefined };
    let ppdu: RefusePpdu;
    try {
      const r = new BerReader(userData);
      ppdu = readRefusePpdu(r.enter(UniversalTag.SEQUENCE));
      r.expectEnd();
    } catch {
      return { type: "connect-refused", sessionReason: reason, ppdu: undefined, acse: undefined };
    }
    const acse = ppdu.userData.find((v) => v.encoding === "single-ASN1-type")?.value;
    return { type: "connect-refused", sessionReason: reason, ppdu, acse };
  }

  private refuseLocally(reason: number, error: OsiProtocolError): PresentationEvent {
    this.st = "closed";
    error.reply = this.session.refuseResponse(RefuseReason.rejectedBySsUser, [
      encodeRefusePpdu(
        {
          respondingSelector: this.options.localSelector ?? DEFAULT_PSEL,
          results: undefined,
          providerReason: reason,
          userData: [],
        },
        new BerWriter(32),
      ),
    ]);
    return { type: "protocol-error", error };
  }

  /** ISO 8823-1 §6.4.4: a protocol error after connection is answered with an ARP-PPDU in an AB. */
  private fail(error: OsiProtocolError): PresentationEvent {
    const wasOpen = this.st !== "closed";
    this.st = "closed";
    if (wasOpen && error.reply === undefined && this.session.state !== "STA01") {
      const reason =
        error.code === "unexpected-ppdu" ? ArpReason.unexpectedPpdu : ArpReason.invalidPpduParameterValue;
      error.reply = this.session.abortRequest([encodeArp(reason)], TD_RELEASE_TRANSPORT | TD_PROTOCOL_ERROR);
    }
    return { type: "protocol-error", error };
  }
}

function messageOf(e: unknown): string {
  return e instanceof BerDecodeError || e instanceof Error ? e.message : String(e);
}
