import type { ByteChain } from "@mms/io";
import {
  codeOfTpduSize,
  DEFAULT_MAX_TSDU_SIZE,
  DEFAULT_TPDU_SIZE,
  DrReason,
  DT_HEADER_LENGTH,
  EOT,
  ErCause,
  MAX_TPDU_SIZE,
  TPKT_HEADER_LENGTH,
  TpduCode,
} from "./constants";
import { dtHeader, encodeConnect, encodeDisconnect, encodeError } from "./encode";
import { CotpError, CotpUsageError } from "./errors";
import { type ConnectTpdu, decodeTpdu, erCauseOf, type Tpdu } from "./tpdu";
import {
  type ConnectRequestInfo,
  type CotpEvent,
  type CotpMachineOptions,
  type CotpParams,
  type CotpRole,
  type CotpState,
  TRANSITIONS,
} from "./state-table";

export type { ConnectRequestInfo, CotpEvent, CotpMachineOptions, CotpParams, CotpRole, CotpState };
export { TRANSITIONS };

const NONE: readonly CotpEvent[] = Object.freeze([]);
/** Octets of a rejected TPDU echoed in our ER (keeps the ER's LI at 8). */
const ER_ECHO_OCTETS = 2;
/** Default TSAP-ID 00 01 (libiec61850), a fresh copy per machine. */
const defaultTsap = (): Uint8Array => new Uint8Array([0x00, 0x01]);

/**
 * Sans-IO ISO 8073 class 0 machine for one transport connection. Feed it the TPDUs the
 * `TpktFramer` returns; write what `takeOutgoing()` returns (whole TPKTs, DT headers as
 * separate chunks). Never throws on peer bytes: a bad peer yields a `disconnectIndication`
 * with a `CotpError` after the ER or DR has been queued.
 */
export class CotpMachine {
  readonly role: CotpRole;
  private current: CotpState;
  private negotiated: CotpParams | undefined;
  private outgoing: Uint8Array[] = [];
  private readonly segments: Uint8Array[] = [];
  private segmentBytes = 0;
  private readonly proposedSize: number;
  private readonly maxTsdu: number;
  private readonly localRef: number;
  private readonly callingTsap: Uint8Array;
  private readonly calledTsap: Uint8Array;
  private readonly accept: CotpMachineOptions["accept"];

  constructor(options: CotpMachineOptions) {
    this.role = options.role;
    this.current = options.role === "initiator" ? "idle" : "wait-cr";
    const size = options.maxTpduSize ?? MAX_TPDU_SIZE;
    if (codeOfTpduSize(size) === undefined)
      throw new CotpUsageError("invalid-option", `maxTpduSize ${size} is not a power of two in 128..8192`);
    this.proposedSize = size;
    this.maxTsdu = options.maxTsduSize ?? DEFAULT_MAX_TSDU_SIZE;
    if (!(this.maxTsdu >= 1)) throw new CotpUsageError("invalid-option", "maxTsduSize must be at least 1");
    this.localRef = (options.localRef ?? 1) & 0xffff;
    this.callingTsap = options.callingTsap ?? defaultTsap();
    this.calledTsap = options.calledTsap ?? defaultTsap();
    this.accept = options.accept;
  }

  get state(): CotpState {
    return this.current;
  }

  /** Negotiated parameters, once connected. */
  get params(): CotpParams | undefined {
    return this.negotiated;
  }

  /** Frames to write, in order (whole TPKTs; a DT's 7-octet header is its own chunk). */
  takeOutgoing(): ByteChain {
    const out = this.outgoing;
    if (out.length) this.outgoing = [];
    return out;
  }

