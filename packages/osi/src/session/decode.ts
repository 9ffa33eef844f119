import { OsiProtocolError } from "../errors";
import { type ConnectParams, PI, SI, type Spdu } from "./spdu";

function fail(code: string, message: string): never {
  throw new OsiProtocolError("session", code, message);
}

/**
 * Reads a length indicator at `p` (ISO 8327-1 §8.2.5: one octet 0..254, or 0xFF followed by two
 * octets). Returns [length, offset after the LI].
 */
function readLi(b: Uint8Array, p: number, end: number): [number, number] {
  if (p >= end) fail("truncated", "missing length indicator");
  const l0 = b[p]!;
  if (l0 !== 0xff) return [l0, p + 1];
  if (p + 3 > end) fail("truncated", "two-octet length indicator cut short");
  return [(b[p + 1]! << 8) | b[p + 2]!, p + 3];
}

/**
 * Walks the PI/PGI units in [p, end): calls `unit(code, valueStart, valueEnd)` for each. Every
 * length is bounded by the enclosing unit, and every step advances at least two octets, so no
 * input can loop.
 */
function walk(
  b: Uint8Array,
  p: number,
  end: number,
  unit: (code: number, s: number, e: number) => void,
): void {
  while (p < end) {
    const code = b[p]!;
    const [len, vs] = readLi(b, p + 1, end);
    if (vs + len > end) fail("length-overflow", `parameter ${code} runs past its SPDU`);
    unit(code, vs, vs + len);
    p = vs + len;
  }
}

function uint(b: Uint8Array, s: number, e: number, width: number, name: string): number {
  if (e - s !== width) fail("invalid-parameter", `${name} must be ${width} octet(s), is ${e - s}`);
  let v = 0;
  for (let i = s; i < e; i++) v = v * 256 + b[i]!;
  return v;
}

interface Collected {
  protocolOptions: number;
  versionNumber: number;
  sessionUserRequirements: number;
  tsduMaximumSize: readonly [number, number] | undefined;
  callingSelector: Uint8Array | undefined;
  calledSelector: Uint8Array | undefined;
  transportDisconnect: number | undefined;
  reason: number | undefined;
  userData: Uint8Array | undefined;
}

// ISO 8327-1 §8.3.1.11 / §8.3.1.16: defaults when PI 19 / PI 20 / PI 22 are absent.
const DEFAULT_SUR = 0x0349; // half-duplex, minor sync, activity, capability, exceptions
const DEFAULT_VERSION = 0x01;

/** Reads one unit header at `p`: [code, valueStart, valueEnd], bounded by `end`. */
function unitAt(b: Uint8Array, p: number, end: number): [number, number, number] {
  const code = b[p]!;
  const [len, vs] = readLi(b, p + 1, end);
  if (vs + len > end) fail("length-overflow", `parameter ${code} runs past its SPDU`);
  return [code, vs, vs + len];
}

function collect(b: Uint8Array, s: number, e: number, si: number): Collected {
  const c: Collected = {
    protocolOptions: 0,
    versionNumber: DEFAULT_VERSION,
    sessionUserRequirements: DEFAULT_SUR,
    tsduMaximumSize: undefined,
    callingSelector: undefined,
    calledSelector: undefined,
    transportDisconnect: undefined,
    reason: undefined,
    userData: undefined,
  };
  // Each unit advances by at least two octets and is bounded by its SPDU: no input can loop.
  for (let p = s; p < e; ) {
    const [code, vs, ve] = unitAt(b, p, e);
    p = ve;
    switch (code) {
      case PI.connectAcceptItem:
        for (let q = vs; q < ve; ) {
          const [ic, is, ie] = unitAt(b, q, ve);
          q = ie;
          if (ic === PI.protocolOptions) c.protocolOptions = uint(b, is, ie, 1, "Protocol Options");
          else if (ic === PI.versionNumber) c.versionNumber = uint(b, is, ie, 1, "Version Number");
          else if (ic === PI.tsduMaximumSize) {
            const v = uint(b, is, ie, 4, "TSDU Maximum Size");
            c.tsduMaximumSize = [Math.floor(v / 0x10000), v & 0xffff];
          }
          // PIs 23, 26, 55–58 (serial numbers, token settings) belong to unused functional units: skipped.
        }
        break;
      case PI.sessionUserRequirements:
        c.sessionUserRequirements = uint(b, vs, ve, 2, "Session User Requirements");
        break;
      case PI.callingSessionSelector:
      case PI.calledSessionSelector: {
        if (ve - vs > 16) fail("invalid-parameter", "session selector over 16 octets");
        const sel = b.subarray(vs, ve);
        if (code === PI.callingSessionSelector) c.callingSelector = sel;
        else c.calledSelector = sel;
        break;
      }
      case PI.transportDisconnect:
        c.transportDisconnect = uint(b, vs, ve, 1, "Transport Disconnect");
        break;
      case PI.reasonCode:
        if (si !== SI.RF) break;
        if (ve - vs < 1) fail("invalid-parameter", "empty Reason Code");
        c.reason = b[vs]!;
        if (ve - vs > 1) c.userData = b.subarray(vs + 1, ve);
        break;
      case PI.userData:
      case PI.extendedUserData:
        if (c.userData !== undefined) fail("duplicate-parameter", "user data given twice");
        if (code === PI.extendedUserData && si !== SI.CN)
          fail("unexpected-parameter", "Extended User Data outside CN");
        c.userData = b.subarray(vs, ve);
        break;
      case PI.dataOverflow:
        // ISO 8327-1 §8.3.1.20: more user data follows in CDO SPDUs; we never accept overflow.
        if (si === SI.CN) fail("unsupported", "Data Overflow (user data over 10240 octets)");
        break;
      default:
        // Unknown or unused PIs/PGIs (Connection Identifier, Reflect Parameter…) are skipped.
        break;
    }
  }
  return c;
}

