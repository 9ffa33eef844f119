import type { BerNode } from "@mms/asn1";
import { child, hexOf, node, oidText, t, tlvBytes, uint } from "./ber-nodes";
import type { LayerLine } from "./layer-report";
import { acseLines } from "./acse-mms";

/** TSDU reassembly cap, as the stack's default (DECISIONS: transport limits). */
const MAX_TSDU = 65_536;

const COTP_NAMES: Record<number, string> = {
  224: "CR connection request",
  208: "CC connection confirm",
  128: "DR disconnect request",
  192: "DC disconnect confirm",
  240: "DT data",
  112: "ER error",
};

const SPDU_NAMES: Record<number, string> = {
  1: "GT/DT",
  13: "CN connect",
  14: "AC accept",
  12: "RF refuse",
  9: "FN finish",
  10: "DN disconnect",
  25: "AB abort",
  26: "AA abort accept",
  15: "CDO connect data overflow",
  16: "OA overflow accept",
  8: "NF not finished",
};

/** Decodes TPKT → COTP → session → presentation → ACSE/MMS for one direction of one connection. */
export class OsiDirectionDecoder {
  #tsdu: Uint8Array[] = [];
  #tsduLength = 0;
  /** Presentation context id → "acse" | "mms", learned from the CP-type. */
  readonly contexts: Map<number, "acse" | "mms">;

  constructor(contexts: Map<number, "acse" | "mms"> = new Map()) {
    this.contexts = contexts;
  }

  /** One whole TPKT (4-byte header included). */
  tpkt(frame: Uint8Array): LayerLine[] {
    const lines: LayerLine[] = [];
    if (frame.length < 7 || frame[0] !== 3) {
      lines.push({ layer: "ERROR", text: `not a TPKT (version ${frame[0]}, ${frame.length} octets)` });
      return lines;
    }
    lines.push({ layer: "TPKT", text: `version 3, length ${frame.length}` });
    lines.push(...this.cotp(frame.subarray(4)));
    return lines;
  }

