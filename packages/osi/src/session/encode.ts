import type { ByteChain } from "@mms/io";
import { chainLength } from "@mms/io";
import { OsiUsageError } from "../errors";
import {
  type ConnectParams,
  MAX_CN_EXTENDED_USER_DATA,
  MAX_CN_USER_DATA,
  PI,
  SI,
  TD_NO_REASON,
  TD_RELEASE_TRANSPORT,
  TD_USER_ABORT,
  VERSION_2,
} from "./spdu";

/** The GT SPDU followed by the DT header (ISO 8327-1 §7.11.2, basic concatenation): `01 00 01 00`. */
export const GT_DT_HEADER: Uint8Array = Uint8Array.of(SI.GT_DT, 0, SI.GT_DT, 0);

/** Largest SPDU length the two-octet LI form can carry (ISO 8327-1 §8.2.5). */
const MAX_LI = 0xffff;

/** Octets of a length indicator (ISO 8327-1 §8.2.5): one below 255, else 0xFF and two. */
function lengthOfLi(n: number): number {
  return n < 255 ? 1 : 3;
}

/** A small header builder writing straight into a Uint8Array of a known size. */
class Header {
  readonly b: Uint8Array;
  p = 0;
  constructor(size: number) {
    this.b = new Uint8Array(size);
  }
  byte(v: number): void {
    this.b[this.p++] = v;
  }
  li(n: number): void {
    if (n < 255) this.b[this.p++] = n;
    else {
      this.b[this.p++] = 0xff;
      this.b[this.p++] = n >>> 8;
      this.b[this.p++] = n & 0xff;
    }
  }
  param(code: number, value: ArrayLike<number>): void {
    this.byte(code);
    this.li(value.length);
    for (let i = 0; i < value.length; i++) this.b[this.p++] = value[i]!;
  }
}

function paramSize(len: number): number {
  return 1 + lengthOfLi(len) + len;
}

/** Size of the CN/AC parameters before the user data PGI. */
function connectParamsSize(p: ConnectParams, role: "CN" | "AC"): number {
  const item = paramSize(1) + (p.tsduMaximumSize ? paramSize(4) : 0) + paramSize(1);
  let n = paramSize(item) + paramSize(2);
  if (role === "CN" && p.callingSelector) n += paramSize(p.callingSelector.length);
  if (p.calledSelector) n += paramSize(p.calledSelector.length);
  return n;
}

/** Connect/Accept Item PGI, then Session User Requirements and the selectors, in libiec61850's order. */
function writeConnectParams(h: Header, p: ConnectParams, role: "CN" | "AC"): void {
  const itemLen = paramSize(1) + (p.tsduMaximumSize ? paramSize(4) : 0) + paramSize(1);
  h.byte(PI.connectAcceptItem);
  h.li(itemLen);
  h.param(PI.protocolOptions, [p.protocolOptions & 0xff]);
  if (p.tsduMaximumSize) {
    const [a, b] = p.tsduMaximumSize;
    h.param(PI.tsduMaximumSize, [a >>> 8, a & 0xff, b >>> 8, b & 0xff]);
  }
  h.param(PI.versionNumber, [p.versionNumber & 0xff]);
  const sur = p.sessionUserRequirements;
  h.param(PI.sessionUserRequirements, [(sur >>> 8) & 0xff, sur & 0xff]);
  if (role === "CN" && p.callingSelector) h.param(PI.callingSessionSelector, p.callingSelector);
  if (p.calledSelector) h.param(PI.calledSessionSelector, p.calledSelector);
}

/**
 * Builds one SPDU: SI, LI, the parameters (`paramsLen` octets written by `params`), then a
 * user-data PGI (`udCode`) whose value is the chain `userData` (not copied: the header is a
 * separate chunk).
 */
function spdu(
  si: number,
  paramsLen: number,
  params: ((h: Header) => void) | undefined,
  udCode: number,
  userData: ByteChain | undefined,
): ByteChain {
  const udLen = userData ? chainLength(userData) : 0;
  const li = paramsLen + (userData ? 1 + lengthOfLi(udLen) + udLen : 0);
  if (li > MAX_LI) throw new OsiUsageError("user-data-too-large", `SPDU of ${li} octets exceeds 65535`);
  const h = new Header(1 + lengthOfLi(li) + paramsLen + (userData ? 1 + lengthOfLi(udLen) : 0));
  h.byte(si);
  h.li(li);
  params?.(h);
  if (userData) {
    h.byte(udCode);
    h.li(udLen);
  }
  return userData ? [h.b, ...userData] : [h.b];
}

