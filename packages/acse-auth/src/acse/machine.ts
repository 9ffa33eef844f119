import {
  type ByteChain,
  type ConnectParams,
  type ConnectPpdu,
  OsiProtocolError,
  OsiUsageError,
  type PresentationContext,
  type PresentationEvent,
  PresentationMachine,
  type PresentationOptions,
} from "@mms/osi";
import { AcseProtocolError } from "../errors";
import {
  type Aare,
  type Aarq,
  type Abrt,
  AbortDiagnostic,
  AbortSource,
  type AcseApdu,
  type Rlre,
  type Rlrq,
} from "./apdu";
import { acseApduCodec, decodeAcseApdu, encodeAcseApdu } from "./codec";

/**
 * ACPM states (ISO 8650-1 Annex A): STA0 idle, STA1 awaiting AARE, STA2 awaiting the
 * A-ASSOCIATE response, STA3 awaiting RLRE, STA4 awaiting the A-RELEASE response, STA5
 * associated. Release collisions (STA6–STA11) are not supported: a collision is a protocol error.
 */
export type AcseState = "STA0" | "STA1" | "STA2" | "STA3" | "STA4" | "STA5" | "closed";

export type AcseInput =
  | "A-ASCreq"
  | "A-ASCrsp+"
  | "A-ASCrsp-"
  | "P-DATAreq"
  | "A-RLSreq"
  | "A-RLSrsp+"
  | "A-ABRreq"
  | "AARQ"
  | "AARE+"
  | "AARE-"
  | "P-DATAind"
  | "RLRQ"
  | "RLRE"
  | "ABRT"
  | "P-PABind";

/** ISO 8650-1 Annex A state table (normal mode, no release collision); missing cells are protocol errors. */
export const ACSE_TRANSITIONS: Readonly<Record<AcseState, Readonly<Partial<Record<AcseInput, AcseState>>>>> =
  {
    STA0: { "A-ASCreq": "STA1", AARQ: "STA2", "A-ABRreq": "closed", ABRT: "closed", "P-PABind": "closed" },
    STA1: { "AARE+": "STA5", "AARE-": "closed", "A-ABRreq": "closed", ABRT: "closed", "P-PABind": "closed" },
    STA2: {
      "A-ASCrsp+": "STA5",
      "A-ASCrsp-": "closed",
      "A-ABRreq": "closed",
      ABRT: "closed",
      "P-PABind": "closed",
    },
    STA5: {
      "P-DATAreq": "STA5",
      "P-DATAind": "STA5",
      "A-RLSreq": "STA3",
      RLRQ: "STA4",
      "A-ABRreq": "closed",
      ABRT: "closed",
      "P-PABind": "closed",
    },
    STA3: { "P-DATAind": "STA3", RLRE: "closed", "A-ABRreq": "closed", ABRT: "closed", "P-PABind": "closed" },
    STA4: {
      "P-DATAreq": "STA4",
      "A-RLSrsp+": "closed",
      "A-ABRreq": "closed",
      ABRT: "closed",
      "P-PABind": "closed",
    },
    closed: {},
  };

/** What the presentation and session layers said about an incoming association. */
export interface ConnectInfo {
  readonly presentation: ConnectPpdu;
  readonly session: ConnectParams;
  readonly contexts: readonly PresentationContext[];
}

export type AcseEvent =
  | { readonly type: "associate-indication"; readonly aarq: Aarq; readonly connect: ConnectInfo }
  | { readonly type: "associate-confirm"; readonly aare: Aare }
  /** Refused below ACSE (CPR / RF), possibly with an AARE- in the CPR user data. */
  | {
      readonly type: "associate-refused";
      readonly aare: Aare | undefined;
      readonly sessionReason: number;
      readonly providerReason: number | undefined;
    }
  | { readonly type: "data"; readonly value: Uint8Array }
  | { readonly type: "release-indication"; readonly rlrq: Rlrq }
  | { readonly type: "release-confirm"; readonly rlre: Rlre }
  /** ABRT from the peer (`abrt`), or a presentation/session abort without one. */
  | {
      readonly type: "abort";
      readonly abrt: Abrt | undefined;
      readonly source: "acse-service-user" | "acse-service-provider" | "presentation" | "session";
      readonly diagnostic: number | undefined;
    }
  | { readonly type: "protocol-error"; readonly error: OsiProtocolError };