  cotp(tpdu: Uint8Array): LayerLine[] {
    const li = tpdu[0] ?? 0;
    const code = (tpdu[1] ?? 0) & 0xf0;
    if (li + 1 > tpdu.length || li < 2) return [{ layer: "ERROR", text: `COTP: bad length indicator ${li}` }];
    const name = COTP_NAMES[code] ?? `unknown TPDU 0x${code.toString(16)}`;
    if (code === 0xf0) {
      const eot = ((tpdu[2] ?? 0) & 0x80) !== 0;
      const data = tpdu.subarray(li + 1);
      const line: LayerLine = {
        layer: "COTP",
        text: `${name}${eot ? " EOT" : " (more follows)"}, ${data.length} octets`,
      };
      this.#tsduLength += data.length;
      if (this.#tsduLength > MAX_TSDU) {
        this.#tsdu = [];
        this.#tsduLength = 0;
        return [line, { layer: "ERROR", text: `TSDU exceeds ${MAX_TSDU} octets` }];
      }
      this.#tsdu.push(data);
      if (!eot) return [line];
      const tsdu = concat(this.#tsdu);
      this.#tsdu = [];
      this.#tsduLength = 0;
      return [line, ...this.session(tsdu)];
    }
    const dv = new DataView(tpdu.buffer, tpdu.byteOffset, tpdu.byteLength);
    const parts: string[] = [name];
    if (code === 0xe0 || code === 0xd0 || code === 0x80) {
      if (li < 6) return [{ layer: "ERROR", text: `COTP ${name}: header too short` }];
      parts.push(`dst-ref ${dv.getUint16(2).toString(16).padStart(4, "0")}`);
      parts.push(`src-ref ${dv.getUint16(4).toString(16).padStart(4, "0")}`);
      if (code === 0x80) parts.push(`reason ${tpdu[6]}`);
      else parts.push(`class ${(tpdu[6] ?? 0) >> 4}`);
      let o = 7;
      while (o + 2 <= li + 1) {
        const p = tpdu[o] ?? 0;
        const l = tpdu[o + 1] ?? 0;
        const v = tpdu.subarray(o + 2, Math.min(o + 2 + l, li + 1));
        if (p === 0xc0) parts.push(`tpdu-size ${2 ** (v[0] ?? 0)}`);
        else if (p === 0xc1) parts.push(`calling-tsel ${hexOf(v)}`);
        else if (p === 0xc2) parts.push(`called-tsel ${hexOf(v)}`);
        else parts.push(`param ${p.toString(16)}=${hexOf(v)}`);
        o += 2 + l;
      }
    } else if (code === 0x70) {
      parts.push(`reject-cause ${tpdu[4]}`);
    }
    return [{ layer: "COTP", text: parts.join(", ") }];
  }

  session(tsdu: Uint8Array): LayerLine[] {
    const si = tsdu[0] ?? 0;
    if (si === 1 && tsdu[1] === 0 && tsdu[2] === 1) {
      // GT without parameters, then DT (ISO 8327 basic concatenation): user information follows.
      const li = tsdu[3] ?? 0;
      const ui = tsdu.subarray(4 + li);
      return [
        { layer: "SESSION", text: `GT + DT, ${ui.length} octets` },
        ...this.presentationData(ui, "data"),
      ];
    }
    let li = tsdu[1] ?? 0;
    let o = 2;
    if (li === 0xff) {
      li = ((tsdu[2] ?? 0) << 8) | (tsdu[3] ?? 0);
      o = 4;
    }
    const end = Math.min(tsdu.length, o + li);
    const name = SPDU_NAMES[si] ?? `SPDU ${si}`;
    const parts: string[] = [name];
    let userData: Uint8Array | undefined;
    const walk = (from: number, to: number): void => {
      let p = from;
      while (p + 2 <= to) {
        const pi = tsdu[p] ?? 0;
        let l = tsdu[p + 1] ?? 0;
        let v0 = p + 2;
        if (l === 0xff) {
          l = ((tsdu[p + 2] ?? 0) << 8) | (tsdu[p + 3] ?? 0);
          v0 = p + 4;
        }
        const v = tsdu.subarray(v0, Math.min(v0 + l, to));
        switch (pi) {
          case 0x05:
          case 0x01:
            walk(v0, Math.min(v0 + l, to));
            break;
          case 0x13:
            parts.push(`protocol-options ${v[0]}`);
            break;
          case 0x16:
            parts.push(`version ${v[0] === 2 ? "2" : v[0] === 1 ? "1" : hexOf(v)}`);
            break;
          case 0x14:
            parts.push(`requirements ${hexOf(v)}`);
            break;
          case 0x33:
            parts.push(`calling-ssel ${hexOf(v)}`);
            break;
          case 0x34:
            parts.push(`called-ssel ${hexOf(v)}`);
            break;
          case 0x11:
            parts.push(`transport-disconnect ${hexOf(v)}`);
            break;
          case 0x32:
            parts.push(`reason ${v[0]}`);
            if (v.length > 1) userData = v.subarray(1);
            break;
          case 0xc1:
          case 0xc2:
            userData = v;
            if (pi === 0xc2) parts.push("extended-user-data");
            break;
          default:
            parts.push(`pi ${pi.toString(16)}=${hexOf(v, 8)}`);
        }
        p = v0 + l;
      }
    };
    walk(o, end);
    const lines: LayerLine[] = [{ layer: "SESSION", text: parts.join(", ") }];
    if (!userData) return lines;
    if (si === 13) return [...lines, ...this.presentationConnect(userData, "CP")];
    if (si === 14) return [...lines, ...this.presentationConnect(userData, "CPA")];
    if (si === 12) return [...lines, ...this.presentationConnect(userData, "CPR")];
    if (si === 25) return [...lines, ...this.presentationAbort(userData)];
    return [...lines, ...this.presentationData(userData, si === 9 ? "release request" : "release response")];
  }

  presentationConnect(bytes: Uint8Array, kind: "CP" | "CPA" | "CPR"): LayerLine[] {
    const n = node(bytes);
    if (typeof n === "string") return [{ layer: "ERROR", text: `presentation ${kind}: ${n}` }];
    const params = kind === "CPR" ? n : child(n, 0xa2);
    const parts: string[] = [`${kind}-PPDU`];
    const mode = uint(child(child(n, 0xa0), 0x80));
    if (mode !== undefined) parts.push(mode === 1 ? "normal mode" : `mode ${mode}`);
    const sel = (o: number, label: string) => {
      const c = child(params, o)?.content;
      if (c) parts.push(`${label} ${hexOf(c)}`);
    };
    sel(0x81, "calling-psel");
    sel(0x82, "called-psel");
    sel(0x83, "responding-psel");
    const defs = child(params, 0xa4);
    for (const d of defs?.children ?? []) {
      const id = uint(d.children?.[0]);
      const as = oidText(d.children?.[1]);
      if (id !== undefined && as) {
        const kindOf = as === "2.2.1.0.1" ? "acse" : as.startsWith("1.0.9506.") ? "mms" : undefined;
        if (kindOf) this.contexts.set(id, kindOf);
        parts.push(`context ${id}=${as}${kindOf ? ` (${kindOf.toUpperCase()})` : ""}`);
      }
    }
    const results = child(params, 0xa5);
    if (results)
      parts.push(`results [${(results.children ?? []).map((r) => uint(child(r, 0x80))).join(", ")}]`);
    const reason = uint(child(params, 0x8a));
    if (reason !== undefined) parts.push(`provider-reason ${reason}`);
    const lines: LayerLine[] = [{ layer: "PRESENTATION", text: parts.join(", ") }];
    const ud = child(params, 0x61);
    if (ud) lines.push(...this.pdvLists(bytes, ud));
    return lines;
  }

  presentationAbort(bytes: Uint8Array): LayerLine[] {
    const n = node(bytes);
    if (typeof n === "string") return [{ layer: "ERROR", text: `presentation abort: ${n}` }];
    if (n.tag === t(0x30)) {
      const reason = uint(child(n, 0x80));
      return [{ layer: "PRESENTATION", text: `ARP-PPDU provider abort, reason ${reason ?? "absent"}` }];
    }
    const lines: LayerLine[] = [{ layer: "PRESENTATION", text: "ARU-PPDU user abort" }];
    const ud = child(n, 0x61);
    if (ud) lines.push(...this.pdvLists(bytes, ud));
    return lines;
  }

  presentationData(bytes: Uint8Array, what: string): LayerLine[] {
    const n = node(bytes);
    if (typeof n === "string") return [{ layer: "ERROR", text: `presentation ${what}: ${n}` }];
    if (n.tag !== t(0x61))
      return [{ layer: "ERROR", text: `presentation ${what}: expected fully-encoded-data (61)` }];
    return this.pdvLists(bytes, n, what);
  }

  pdvLists(buf: Uint8Array, fed: BerNode, what = "user data"): LayerLine[] {
    const lines: LayerLine[] = [];
    for (const pdv of fed.children ?? []) {
      const id = uint(child(pdv, 0x02));
      const value = child(pdv, 0xa0)?.children?.[0];
      const ctxKind = id === undefined ? undefined : this.contexts.get(id);
      const guessed = ctxKind ?? (id === 1 ? "acse" : "mms");
      lines.push({
        layer: "PRESENTATION",
        text: `fully-encoded-data (${what}), context ${id ?? "?"}${ctxKind ? ` (${ctxKind.toUpperCase()})` : ""}`,
      });
      if (!value) {
        lines.push({ layer: "ERROR", text: "presentation: PDV-list without single-ASN1-type value" });
        continue;
      }
      lines.push(...acseLines(tlvBytes(buf, value), guessed));
    }
    return lines;
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1 && parts[0]) return parts[0];
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