  /** T-CONNECT request: queues the CR (ISO 8073 §13.3). Initiator in `idle` only. */
  connectRequest(): void {
    if (this.role !== "initiator") throw new CotpUsageError("wrong-role", "only an initiator sends a CR");
    if (this.current !== "idle")
      throw new CotpUsageError("not-connected", `connectRequest in state ${this.current}`);
    this.outgoing.push(
      encodeConnect("CR", {
        dstRef: 0,
        srcRef: this.localRef,
        tpduSize: this.proposedSize,
        calledTsap: this.calledTsap,
        callingTsap: this.callingTsap,
      }),
    );
    this.current = "wait-cc";
  }

  /**
   * T-DATA request: queues the TSDU as DT TPDUs of at most the negotiated size, EOT on the last
   * (ISO 8073 §6.9 segmenting). Chunks are sliced, never copied.
   */
  dataRequest(tsdu: ByteChain): void {
    const p = this.negotiated;
    if (this.current !== "open" || !p)
      throw new CotpUsageError("not-connected", `dataRequest in state ${this.current}`);
    const out = this.outgoing;
    let total = 0;
    for (const c of tsdu) total += c.length;
    const max = p.tpduSize - DT_HEADER_LENGTH;
    if (total <= max) {
      out.push(dtHeader(total, true));
      for (const c of tsdu) if (c.length) out.push(c);
      return;
    }
    let ci = 0;
    let co = 0;
    let remaining = total;
    while (remaining > 0) {
      const seg = Math.min(remaining, max);
      remaining -= seg;
      out.push(dtHeader(seg, remaining === 0));
      let need = seg;
      while (need > 0) {
        const c = tsdu[ci]!;
        const take = Math.min(c.length - co, need);
        if (take > 0) out.push(co === 0 && take === c.length ? c : c.subarray(co, co + take));
        co += take;
        need -= take;
        if (co === c.length) {
          ci++;
          co = 0;
        }
      }
    }
  }

  /**
   * T-DISCONNECT request. In the data phase a DR (reason 128, normal) is queued before closing,
   * as iec61850bean does; RFC 1006 §5 then closes TCP. Elsewhere the machine just closes.
   */
  disconnectRequest(): readonly CotpEvent[] {
    if (this.current === "closed") return NONE;
    const p = this.negotiated;
    if (this.current === "open" && p)
      this.outgoing.push(
        encodeDisconnect({ dstRef: p.remoteRef, srcRef: p.localRef, reason: DrReason.normal }),
      );
    return this.close("local", undefined);
  }

  /** Closes with a local error (timeout, transport failure); queues nothing. */
  fail(error: CotpError): readonly CotpEvent[] {
    if (this.current === "closed") return NONE;
    return this.close("error", error);
  }

  /** The framer rejected the byte stream: ER (cause not specified) and close. */
  receiveFramingError(error: CotpError): readonly CotpEvent[] {
    if (this.current === "closed") return NONE;
    return this.protocolError(error, undefined);
  }

  /**
   * Fast path of the data phase (same rules as `receive`): when `tpkt` (a whole TPKT, header
   * included) carries a class 0 DT with EOT and no earlier segment is pending, returns the TSDU
   * as a view, with no event objects; otherwise undefined, and the caller hands the TPDU to
   * `receive`, which applies every rule and answers errors.
   */
  receiveWholeDt(tpkt: Uint8Array): Uint8Array | undefined {
    const p = this.negotiated;
    // ISO 8073 §13.7: LI 2, code F0, EOT set; §13.3.4 b: within the negotiated TPDU size.
    if (
      this.current !== "open" ||
      p === undefined ||
      this.segments.length !== 0 ||
      tpkt[4] !== 2 ||
      (tpkt[5]! & 0xf0) !== TpduCode.DT ||
      (tpkt[6]! & EOT) === 0 ||
      tpkt.length - TPKT_HEADER_LENGTH > p.tpduSize ||
      tpkt.length - TPKT_HEADER_LENGTH - DT_HEADER_LENGTH > this.maxTsdu
    )
      return undefined;
    // A plain view (not the subclass of the chunk, e.g. a node Buffer, whose construction is slower).
    const at = TPKT_HEADER_LENGTH + DT_HEADER_LENGTH;
    return new Uint8Array(tpkt.buffer, tpkt.byteOffset + at, tpkt.length - at);
  }