/**
 * The ACSE protocol machine (ACPM) over presentation and session, sans-IO. The three machines
 * run synchronously: one received TSDU in, one event out; every primitive returns the TSDU to
 * send.
 */
export class AcseMachine {
  readonly presentation: PresentationMachine;
  private st: AcseState = "STA0";

  constructor(options: PresentationOptions) {
    this.presentation = new PresentationMachine(options);
  }

  get state(): AcseState {
    return this.st;
  }

  /** Context id of MMS in the defined context set. */
  get mmsContextId(): number | undefined {
    return this.presentation.mmsContextId;
  }

  private step(input: AcseInput): void {
    const next = ACSE_TRANSITIONS[this.st][input];
    if (next === undefined) throw new OsiUsageError("invalid-state", `${input} not allowed in ${this.st}`);
    this.st = next;
  }

  private encode(a: AcseApdu): Uint8Array {
    return encodeAcseApdu(a, this.presentation.scratch());
  }

  /** A-ASSOCIATE request: AARQ → CP-type → CN. */
  associateRequest(aarq: Aarq): ByteChain {
    this.step("A-ASCreq");
    return this.presentation.connectRequest((w) => acseApduCodec.encode(aarq, w));
  }

  /**
   * A-ASSOCIATE response. Accepted: AARE → CPA-PPDU → AC. Rejected: AARE- → CPR-PPDU → RF
   * (ISO 8650-1 §7.1.4.3: a rejection is a P-CONNECT response with result user-rejection).
   */
  associateResponse(aare: Aare): ByteChain {
    if (aare.result === 0) {
      this.step("A-ASCrsp+");
      return this.presentation.acceptResponse((w) => acseApduCodec.encode(aare, w));
    }
    this.step("A-ASCrsp-");
    return this.presentation.refuseResponse(this.encode(aare));
  }

  /** P-DATA request in the MMS context: `value` is a complete MMS PDU (or a chain of its parts). */
  dataRequest(value: ByteChain): ByteChain {
    if (this.st !== "STA5" && this.st !== "STA4")
      throw new OsiUsageError("invalid-state", `P-DATAreq not allowed in ${this.st}`);
    const id = this.presentation.mmsContextId;
    if (id === undefined) throw new OsiUsageError("undefined-context", "the MMS context was not accepted");
    return this.presentation.dataRequest(id, value);
  }

  /** A-RELEASE request: RLRQ → FN. */
  releaseRequest(rlrq: Rlrq = { type: "RLRQ", reason: 0 }): ByteChain {
    this.step("A-RLSreq");
    return this.presentation.releaseRequest(this.encode(rlrq));
  }

  /** A-RELEASE response: RLRE → DN. */
  releaseResponse(rlre: Rlre = { type: "RLRE", reason: 0 }): ByteChain {
    this.step("A-RLSrsp+");
    return this.presentation.releaseResponse(this.encode(rlre));
  }

  /** A-ABORT request: ABRT → ARU-PPDU → AB. Allowed in every state but `closed`. */
  abortRequest(abrt: Abrt = { type: "ABRT", source: AbortSource.serviceUser }): ByteChain {
    if (this.st === "closed")
      throw new OsiUsageError("invalid-state", "A-ABRreq after the association ended");
    this.st = "closed";
    return this.presentation.abortRequest(this.encode(abrt));
  }

  /** Handles one received TSDU; never throws on peer bytes. */
  receive(tsdu: Uint8Array): AcseEvent {
    // Data phase (cells STA5/STA3 × P-DATAind): one MMS value, no intermediate events.
    if (this.st === "STA5" || this.st === "STA3") {
      const mms = this.presentation.mmsContextId;
      const value = mms === undefined ? undefined : this.presentation.receiveData(tsdu, mms);
      if (value) return { type: "data", value };
    }
    const ev = this.presentation.receive(tsdu);
    try {
      return this.onPresentation(ev);
    } catch (e) {
      if (e instanceof OsiUsageError) throw e;
      const error =
        e instanceof OsiProtocolError
          ? e
          : new AcseProtocolError("internal", "ACSE event handling failed", { cause: e });
      return this.protocolError(error);
    }
  }

