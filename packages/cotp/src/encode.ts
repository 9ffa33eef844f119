import {
  codeOfTpduSize,
  DT_HEADER_LENGTH,
  EOT,
  ParamCode,
  TPKT_HEADER_LENGTH,
  TPKT_VERSION,
  TpduCode,
} from "./constants";
import { CotpUsageError } from "./errors";

/** Fields of a CR or CC we send. */
export interface ConnectFields {
  readonly dstRef: number;
  readonly srcRef: number;
  /** Class 0, no options (default 0x00). */
  readonly classOption?: number;
  /** TPDU size in octets (power of two, 128..8192); omitted when undefined. */
  readonly tpduSize?: number | undefined;
  readonly callingTsap?: Uint8Array | undefined;
  readonly calledTsap?: Uint8Array | undefined;
}

/** Largest LI (ISO 8073 §13.2.1: 255 is reserved). */
const MAX_LI = 254;

function tpkt(tpduLength: number): Uint8Array {
  const total = TPKT_HEADER_LENGTH + tpduLength;
  const out = new Uint8Array(total);
  out[0] = TPKT_VERSION;
  out[2] = total >> 8;
  out[3] = total & 0xff;
  return out;
}

function checkLi(li: number, what: string): void {
  if (li > MAX_LI)
    throw new CotpUsageError("invalid-option", `${what} header of ${li} octets exceeds LI 254`);
}

/**
 * A whole TPKT with a CR or CC (ISO 8073 §13.3, §13.4). Parameters in the order libiec61850
 * sends them: TPDU size (C0), called TSAP (C2), calling TSAP (C1).
 */
export function encodeConnect(type: "CR" | "CC", f: ConnectFields): Uint8Array {
  const sizeCode = f.tpduSize === undefined ? undefined : codeOfTpduSize(f.tpduSize);
  if (f.tpduSize !== undefined && sizeCode === undefined)
    throw new CotpUsageError("invalid-option", `TPDU size ${f.tpduSize} is not a power of two in 128..8192`);
  const li =
    6 +
    (sizeCode === undefined ? 0 : 3) +
    (f.calledTsap ? 2 + f.calledTsap.length : 0) +
    (f.callingTsap ? 2 + f.callingTsap.length : 0);
  checkLi(li, type);
  const out = tpkt(li + 1);
  let p = TPKT_HEADER_LENGTH;
  out[p++] = li;
  out[p++] = type === "CR" ? TpduCode.CR : TpduCode.CC;
  out[p++] = f.dstRef >> 8;
  out[p++] = f.dstRef & 0xff;
  out[p++] = f.srcRef >> 8;
  out[p++] = f.srcRef & 0xff;
  out[p++] = f.classOption ?? 0;
  if (sizeCode !== undefined) {
    out[p++] = ParamCode.tpduSize;
    out[p++] = 1;
    out[p++] = sizeCode;
  }
  for (const [code, value] of [
    [ParamCode.calledTsap, f.calledTsap],
    [ParamCode.callingTsap, f.callingTsap],
  ] as const) {
    if (!value) continue;
    out[p++] = code;
    out[p++] = value.length;
    out.set(value, p);
    p += value.length;
  }
  return out;
}

/** A whole TPKT with a DR (ISO 8073 §13.5). */
export function encodeDisconnect(f: {
  readonly dstRef: number;
  readonly srcRef: number;
  readonly reason: number;
  readonly additionalInfo?: Uint8Array | undefined;
}): Uint8Array {
  const li = 6 + (f.additionalInfo ? 2 + f.additionalInfo.length : 0);
  checkLi(li, "DR");
  const out = tpkt(li + 1);
  const p = TPKT_HEADER_LENGTH;
  out[p] = li;
  out[p + 1] = TpduCode.DR;
  out[p + 2] = f.dstRef >> 8;
  out[p + 3] = f.dstRef & 0xff;
  out[p + 4] = f.srcRef >> 8;
  out[p + 5] = f.srcRef & 0xff;
  out[p + 6] = f.reason;
  if (f.additionalInfo) {
    out[p + 7] = ParamCode.additionalInfo;
    out[p + 8] = f.additionalInfo.length;
    out.set(f.additionalInfo, p + 9);
  }
  return out;
}

/** Longest "invalid TPDU" parameter value that keeps the ER's LI within 254. */
export const MAX_INVALID_TPDU_ECHO = MAX_LI - 6;

/** A whole TPKT with an ER (ISO 8073 §13.12); `invalidTpdu` is truncated to fit. */
export function encodeError(f: {
  readonly dstRef: number;
  readonly cause: number;
  readonly invalidTpdu?: Uint8Array | undefined;
}): Uint8Array {
  const echo = f.invalidTpdu?.subarray(0, MAX_INVALID_TPDU_ECHO);
  const li = 4 + (echo ? 2 + echo.length : 0);
  const out = tpkt(li + 1);
  const p = TPKT_HEADER_LENGTH;
  out[p] = li;
  out[p + 1] = TpduCode.ER;
  out[p + 2] = f.dstRef >> 8;
  out[p + 3] = f.dstRef & 0xff;
  out[p + 4] = f.cause;
  if (echo) {
    out[p + 5] = ParamCode.invalidTpdu;
    out[p + 6] = echo.length;
    out.set(echo, p + 7);
  }
  return out;
}

/** TPKT header plus class 0 DT header for `userLength` octets of user data (7 octets). */
export function dtHeader(userLength: number, eot: boolean): Uint8Array {
  const total = TPKT_HEADER_LENGTH + DT_HEADER_LENGTH + userLength;
  const h = new Uint8Array(TPKT_HEADER_LENGTH + DT_HEADER_LENGTH);
  h[0] = TPKT_VERSION;
  h[2] = total >> 8;
  h[3] = total & 0xff;
  h[4] = 2; // LI, ISO 8073 §13.7.1
  h[5] = TpduCode.DT;
  h[6] = eot ? EOT : 0;
  return h;
}

/** A whole TPKT with one DT (header and data joined; for tests and tools). */
export function encodeData(data: Uint8Array, eot = true): Uint8Array {
  const h = dtHeader(data.length, eot);
  const out = new Uint8Array(h.length + data.length);
  out.set(h);
  out.set(data, h.length);
  return out;
}