  /** Input from below: one TPDU (the octets of one TPKT after its header). */
  receive(tpdu: Uint8Array): readonly CotpEvent[] {
    // Fast path for the data phase: a class 0 DT (LI 2, code F0).
    if (
      this.current === "open" &&
      tpdu.length >= DT_HEADER_LENGTH &&
      tpdu[0] === 2 &&
      (tpdu[1]! & 0xf0) === TpduCode.DT
    )
      return this.data(tpdu, (tpdu[2]! & EOT) !== 0);
    if (this.current === "closed") return NONE;
    let t: Tpdu;
    try {
      t = decodeTpdu(tpdu);
    } catch (e) {
      if (e instanceof CotpError) return this.protocolError(e, tpdu);
      throw e;
    }
    const action = TRANSITIONS[this.current][t.type];
    switch (action) {
      case undefined:
        return this.protocolError(
          new CotpError("unexpected-tpdu", `${t.type} in state ${this.current}`, { offset: 1 }),
          tpdu,
          ErCause.invalidTpduType,
        );
      case "ignore":
        return NONE;
      case "accept":
        return this.onConnectRequest(t as ConnectTpdu);
      case "confirm":
        return this.onConnectConfirm(t as ConnectTpdu, tpdu);
      case "data": {
        const dt = t as { data: Uint8Array; eot: boolean };
        return this.data(tpdu, dt.eot);
      }
      case "remoteDisconnect":
        // A DR is an orderly end from the peer whatever its reason (RFC 1006 §5).
        return this.close("remote", undefined);
      case "refused": {
        const dr = t as { reason: number };
        return this.close(
          "error",
          new CotpError("refused", `connection refused, DR reason ${dr.reason}`, { drReason: dr.reason }),
        );
      }
      case "peerError": {
        const er = t as { cause: number };
        return this.close(
          "error",
          new CotpError("peer-error", `peer sent ER cause ${er.cause}`, { erCause: er.cause }),
        );
      }
      default:
        return assertNever(action);
    }
  }

  private onConnectRequest(cr: ConnectTpdu): readonly CotpEvent[] {
    // ISO 8073 §6.5.4 (class negotiation): only class 0 exists over RFC 1006.
    if (cr.classOption >> 4 !== 0)
      return this.refuse(cr, DrReason.negotiationFailed, `CR proposes class ${cr.classOption >> 4}`);
    const proposed = cr.tpduSize ?? DEFAULT_TPDU_SIZE;
    const refusal = this.accept?.({
      callingTsap: cr.callingTsap,
      calledTsap: cr.calledTsap,
      tpduSize: proposed,
    });
    if (refusal !== undefined) return this.refuse(cr, refusal, `CR refused by policy (reason ${refusal})`);
    // §13.3.4 b: the responder may lower the size; never raise it.
    const tpduSize = Math.min(proposed, this.proposedSize);
    this.negotiated = {
      tpduSize,
      maxTsduSize: this.maxTsdu,
      callingTsap: cr.callingTsap?.slice(),
      calledTsap: cr.calledTsap?.slice(),
      localRef: this.localRef,
      remoteRef: cr.srcRef,
    };
    // The CC echoes the TSAP-IDs, as libiec61850 does (V04).
    this.outgoing.push(
      encodeConnect("CC", {
        dstRef: cr.srcRef,
        srcRef: this.localRef,
        tpduSize,
        calledTsap: cr.calledTsap,
        callingTsap: cr.callingTsap,
      }),
    );
    this.current = "open";
    return [{ type: "connectIndication", params: this.negotiated }];
  }

