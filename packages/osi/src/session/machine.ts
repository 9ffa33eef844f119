import type { ByteChain } from "@mms/io";
import { OsiProtocolError, OsiUsageError } from "../errors";
import { decodeSpdu } from "./decode";
import { encodeAA, encodeAB, encodeAC, encodeCN, encodeDN, encodeDT, encodeFN, encodeRF } from "./encode";
import {
  type ConnectParams,
  FU_DUPLEX,
  RefuseReason,
  type Spdu,
  TD_PROTOCOL_ERROR,
  TD_RELEASE_TRANSPORT,
  VERSION_2,
} from "./spdu";

/**
 * SPM states, named as in ISO 8327-1 Annex A (kernel + duplex subset; the transport connection
 * exists before the machine is created, so it starts in STA01C).
 */
export type SessionState =
  | "STA01C" // idle, transport connected
  | "STA02A" // wait for the AC SPDU (CN sent)
  | "STA08" // wait for the S-CONNECT response (CN received)
  | "STA713" // data transfer
  | "STA03" // wait for the DN SPDU (FN sent)
  | "STA09" // wait for the S-RELEASE response (FN received)
  | "STA01"; // idle, no connection: the transport is (to be) released

/** Incoming SPDUs and outgoing service primitives: the columns of the state table. */
export type SessionInput =
  | "SCONreq"
  | "SCONrsp+"
  | "SCONrsp-"
  | "SDTreq"
  | "SRELreq"
  | "SRELrsp+"
  | "SUABreq"
  | Spdu["kind"];

/**
 * The state table (ISO 8327-1 Annex A, kernel and duplex functional units). A cell that is not
 * here is a protocol error (incoming SPDU: answered with an AB, §7.9 / Annex A "protocol
 * error" action) or a usage error (service primitive).
 */
export const SESSION_TRANSITIONS: Readonly<
  Record<SessionState, Readonly<Partial<Record<SessionInput, SessionState>>>>
> = {
  STA01C: { SCONreq: "STA02A", CN: "STA08", AB: "STA01", SUABreq: "STA01" },
  STA02A: { AC: "STA713", RF: "STA01", AB: "STA01", SUABreq: "STA01" },
  STA08: { "SCONrsp+": "STA713", "SCONrsp-": "STA01", AB: "STA01", SUABreq: "STA01" },
  STA713: { SDTreq: "STA713", DT: "STA713", SRELreq: "STA03", FN: "STA09", AB: "STA01", SUABreq: "STA01" },
  STA03: { DT: "STA03", DN: "STA01", AB: "STA01", SUABreq: "STA01" },
  STA09: { SDTreq: "STA09", "SRELrsp+": "STA01", AB: "STA01", SUABreq: "STA01" },
  STA01: {},
};

export type SessionEvent =
  | { readonly type: "connect-indication"; readonly params: ConnectParams; readonly userData: Uint8Array }
  | {
      readonly type: "connect-confirm";
      readonly params: ConnectParams;
      readonly userData: Uint8Array | undefined;
    }
  | { readonly type: "refuse-indication"; readonly reason: number; readonly userData: Uint8Array | undefined }
  | { readonly type: "data-indication"; readonly userData: Uint8Array }
  | { readonly type: "release-indication"; readonly userData: Uint8Array | undefined }
  | { readonly type: "release-confirm"; readonly userData: Uint8Array | undefined }
  | {
      readonly type: "abort-indication";
      readonly userData: Uint8Array | undefined;
      /** AA to send when the peer kept the transport connection (ISO 8327-1 §7.9.2). */
      readonly reply: ByteChain | undefined;
    }
  /** The peer broke the protocol; `error.reply` (an AB or RF) is to be sent, then the transport closed. */
  | { readonly type: "protocol-error"; readonly error: OsiProtocolError };

export interface SessionAddressing {
  /** Our session selector (calling in CN, responding in AC); default `00 01`. */
  readonly callingSelector?: Uint8Array | undefined;
  /** The peer's selector (called in CN); default `00 01`. */
  readonly calledSelector?: Uint8Array | undefined;
}

