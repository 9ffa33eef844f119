/**
 * Test-only helper that peels a captured frame down to the BER part: TPKT (RFC 1006 §6) →
 * COTP class 0 TPDU (ISO 8073 §13) → session SPDU (ISO 8327-1 §8) → presentation PPDU. It is a
 * small trusting walker for known-good vectors, not a protocol implementation: it throws a
 * plain Error on anything it does not understand.
 */
import { fromHex } from "./hex";
import { loadVectors } from "./vectors";

/** COTP TPDU kinds by the high nibble of the code octet (ISO 8073 §13.1 Table 8). */
const TPDU_KINDS: Record<number, string> = {
  14: "CR",
  13: "CC",
  8: "DR",
  12: "DC",
  15: "DT",
  7: "ER",
};

export interface Tpdu {
  /** `CR`, `CC`, `DR`, `DC`, `DT`, `ER` or `other`. */
  readonly kind: string;
  /** DT only: the end-of-TSDU mark (ISO 8073 §13.7.3 b). */
  readonly eot: boolean;
  /** Octets after the TPDU header (user data of a DT). */
  readonly userData: Uint8Array;
}

/** Splits one TPKT-framed COTP TPDU (a whole vector). */
export function parseTpkt(frame: Uint8Array): Tpdu {
  if (frame.length < 7 || frame[0] !== 3) throw new Error("not a TPKT frame");
  const len = (frame[2]! << 8) | frame[3]!;
  if (len !== frame.length) throw new Error(`TPKT length ${len} != frame length ${frame.length}`);
  const li = frame[4]!;
  const code = frame[5]!;
  const kind = TPDU_KINDS[code >> 4] ?? "other";
  const eot = kind === "DT" ? (frame[6]! & 0x80) !== 0 : true;
  return { kind, eot, userData: frame.subarray(5 + li) };
}

/**
 * Reassembles TSDUs from a sequence of frames in order: DT user data is concatenated until a DT
 * with EOT; non-DT TPDUs yield nothing. Each TSDU lists the indexes of the frames it came from.
 */
export function reassembleTsdus(
  frames: readonly Uint8Array[],
): { readonly tsdu: Uint8Array; readonly frames: readonly number[] }[] {
  const out: { tsdu: Uint8Array; frames: number[] }[] = [];
  let parts: Uint8Array[] = [];
  let idx: number[] = [];
  frames.forEach((frame, i) => {
    const t = parseTpkt(frame);
    if (t.kind !== "DT") return;
    parts.push(t.userData);
    idx.push(i);
    if (!t.eot) return;
    const total = parts.reduce((n, p) => n + p.length, 0);
    const tsdu = new Uint8Array(total);
    let o = 0;
    for (const p of parts) {
      tsdu.set(p, o);
      o += p.length;
    }
    out.push({ tsdu, frames: idx });
    parts = [];
    idx = [];
  });
  if (parts.length) throw new Error("DT sequence ends without EOT");
  return out;
}

/** Session SPDU names by SI (ISO 8327-1 §8.3 Table 4), for reports. */
const SPDU_NAMES: Record<number, string> = {
  1: "DT",
  13: "CN",
  14: "AC",
  12: "RF",
  9: "FN",
  10: "DN",
  25: "AB",
  26: "AA",
  33: "TD",
  5: "EX",
};

export interface SessionSplit {
  /** SPDU carrying the user data, e.g. `DT`, `CN`, `AC`, `FN`, `DN`, `AB`. */
  readonly spdu: string;
  /** The presentation PPDU (a view), or undefined when the SPDU has none. */
  readonly userData: Uint8Array | undefined;
  /** Offset of `userData` in the TSDU. */
  readonly offset: number;
}

/** Reads an SPDU or parameter length indicator: one octet, or 0xFF and two octets (§8.2.5). */
function readLi(b: Uint8Array, p: number): [len: number, next: number] {
  const l0 = b[p];
  if (l0 === undefined) throw new Error("session LI missing");
  if (l0 !== 0xff) return [l0, p + 1];
  if (p + 3 > b.length) throw new Error("session LI truncated");
  return [(b[p + 1]! << 8) | b[p + 2]!, p + 3];
}

/**
 * Finds the presentation PPDU in a TSDU: after `GT DT` (`01 00 01 00`) for data, or in the User
 * Data PGI 193 / Extended User Data PGI 194 of CN, AC, RF, FN, DN, AB…
 */
export function sessionUserData(tsdu: Uint8Array): SessionSplit {
  let p = 0;
  let si = tsdu[p++];
  if (si === undefined) throw new Error("empty TSDU");
  if (si === 0x01) {
    // GIVE TOKENS (category 0, LI 0 here) followed by DATA TRANSFER (category 2), §7.9 / §7.10.
    let [li, q] = readLi(tsdu, p);
    p = q + li;
    si = tsdu[p++];
    if (si !== 0x01) throw new Error("GT not followed by DT");
    [li, q] = readLi(tsdu, p);
    p = q + li; // DT parameters (enclosure item) are skipped; the rest is user information
    return { spdu: "DT", userData: tsdu.subarray(p), offset: p };
  }
  const name = SPDU_NAMES[si] ?? `SI ${si}`;
  const [li, q] = readLi(tsdu, p);
  const end = q + li;
  if (end > tsdu.length) throw new Error(`${name} LI ${li} runs past the TSDU`);
  p = q;
  while (p < end) {
    const code = tsdu[p++]!;
    const [plen, r] = readLi(tsdu, p);
    if (code === 0xc1 || code === 0xc2) {
      return { spdu: name, userData: tsdu.subarray(r, r + plen), offset: r };
    }
    p = r + plen;
  }
  return { spdu: name, userData: undefined, offset: end };
}

/**
 * The BER part (presentation PPDU and everything inside) of one unsegmented frame, or undefined
 * for TPDUs and SPDUs that carry none.
 */
export function presentationOf(frame: Uint8Array): Uint8Array | undefined {
  const t = parseTpkt(frame);
  if (t.kind !== "DT") return undefined;
  if (!t.eot) throw new Error("segmented DT: use reassembleTsdus");
  return sessionUserData(t.userData).userData;
}

export interface VectorPpdu {
  /** Ids of the frames the TSDU was reassembled from (one, or the DT segments V47a+V47b…). */
  readonly ids: readonly string[];
  /** SPDU that carried it (`DT`, `CN`, `AC`, `FN`, `DN`, `AB`). */
  readonly spdu: string;
  /** The presentation PPDU: the BER part of the frame, from the presentation layer inward. */
  readonly ppdu: Uint8Array;
}

/**
 * The BER part of every frame of ../shared/vectors/vectors.json, in order: DT segments are
 * reassembled (V47, V48, V49), CR/CC frames and SPDUs without user data are left out.
 */
export function vectorPpdus(): VectorPpdu[] {
  const vectors = loadVectors();
  const out: VectorPpdu[] = [];
  for (const t of reassembleTsdus(vectors.map((v) => fromHex(v.hex)))) {
    const s = sessionUserData(t.tsdu);
    if (s.userData === undefined) continue;
    out.push({ ids: t.frames.map((i) => vectors[i]!.id), spdu: s.spdu, ppdu: s.userData });
  }
  return out;
}