function checkSelector(sel: Uint8Array | undefined): void {
  // ISO 8327-1 §8.3.1.x: session selectors are at most 16 octets.
  if (sel && sel.length > 16) throw new OsiUsageError("invalid-selector", "session selector over 16 octets");
}

/**
 * CN SPDU (ISO 8327-1 §8.3.1). User data above 512 octets goes in Extended User Data (PI 194,
 * version 2 only, at most 10 240 octets) so that an AARQ with a certificate fits.
 */
export function encodeCN(params: ConnectParams, userData: ByteChain): ByteChain {
  checkSelector(params.callingSelector);
  checkSelector(params.calledSelector);
  const n = chainLength(userData);
  if (n > MAX_CN_EXTENDED_USER_DATA)
    throw new OsiUsageError("user-data-too-large", `CN user data of ${n} octets exceeds 10240`);
  if (n > MAX_CN_USER_DATA && (params.versionNumber & VERSION_2) === 0)
    throw new OsiUsageError("user-data-too-large", "CN user data above 512 octets needs version 2");
  const code = n > MAX_CN_USER_DATA ? PI.extendedUserData : PI.userData;
  return spdu(
    SI.CN,
    connectParamsSize(params, "CN"),
    (h) => writeConnectParams(h, params, "CN"),
    code,
    userData,
  );
}

/** AC SPDU (ISO 8327-1 §8.3.2). */
export function encodeAC(params: ConnectParams, userData: ByteChain): ByteChain {
  checkSelector(params.calledSelector);
  return spdu(
    SI.AC,
    connectParamsSize(params, "AC"),
    (h) => writeConnectParams(h, params, "AC"),
    PI.userData,
    userData,
  );
}

/**
 * RF SPDU (ISO 8327-1 §8.3.3): Transport Disconnect (release), then Reason Code whose value is
 * the reason octet followed by the SS-user's data (reason 2) — the data is part of PI 50.
 */
export function encodeRF(reason: number, userData?: ByteChain): ByteChain {
  const n = userData ? chainLength(userData) : 0;
  const paramsLen = paramSize(1) + 1 + lengthOfLi(n + 1) + 1;
  const li = paramsLen + n;
  if (li > MAX_LI) throw new OsiUsageError("user-data-too-large", "RF too large");
  const h = new Header(1 + lengthOfLi(li) + paramsLen);
  h.byte(SI.RF);
  h.li(li);
  h.param(PI.transportDisconnect, [TD_RELEASE_TRANSPORT]);
  h.byte(PI.reasonCode);
  h.li(n + 1);
  h.byte(reason);
  return userData ? [h.b, ...userData] : [h.b];
}

/** FN SPDU (ISO 8327-1 §8.3.4); like libiec61850, no Transport Disconnect PI. */
export function encodeFN(userData: ByteChain | undefined): ByteChain {
  return spdu(SI.FN, 0, undefined, PI.userData, userData);
}

/** DN SPDU (ISO 8327-1 §8.3.5). */
export function encodeDN(userData: ByteChain | undefined): ByteChain {
  return spdu(SI.DN, 0, undefined, PI.userData, userData);
}

/** Transport Disconnect value of a user abort: release transport, user abort, no reason (`0b`). */
export const TD_USER_ABORT_VALUE: number = TD_RELEASE_TRANSPORT | TD_USER_ABORT | TD_NO_REASON;

/** AB SPDU (ISO 8327-1 §8.3.9). */
export function encodeAB(transportDisconnect: number, userData?: ByteChain): ByteChain {
  return spdu(
    SI.AB,
    paramSize(1),
    (h) => h.param(PI.transportDisconnect, [transportDisconnect]),
    PI.userData,
    userData,
  );
}

/** AA SPDU (ISO 8327-1 §8.3.10): `1a 00`. */
export function encodeAA(): ByteChain {
  return [Uint8Array.of(SI.AA, 0)];
}

/** GT + DT carrying `userData` (ISO 8327-1 §8.3.11, §8.3.14): the fixed 4-octet header, then the data. */
export function encodeDT(userData: ByteChain): ByteChain {
  return [GT_DT_HEADER, ...userData];
}