function connectParams(c: Collected): ConnectParams {
  return {
    protocolOptions: c.protocolOptions,
    versionNumber: c.versionNumber,
    sessionUserRequirements: c.sessionUserRequirements,
    tsduMaximumSize: c.tsduMaximumSize,
    callingSelector: c.callingSelector,
    calledSelector: c.calledSelector,
  };
}

/**
 * Decodes one TSDU into its SPDU (ISO 8327-1 §8). GT+DT (basic concatenation, §7.11.2) yields a
 * `DT` whose user data is everything after the DT header (a view). Throws `OsiProtocolError`
 * (layer `session`) and nothing else.
 */
export function decodeSpdu(tsdu: Uint8Array): Spdu {
  const end = tsdu.length;
  if (end < 2) fail("truncated", "TSDU shorter than an SPDU header");
  const si = tsdu[0]!;
  const [li, ps] = readLi(tsdu, 1, end);
  const pe = ps + li;
  if (pe > end) fail("truncated", `SPDU length ${li} runs past the TSDU`);
  if (si === SI.GT_DT) {
    // GT (category 0, parameters: Token Item only) must be followed by the DT (category 2).
    walk(tsdu, ps, pe, () => undefined);
    if (pe >= end) fail("unexpected-spdu", "GT without a following DT");
    if (tsdu[pe] !== SI.GT_DT) fail("unexpected-spdu", `SPDU ${tsdu[pe]} concatenated after GT`);
    const [dli, dps] = readLi(tsdu, pe + 1, end);
    if (dps + dli > end) fail("truncated", "DT header runs past the TSDU");
    walk(tsdu, dps, dps + dli, () => undefined); // Enclosure Item: SSDU segmenting is not used.
    return { kind: "DT", userData: tsdu.subarray(dps + dli) };
  }
  // Category 1 SPDUs are never concatenated in the kernel: nothing may follow (§7.11.2).
  if (pe !== end) fail("trailing-data", `${end - pe} octets after SPDU ${si}`);
  switch (si) {
    case SI.CN:
    case SI.AC: {
      const c = collect(tsdu, ps, pe, si);
      return si === SI.CN
        ? { kind: "CN", params: connectParams(c), userData: c.userData }
        : { kind: "AC", params: connectParams(c), userData: c.userData };
    }
    case SI.RF: {
      const c = collect(tsdu, ps, pe, si);
      if (c.reason === undefined) fail("missing-parameter", "RF without a Reason Code");
      return {
        kind: "RF",
        transportDisconnect: c.transportDisconnect,
        reason: c.reason,
        userData: c.userData,
      };
    }
    case SI.FN: {
      const c = collect(tsdu, ps, pe, si);
      return { kind: "FN", transportDisconnect: c.transportDisconnect, userData: c.userData };
    }
    case SI.DN:
      return { kind: "DN", userData: collect(tsdu, ps, pe, si).userData };
    case SI.AB: {
      const c = collect(tsdu, ps, pe, si);
      return { kind: "AB", transportDisconnect: c.transportDisconnect, userData: c.userData };
    }
    case SI.AA:
      walk(tsdu, ps, pe, () => undefined);
      return { kind: "AA" };
    default:
      return fail("unknown-spdu", `SPDU identifier ${si} is not supported (kernel + duplex only)`);
  }
}