  private refuse(cr: ConnectTpdu, reason: number, message: string): readonly CotpEvent[] {
    // §6.6: refusal is a DR in reply to the CR.
    this.outgoing.push(encodeDisconnect({ dstRef: cr.srcRef, srcRef: this.localRef, reason }));
    const code = reason === DrReason.negotiationFailed ? "negotiation-failed" : "refused";
    return this.close("error", new CotpError(code, message, { drReason: reason }));
  }

  private onConnectConfirm(cc: ConnectTpdu, raw: Uint8Array): readonly CotpEvent[] {
    const size = cc.tpduSize ?? DEFAULT_TPDU_SIZE;
    if (cc.classOption >> 4 !== 0)
      return this.protocolError(
        new CotpError("negotiation-failed", `CC selects class ${cc.classOption >> 4}`, { offset: 6 }),
        raw,
        ErCause.invalidParameterValue,
        cc.srcRef,
      );
    // §13.4.4: the CC may only lower the proposed size; the CC's value is then binding.
    if (size > this.proposedSize)
      return this.protocolError(
        new CotpError(
          "negotiation-failed",
          `CC selects TPDU size ${size} above the ${this.proposedSize} proposed`,
        ),
        raw,
        ErCause.invalidParameterValue,
        cc.srcRef,
      );
    this.negotiated = {
      tpduSize: size,
      maxTsduSize: this.maxTsdu,
      callingTsap: this.callingTsap,
      calledTsap: this.calledTsap,
      localRef: this.localRef,
      remoteRef: cc.srcRef,
    };
    this.current = "open";
    return [{ type: "connectConfirm", params: this.negotiated }];
  }

  private data(tpdu: Uint8Array, eot: boolean): readonly CotpEvent[] {
    const p = this.negotiated!;
    // §13.3.4 b: no TPDU longer than the negotiated size.
    if (tpdu.length > p.tpduSize)
      return this.protocolError(
        new CotpError("tpdu-too-large", `DT of ${tpdu.length} octets, negotiated ${p.tpduSize}`),
        tpdu,
      );
    const data = tpdu.subarray(DT_HEADER_LENGTH);
    const total = this.segmentBytes + data.length;
    if (total > this.maxTsdu)
      return this.protocolError(
        new CotpError("tsdu-too-large", `TSDU exceeds ${this.maxTsdu} octets`, { offset: total }),
        tpdu,
      );
    if (!eot) {
      if (data.length) this.segments.push(data);
      this.segmentBytes = total;
      return NONE;
    }
    if (this.segments.length === 0) return [{ type: "dataIndication", tsdu: data }];
    // §6.9 reassembly: one copy of the whole TSDU.
    const tsdu = new Uint8Array(total);
    let at = 0;
    for (const s of this.segments) {
      tsdu.set(s, at);
      at += s.length;
    }
    tsdu.set(data, at);
    this.segments.length = 0;
    this.segmentBytes = 0;
    return [{ type: "dataIndication", tsdu }];
  }

  /** §6.22: answer a protocol error with an ER echoing the offending header, then close. */
  private protocolError(
    error: CotpError,
    offending: Uint8Array | undefined,
    cause: number = erCauseOf(error.code),
    dstRef: number = this.negotiated?.remoteRef ?? 0,
  ): readonly CotpEvent[] {
    // §13.12.4: the invalid TPDU parameter carries the start of the rejected TPDU. We echo its
    // first octets (LI and code) only: an ER whose LI exceeds 8 is not recognised as COTP by
    // common analysers (Wireshark), and the code octet already tells the peer what we refused.
    const header = offending?.length
      ? offending.subarray(0, Math.min(offending.length, ER_ECHO_OCTETS))
      : undefined;
    this.outgoing.push(encodeError({ dstRef, cause, invalidTpdu: header }));
    return this.close("error", error);
  }

  private close(reason: "local" | "remote" | "error", error: CotpError | undefined): readonly CotpEvent[] {
    this.current = "closed";
    this.segments.length = 0;
    this.segmentBytes = 0;
    return [{ type: "disconnectIndication", reason, error }];
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled ${String(x)}`);
}
