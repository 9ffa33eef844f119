import type { Tpdu } from "./tpdu";
import type { CotpError } from "./errors";

export type CotpRole = "initiator" | "responder";

/**
 * `idle`: initiator before `connectRequest`; `wait-cr`: responder before a CR; `wait-cc`:
 * initiator after sending CR; `open`: data phase; `closed`: final.
 */
export type CotpState = "idle" | "wait-cr" | "wait-cc" | "open" | "closed";

/** What both ends agreed on. */
export interface CotpParams {
  /** Negotiated TPDU size in octets (DT header included, TPKT not). */
  readonly tpduSize: number;
  /** Largest TSDU this end reassembles. */
  readonly maxTsduSize: number;
  readonly callingTsap: Uint8Array | undefined;
  readonly calledTsap: Uint8Array | undefined;
  readonly localRef: number;
  readonly remoteRef: number;
}

/** The CR a responder is asked to accept. */
export interface ConnectRequestInfo {
  readonly callingTsap: Uint8Array | undefined;
  readonly calledTsap: Uint8Array | undefined;
  /** Proposed TPDU size in octets (128 when the CR has no size parameter). */
  readonly tpduSize: number;
}

export interface CotpMachineOptions {
  readonly role: CotpRole;
  /** Initiator: TSAP selectors sent in the CR (default 00 01 both, as libiec61850). */
  readonly callingTsap?: Uint8Array;
  readonly calledTsap?: Uint8Array;
  /** Initiator: size proposed; responder: largest size accepted. Power of two in 128..8192 (default 8192). */
  readonly maxTpduSize?: number;
  /** Reassembly cap (default 65 536). */
  readonly maxTsduSize?: number;
  /** Our SRC-REF (default 0x0001, as libiec61850). */
  readonly localRef?: number;
  /** Responder: return a DR reason to refuse the CR, or undefined to accept. */
  readonly accept?: (request: ConnectRequestInfo) => number | undefined;
}

export type CotpEvent =
  | { readonly type: "connectConfirm"; readonly params: CotpParams }
  | { readonly type: "connectIndication"; readonly params: CotpParams }
  | { readonly type: "dataIndication"; readonly tsdu: Uint8Array }
  | {
      readonly type: "disconnectIndication";
      readonly reason: "local" | "remote" | "error";
      readonly error: CotpError | undefined;
    };

export type Input = Tpdu["type"];
export type Action = "accept" | "confirm" | "data" | "remoteDisconnect" | "refused" | "peerError" | "ignore";

/**
 * Class 0 state table (ISO 8073 §6.5 connection establishment, §6.6 refusal, §6.22 treatment of
 * protocol errors; RFC 1006 §5 release by closing TCP). A missing cell is a protocol error: ER
 * and close.
 */
export const TRANSITIONS: Readonly<Record<CotpState, Readonly<Partial<Record<Input, Action>>>>> = {
  idle: {},
  "wait-cr": { CR: "accept", DR: "remoteDisconnect", ER: "peerError" },
  "wait-cc": { CC: "confirm", DR: "refused", ER: "peerError" },
  open: { DT: "data", DR: "remoteDisconnect", ER: "peerError" },
  closed: { CR: "ignore", CC: "ignore", DR: "ignore", DT: "ignore", ER: "ignore" },
};
