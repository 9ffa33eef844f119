import {
  DEFAULT_TPDU_SIZE,
  DT_HEADER_LENGTH,
  EOT,
  ErCause,
  ParamCode,
  TpduCode,
  tpduSizeOfCode,
} from "./constants";
import { CotpError, type CotpErrorCode } from "./errors";

/** CR or CC (ISO 8073 §13.3, §13.4). Views into the decoded TPDU. */
export interface ConnectTpdu {
  readonly type: "CR" | "CC";
  readonly dstRef: number;
  readonly srcRef: number;
  /** Class and options octet: high nibble class, bit 2 extended formats, bit 1 explicit flow control. */
  readonly classOption: number;
  /** TPDU size in octets from parameter C0; undefined when absent (the standard then means 128). */
  readonly tpduSize: number | undefined;
  readonly callingTsap: Uint8Array | undefined;
  readonly calledTsap: Uint8Array | undefined;
  /** Parameter F0 in octets (multiple of 128), when present; class 0 does not use it. */
  readonly preferredMaxTpduSize: number | undefined;
}

/** DR (ISO 8073 §13.5). */
export interface DisconnectTpdu {
  readonly type: "DR";
  readonly dstRef: number;
  readonly srcRef: number;
  readonly reason: number;
  readonly additionalInfo: Uint8Array | undefined;
}

/** DT, class 0 normal format (ISO 8073 §13.7): `02 F0 EOT|NR` then user data. */
export interface DataTpdu {
  readonly type: "DT";
  readonly eot: boolean;
  readonly data: Uint8Array;
}

/** ER (ISO 8073 §13.12). */
export interface ErrorTpdu {
  readonly type: "ER";
  readonly dstRef: number;
  readonly cause: number;
  /** Parameter C1: the header octets of the rejected TPDU, when present. */
  readonly invalidTpdu: Uint8Array | undefined;
}

export type Tpdu = ConnectTpdu | DisconnectTpdu | DataTpdu | ErrorTpdu;

/** The ER reject cause that answers a decode error (ISO 8073 §13.12.3). */
export function erCauseOf(code: CotpErrorCode): number {
  switch (code) {
    case "invalid-tpdu-type":
      return ErCause.invalidTpduType;
    case "invalid-parameter":
    case "duplicate-parameter":
      return ErCause.invalidParameterValue;
    default:
      return ErCause.notSpecified;
  }
}

function fail(code: CotpErrorCode, message: string, offset: number): never {
  throw new CotpError(code, message, { offset });
}

/**
 * Decodes one class 0 TPDU (the octets of one TPKT after its header). Total: any input either
 * decodes or throws `CotpError`. Fields that are octet strings are views of `tpdu`.
 */
export function decodeTpdu(tpdu: Uint8Array): Tpdu {
  const n = tpdu.length;
  if (n < 2) fail("invalid-li", `TPDU of ${n} octets`, 0);
  const li = tpdu[0]!;
  // ISO 8073 §13.2.1: LI 255 is reserved; the header (LI octets after LI) must lie in the TPDU.
  if (li === 255) fail("invalid-li", "LI 255 is reserved", 0);
  if (li < 1 || li + 1 > n) fail("invalid-li", `LI ${li} with ${n} octets`, 0);
  const code = tpdu[1]! & 0xf0;
  switch (code) {
    case TpduCode.DT: {
      // §13.7.1: class 0 DT has LI = 2 (no variable part).
      if (li !== 2) fail("invalid-li", `DT with LI ${li}, class 0 requires 2`, 0);
      return { type: "DT", eot: (tpdu[2]! & EOT) !== 0, data: tpdu.subarray(DT_HEADER_LENGTH) };
    }
    case TpduCode.CR:
    case TpduCode.CC:
      return decodeConnect(tpdu, li, code === TpduCode.CR ? "CR" : "CC");
    case TpduCode.DR: {
      // §13.5: fixed part DST-REF, SRC-REF, reason (LI >= 6).
      if (li < 6) fail("invalid-li", `DR with LI ${li}`, 0);
      let additionalInfo: Uint8Array | undefined;
      forEachParam(tpdu, 7, li + 1, (pc, value, at) => {
        if (pc !== ParamCode.additionalInfo) return;
        if (additionalInfo) fail("duplicate-parameter", "DR additional information twice", at);
        additionalInfo = value;
      });
      return { type: "DR", dstRef: u16(tpdu, 2), srcRef: u16(tpdu, 4), reason: tpdu[6]!, additionalInfo };
    }
    case TpduCode.ER: {
      // §13.12: fixed part DST-REF, reject cause (LI >= 4).
      if (li < 4) fail("invalid-li", `ER with LI ${li}`, 0);
      let invalidTpdu: Uint8Array | undefined;
      forEachParam(tpdu, 5, li + 1, (pc, value, at) => {
        if (pc !== ParamCode.invalidTpdu) return;
        if (invalidTpdu) fail("duplicate-parameter", "ER invalid TPDU parameter twice", at);
        invalidTpdu = value;
      });
      return { type: "ER", dstRef: u16(tpdu, 2), cause: tpdu[4]!, invalidTpdu };
    }
    default:
      // DC, ED, AK, EA, RJ belong to classes 1-4; other codes are undefined (§13.1, Table 8).
      return fail("invalid-tpdu-type", `TPDU code ${(code >> 4).toString(16)}x is not used in class 0`, 1);
  }
}