const DEFAULT_SSEL = Uint8Array.of(0, 1);

/**
 * The session protocol machine (SPM), sans-IO: service primitives return the TSDU to send;
 * `receive` turns one received TSDU into one event. Only the duplex functional unit is
 * negotiated, protocol version 2.
 */
export class SessionMachine {
  private st: SessionState = "STA01C";
  readonly role: "initiator" | "responder";
  /** The connect parameters the peer sent (CN or AC). */
  peerParams: ConnectParams | undefined;

  constructor(role: "initiator" | "responder") {
    this.role = role;
  }

  get state(): SessionState {
    return this.st;
  }

  private step(input: SessionInput): void {
    const next = SESSION_TRANSITIONS[this.st][input];
    if (next === undefined) throw new OsiUsageError("invalid-state", `${input} not allowed in ${this.st}`);
    this.st = next;
  }

  /** S-CONNECT request: the CN SPDU. */
  connectRequest(addressing: SessionAddressing, userData: ByteChain): ByteChain {
    const tsdu = encodeCN(
      {
        protocolOptions: 0,
        versionNumber: VERSION_2,
        sessionUserRequirements: FU_DUPLEX,
        tsduMaximumSize: undefined,
        callingSelector: addressing.callingSelector ?? DEFAULT_SSEL,
        calledSelector: addressing.calledSelector ?? DEFAULT_SSEL,
      },
      userData,
    );
    this.step("SCONreq");
    return tsdu;
  }

  /** S-CONNECT response (accept): the AC SPDU, echoing the called selector as libiec61850 does. */
  acceptResponse(userData: ByteChain, respondingSelector?: Uint8Array): ByteChain {
    const tsdu = encodeAC(
      {
        protocolOptions: 0,
        versionNumber: VERSION_2,
        sessionUserRequirements: FU_DUPLEX,
        tsduMaximumSize: undefined,
        callingSelector: undefined,
        calledSelector: respondingSelector ?? this.peerParams?.calledSelector ?? DEFAULT_SSEL,
      },
      userData,
    );
    this.step("SCONrsp+");
    return tsdu;
  }

  /** S-CONNECT response (reject): the RF SPDU; reason 2 carries the SS-user's data. */
  refuseResponse(reason: number, userData?: ByteChain): ByteChain {
    this.step("SCONrsp-");
    return encodeRF(reason, userData);
  }

  /** S-DATA request: GT + DT, the user data unchanged after a 4-octet header chunk. */
  dataRequest(userData: ByteChain): ByteChain {
    const next = SESSION_TRANSITIONS[this.st].SDTreq;
    if (next === undefined) throw new OsiUsageError("invalid-state", `SDTreq not allowed in ${this.st}`);
    return encodeDT(userData);
  }

  /** S-RELEASE request: FN. */
  releaseRequest(userData?: ByteChain): ByteChain {
    this.step("SRELreq");
    return encodeFN(userData);
  }

  /** S-RELEASE response (accept): DN. */
  releaseResponse(userData?: ByteChain): ByteChain {
    this.step("SRELrsp+");
    return encodeDN(userData);
  }

  /** S-U-ABORT request: AB with Transport Disconnect `0b` (allowed in every connected state). */
  abortRequest(userData?: ByteChain, transportDisconnect = 0x0b): ByteChain {
    if (this.st === "STA01") throw new OsiUsageError("invalid-state", "SUABreq after the connection ended");
    this.st = "STA01";
    return encodeAB(transportDisconnect, userData);
  }