  private expect(input: AcseInput): void {
    const next = ACSE_TRANSITIONS[this.st][input];
    if (next === undefined) throw new AcseProtocolError("unexpected-apdu", `${input} in state ${this.st}`);
    this.st = next;
  }

  private onPresentation(ev: PresentationEvent): AcseEvent {
    switch (ev.type) {
      case "protocol-error":
        this.st = "closed";
        return ev;
      case "connect-indication": {
        const a = decodeAcseApdu(ev.acse);
        if (a.type !== "AARQ")
          throw new AcseProtocolError("unexpected-apdu", `${a.type} in a P-CONNECT indication`);
        this.expect("AARQ");
        return {
          type: "associate-indication",
          aarq: a,
          connect: { presentation: ev.ppdu, session: ev.session, contexts: ev.contexts },
        };
      }
      case "connect-confirm": {
        const a = decodeAcseApdu(ev.acse);
        if (a.type !== "AARE")
          throw new AcseProtocolError("unexpected-apdu", `${a.type} in a P-CONNECT confirm`);
        this.expect(a.result === 0 ? "AARE+" : "AARE-");
        return { type: "associate-confirm", aare: a };
      }
      case "connect-refused": {
        this.st = "closed";
        let aare: Aare | undefined;
        if (ev.acse) {
          try {
            const a = decodeAcseApdu(ev.acse);
            if (a.type === "AARE") aare = a;
          } catch {
            // The refusal stands even when its AARE is unreadable.
          }
        }
        return {
          type: "associate-refused",
          aare,
          sessionReason: ev.sessionReason,
          providerReason: ev.ppdu?.providerReason,
        };
      }
      case "data": {
        this.expect("P-DATAind");
        const mms = this.presentation.mmsContextId;
        const v = ev.values[0]!;
        if (ev.values.length !== 1 || v.contextId !== mms || v.encoding !== "single-ASN1-type")
          throw new AcseProtocolError("unexpected-pdv", "data must be one MMS value in the MMS context");
        return { type: "data", value: v.value };
      }
      case "release-indication": {
        if (!ev.acse) throw new AcseProtocolError("missing-apdu", "FN without an RLRQ");
        const a = decodeAcseApdu(ev.acse);
        if (a.type !== "RLRQ")
          throw new AcseProtocolError("unexpected-apdu", `${a.type} in a release indication`);
        this.expect("RLRQ");
        return { type: "release-indication", rlrq: a };
      }
      case "release-confirm": {
        if (!ev.acse) throw new AcseProtocolError("missing-apdu", "DN without an RLRE");
        const a = decodeAcseApdu(ev.acse);
        if (a.type !== "RLRE")
          throw new AcseProtocolError("unexpected-apdu", `${a.type} in a release confirm`);
        this.expect("RLRE");
        return { type: "release-confirm", rlre: a };
      }
      case "abort": {
        this.st = "closed";
        if (ev.acse) {
          let a: AcseApdu | undefined;
          try {
            a = decodeAcseApdu(ev.acse);
          } catch {
            a = undefined;
          }
          if (a?.type === "ABRT")
            return {
              type: "abort",
              abrt: a,
              source: a.source === AbortSource.serviceUser ? "acse-service-user" : "acse-service-provider",
              diagnostic: a.diagnostic,
            };
        }
        if (ev.ppdu?.kind === "ARP")
          return { type: "abort", abrt: undefined, source: "presentation", diagnostic: ev.ppdu.reason };
        return {
          type: "abort",
          abrt: undefined,
          source: ev.ppdu ? "acse-service-user" : "session",
          diagnostic: undefined,
        };
      }
    }
  }

  /**
   * ISO 8650-1 §7.3.3.4: an invalid APDU makes the ACPM abort: ABRT (source
   * acse-service-provider, diagnostic protocol-error) in an ARU-PPDU in an AB.
   */
  private protocolError(error: OsiProtocolError): AcseEvent {
    if (error.reply === undefined && this.st !== "closed" && this.presentation.session.state !== "STA01") {
      this.st = "closed";
      error.reply = this.presentation.abortRequest(
        this.encode({
          type: "ABRT",
          source: AbortSource.serviceProvider,
          diagnostic: AbortDiagnostic.protocolError,
        }),
      );
    }
    this.st = "closed";
    return { type: "protocol-error", error };
  }
}
