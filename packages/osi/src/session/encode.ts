import type { ByteChain } from "../bytes";
import { chainLength } from "../bytes";
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

/** Appends a length indicator: one octet below 255, else 0xFF and two octets (ISO 8327-1 §8.2.5). */
function pushLength(out: number[], n: number): void {
  if (n < 255) out.push(n);
  else out.push(0xff, n >>> 8, n & 0xff);
}

/** Copies a small array of octets into a new Uint8Array (faster than `Uint8Array.from`). */
function toBytes(a: readonly number[]): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]!;
  return out;
}

function lengthOfLi(n: number): number {
  return n < 255 ? 1 : 3;
}

function pushParam(out: number[], code: number, value: ArrayLike<number>): void {
  out.push(code);
  pushLength(out, value.length);
  for (let i = 0; i < value.length; i++) out.push(value[i]!);
}

/**
 * Builds one SPDU: SI, LI, the parameters, then a user-data PGI (`udCode`) whose value is the
 * chain `userData` (not copied: the header is a separate chunk).
 */
function spdu(si: number, params: number[], udCode: number, userData: ByteChain | undefined): ByteChain {
  const udLen = userData ? chainLength(userData) : 0;
  const hasUd = userData !== undefined;
  const li = params.length + (hasUd ? 1 + lengthOfLi(udLen) + udLen : 0);
  if (li > MAX_LI) throw new OsiUsageError("user-data-too-large", `SPDU of ${li} octets exceeds 65535`);
  const head: number[] = [si];
  pushLength(head, li);
  for (const b of params) head.push(b);
  if (hasUd) {
    head.push(udCode);
    pushLength(head, udLen);
  }
  const h = toBytes(head);
  return userData ? [h, ...userData] : [h];
}

/** Connect/Accept Item PGI, then Session User Requirements and the selectors, in libiec61850's order. */
function connectParams(p: ConnectParams, role: "CN" | "AC"): number[] {
  const item: number[] = [];
  pushParam(item, PI.protocolOptions, [p.protocolOptions & 0xff]);
  if (p.tsduMaximumSize) {
    const [a, b] = p.tsduMaximumSize;
    pushParam(item, PI.tsduMaximumSize, [a >>> 8, a & 0xff, b >>> 8, b & 0xff]);
  }
  pushParam(item, PI.versionNumber, [p.versionNumber & 0xff]);
  const out: number[] = [];
  pushParam(out, PI.connectAcceptItem, item);
  const sur = p.sessionUserRequirements;
  pushParam(out, PI.sessionUserRequirements, [(sur >>> 8) & 0xff, sur & 0xff]);
  if (role === "CN" && p.callingSelector) pushParam(out, PI.callingSessionSelector, p.callingSelector);
  if (p.calledSelector) pushParam(out, PI.calledSessionSelector, p.calledSelector);
  return out;
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
  return spdu(SI.CN, connectParams(params, "CN"), code, userData);
}

/** AC SPDU (ISO 8327-1 §8.3.2). */
export function encodeAC(params: ConnectParams, userData: ByteChain): ByteChain {
  checkSelector(params.calledSelector);
  return spdu(SI.AC, connectParams(params, "AC"), PI.userData, userData);
}

/**
 * RF SPDU (ISO 8327-1 §8.3.3): Transport Disconnect (release), then Reason Code whose value is
 * the reason octet followed by the SS-user's data (reason 2) — the data is part of PI 50.
 */
export function encodeRF(reason: number, userData?: ByteChain): ByteChain {
  const params: number[] = [];
  pushParam(params, PI.transportDisconnect, [TD_RELEASE_TRANSPORT]);
  if (!userData) {
    pushParam(params, PI.reasonCode, [reason]);
    return spdu(SI.RF, params, 0, undefined);
  }
  const n = chainLength(userData);
  params.push(PI.reasonCode);
  pushLength(params, n + 1);
  params.push(reason);
  const li = params.length + n;
  if (li > MAX_LI) throw new OsiUsageError("user-data-too-large", "RF too large");
  const head: number[] = [SI.RF];
  pushLength(head, li);
  for (const b of params) head.push(b);
  return [toBytes(head), ...userData];
}

/** FN SPDU (ISO 8327-1 §8.3.4); like libiec61850, no Transport Disconnect PI. */
export function encodeFN(userData: ByteChain | undefined): ByteChain {
  return spdu(SI.FN, [], PI.userData, userData);
}

/** DN SPDU (ISO 8327-1 §8.3.5). */
export function encodeDN(userData: ByteChain | undefined): ByteChain {
  return spdu(SI.DN, [], PI.userData, userData);
}

/** Transport Disconnect value of a user abort: release transport, user abort, no reason (`0b`). */
export const TD_USER_ABORT_VALUE: number = TD_RELEASE_TRANSPORT | TD_USER_ABORT | TD_NO_REASON;

/** AB SPDU (ISO 8327-1 §8.3.9). */
export function encodeAB(transportDisconnect: number, userData?: ByteChain): ByteChain {
  const params: number[] = [];
  pushParam(params, PI.transportDisconnect, [transportDisconnect]);
  return spdu(SI.AB, params, PI.userData, userData);
}

/** AA SPDU (ISO 8327-1 §8.3.10): `1a 00`. */
export function encodeAA(): ByteChain {
  return [Uint8Array.of(SI.AA, 0)];
}

/** GT + DT carrying `userData` (ISO 8327-1 §8.3.11, §8.3.14): the fixed 4-octet header, then the data. */
export function encodeDT(userData: ByteChain): ByteChain {
  return [GT_DT_HEADER, ...userData];
}