  /** Handles one received TSDU. Never throws on peer bytes. */
  receive(tsdu: Uint8Array): SessionEvent {
    if (this.st === "STA01") {
      return this.protocolError(
        new OsiProtocolError("session", "unexpected-spdu", "SPDU after the connection ended"),
        false,
      );
    }
    // Fast path for the data phase: exactly `01 00 01 00` (GT and DT without parameters).
    if (
      tsdu.length > 4 &&
      tsdu[0] === 1 &&
      tsdu[1] === 0 &&
      tsdu[2] === 1 &&
      tsdu[3] === 0 &&
      (this.st === "STA713" || this.st === "STA03")
    )
      return { type: "data-indication", userData: tsdu.subarray(4) };
    let spdu: Spdu;
    try {
      spdu = decodeSpdu(tsdu);
    } catch (e) {
      return this.protocolError(asSessionError(e), true);
    }
    const next = SESSION_TRANSITIONS[this.st][spdu.kind];
    if (next === undefined) {
      return this.protocolError(
        new OsiProtocolError("session", "unexpected-spdu", `${spdu.kind} SPDU in state ${this.st}`),
        true,
      );
    }
    switch (spdu.kind) {
      case "CN":
        return this.onConnect(spdu.params, spdu.userData);
      case "AC":
        this.st = next;
        this.peerParams = spdu.params;
        if (
          (spdu.params.versionNumber & VERSION_2) === 0 ||
          (spdu.params.sessionUserRequirements & FU_DUPLEX) === 0
        )
          return this.protocolError(
            new OsiProtocolError("session", "negotiation-failed", "AC without version 2 or the duplex unit"),
            true,
          );
        return { type: "connect-confirm", params: spdu.params, userData: spdu.userData };
      case "RF":
        this.st = next;
        return { type: "refuse-indication", reason: spdu.reason, userData: spdu.userData };
      case "DT":
        return { type: "data-indication", userData: spdu.userData };
      case "FN":
        this.st = next;
        return { type: "release-indication", userData: spdu.userData };
      case "DN":
        this.st = next;
        return { type: "release-confirm", userData: spdu.userData };
      case "AB": {
        this.st = next;
        const keep =
          spdu.transportDisconnect !== undefined && (spdu.transportDisconnect & TD_RELEASE_TRANSPORT) === 0;
        return { type: "abort-indication", userData: spdu.userData, reply: keep ? encodeAA() : undefined };
      }
      case "AA":
        // Never reached: AA has no cell (we never keep the transport after an AB).
        return this.protocolError(new OsiProtocolError("session", "unexpected-spdu", "AA"), true);
    }
  }

  private onConnect(params: ConnectParams, userData: Uint8Array | undefined): SessionEvent {
    this.st = "STA08";
    this.peerParams = params;
    // ISO 8327-1 §7.1.1: the SPM refuses versions it does not support (reason 132)…
    if ((params.versionNumber & VERSION_2) === 0)
      return this.refuseLocally(RefuseReason.versionNotSupported, "version 2 not proposed");
    // …and MMS needs the duplex functional unit (implementation restriction, reason 134).
    if ((params.sessionUserRequirements & FU_DUPLEX) === 0)
      return this.refuseLocally(
        RefuseReason.implementationRestriction,
        "duplex functional unit not proposed",
      );
    if (userData === undefined || userData.length === 0)
      return this.refuseLocally(RefuseReason.rejectedBySpm, "CN without user data");
    return { type: "connect-indication", params, userData };
  }

  private refuseLocally(reason: number, message: string): SessionEvent {
    const error = new OsiProtocolError("session", "connect-refused", message);
    error.reply = this.refuseResponse(reason);
    return { type: "protocol-error", error };
  }

  private protocolError(error: OsiProtocolError, answer: boolean): SessionEvent {
    // Annex A: on a protocol error the SPM sends AB (Transport Disconnect: release, protocol
    // error) and releases the transport connection.
    if (answer && this.st !== "STA01") error.reply = encodeAB(TD_RELEASE_TRANSPORT | TD_PROTOCOL_ERROR);
    this.st = "STA01";
    return { type: "protocol-error", error };
  }
}

function asSessionError(e: unknown): OsiProtocolError {
  if (e instanceof OsiProtocolError) return e;
  return new OsiProtocolError("session", "internal", "SPDU decoding failed", { cause: e });
}