function decodeConnect(tpdu: Uint8Array, li: number, type: "CR" | "CC"): ConnectTpdu {
  // §13.3.1/§13.4.1: fixed part DST-REF(2) SRC-REF(2) class-option(1) after LI and code (LI >= 6).
  if (li < 6) fail("invalid-li", `${type} with LI ${li}`, 0);
  const end = li + 1;
  // §13.3.5: no user data in a class 0 CR/CC.
  if (tpdu.length > end)
    fail("unexpected-user-data", `${type} carries ${tpdu.length - end} octets of user data`, end);
  let tpduSize: number | undefined;
  let callingTsap: Uint8Array | undefined;
  let calledTsap: Uint8Array | undefined;
  let preferredMaxTpduSize: number | undefined;
  forEachParam(tpdu, 7, end, (pc, value, at) => {
    switch (pc) {
      case ParamCode.tpduSize: {
        // §13.3.4 b: one octet, 2^n octets; we accept 128..8192 (DECISIONS.md "Transport limits").
        if (tpduSize !== undefined) fail("duplicate-parameter", "TPDU size twice", at);
        const size = value.length === 1 ? tpduSizeOfCode(value[0]!) : undefined;
        if (size === undefined)
          fail("invalid-parameter", "TPDU size must be one octet with a value 7..13", at);
        tpduSize = size;
        return;
      }
      case ParamCode.callingTsap:
        if (callingTsap) fail("duplicate-parameter", "calling TSAP-ID twice", at);
        callingTsap = value;
        return;
      case ParamCode.calledTsap:
        if (calledTsap) fail("duplicate-parameter", "called TSAP-ID twice", at);
        calledTsap = value;
        return;
      case ParamCode.preferredMaxTpduSize: {
        // §13.3.4 c: 1 to 4 octets, in units of 128 octets.
        if (preferredMaxTpduSize !== undefined) fail("duplicate-parameter", "preferred TPDU size twice", at);
        if (value.length < 1 || value.length > 4)
          fail("invalid-parameter", "preferred TPDU size of bad length", at);
        let v = 0;
        for (const b of value) v = v * 256 + b;
        preferredMaxTpduSize = v * 128;
        return;
      }
      default:
        // Unknown or class 1-4 parameters (C3 checksum, C4 version, C6 options, ...) are skipped.
        return;
    }
  });
  return {
    type,
    dstRef: u16(tpdu, 2),
    srcRef: u16(tpdu, 4),
    classOption: tpdu[6]!,
    tpduSize,
    callingTsap,
    calledTsap,
    preferredMaxTpduSize,
  };
}

/** Walks the variable part `code, length, value` from `start` to `end` (ISO 8073 §13.2.3). */
function forEachParam(
  tpdu: Uint8Array,
  start: number,
  end: number,
  visit: (code: number, value: Uint8Array, at: number) => void,
): void {
  let p = start;
  while (p < end) {
    if (p + 2 > end) fail("invalid-parameter", "parameter header overruns the TPDU header", p);
    const len = tpdu[p + 1]!;
    if (p + 2 + len > end)
      fail("invalid-parameter", `parameter ${tpdu[p]!.toString(16)} overruns the header`, p);
    visit(tpdu[p]!, tpdu.subarray(p + 2, p + 2 + len), p);
    p += 2 + len;
  }
}

function u16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

/** TPDU size a CR/CC means, the standard's default when the parameter is absent. */
export function effectiveTpduSize(t: ConnectTpdu): number {
  return t.tpduSize ?? DEFAULT_TPDU_SIZE;
}
