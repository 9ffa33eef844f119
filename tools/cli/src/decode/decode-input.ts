import { CliError, ExitCode } from "../exit-codes";
import { acseLines, mmsLines } from "./acse-mms";
import { parseCaptureFile } from "./capture-file";
import type { DecodedUnit, LayerLine } from "./layer-report";
import { OsiDirectionDecoder } from "./osi-layers";
import { TcpReassembler } from "./tcp-reassembly";
import { tcpSegmentOf } from "./tcp-segments";
import { TpktFramer } from "./tpkt-framer";

/** Where a hex dump starts. `auto`: a TPKT stream when it starts with 03 00, else an MMS PDU. */
export type DecodeLayer = "auto" | "tpkt" | "cotp" | "session" | "presentation" | "acse" | "mms";
export const DECODE_LAYERS: readonly DecodeLayer[] = [
  "auto",
  "tpkt",
  "cotp",
  "session",
  "presentation",
  "acse",
  "mms",
];

export function parseHex(text: string): Uint8Array {
  const clean = text.replace(/0x/gi, "").replace(/[\s:,-]/g, "");
  if (clean.length === 0) throw new CliError(ExitCode.decode, "decode", "no hex digits given");
  if (!/^[0-9a-fA-F]*$/.test(clean))
    throw new CliError(ExitCode.decode, "decode", "input is not hexadecimal");
  if (clean.length % 2 !== 0) throw new CliError(ExitCode.decode, "decode", "odd number of hex digits");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Decodes bytes that start at `layer`, layer by layer. */
export function decodeBytes(bytes: Uint8Array, layer: DecodeLayer = "auto"): DecodedUnit[] {
  const start = layer === "auto" ? (bytes[0] === 3 && bytes[1] === 0 ? "tpkt" : "mms") : layer;
  const d = new OsiDirectionDecoder();
  const one = (lines: LayerLine[]): DecodedUnit[] => [{ lines }];
  switch (start) {
    case "tpkt": {
      const f = new TpktFramer();
      const units: DecodedUnit[] = f.push(bytes).map((frame) => ({ lines: d.tpkt(frame) }));
      if (f.broken) units.push({ lines: [{ layer: "ERROR", text: f.broken }] });
      else if (f.pending)
        units.push({ lines: [{ layer: "ERROR", text: `${f.pending} octets of an incomplete TPKT` }] });
      return units;
    }
    case "cotp":
      return one(d.cotp(bytes));
    case "session":
      return one(d.session(bytes));
    case "presentation":
      return one(bytes[0] === 0x31 ? d.presentationConnect(bytes, "CP") : d.presentationData(bytes, "data"));
    case "acse":
      return one(acseLines(bytes, "acse"));
    default:
      return one(mmsLines(bytes));
  }
}

export interface CaptureDecodeOptions {
  /** TCP port carrying ISO-on-TCP (default 102). */
  readonly port?: number;
}

/**
 * Decodes a pcap/pcapng capture: TCP payloads on the port are reassembled per direction,
 * split into TPKTs and decoded layer by layer. TLS (3782) payloads are not decrypted.
 */
export function decodeCapture(file: Uint8Array, options: CaptureDecodeOptions = {}): DecodedUnit[] {
  const port = options.port ?? 102;
  const frames = parseCaptureFile(file);
  const tcp = new TcpReassembler();
  const framers = new Map<string, TpktFramer>();
  const decoders = new Map<string, OsiDirectionDecoder>();
  /** Presentation contexts are learned from the CP of a connection and shared by both directions. */
  const contexts = new Map<string, Map<number, "acse" | "mms">>();
  const units: DecodedUnit[] = [];
  for (const f of frames) {
    const s = tcpSegmentOf(f);
    if (!s || (s.srcPort !== port && s.dstPort !== port)) continue;
    const conn = [`${s.src}:${s.srcPort}`, `${s.dst}:${s.dstPort}`].sort().join(" ");
    for (const chunk of tcp.push(s)) {
      let framer = framers.get(chunk.flow);
      if (!framer || s.syn) {
        framer = new TpktFramer();
        framers.set(chunk.flow, framer);
      }
      let dec = decoders.get(chunk.flow);
      if (!dec) {
        let ctxs = contexts.get(conn);
        if (!ctxs) {
          ctxs = new Map();
          contexts.set(conn, ctxs);
        }
        dec = new OsiDirectionDecoder(ctxs);
        decoders.set(chunk.flow, dec);
      }
      const wasBroken = framer.broken;
      for (const tpkt of framer.push(chunk.bytes)) {
        units.push({ frame: chunk.frame, time: chunk.time, flow: chunk.flow, lines: dec.tpkt(tpkt) });
      }
      if (framer.broken && !wasBroken) {
        units.push({
          frame: chunk.frame,
          time: chunk.time,
          flow: chunk.flow,
          lines: [{ layer: "ERROR", text: framer.broken }],
        });
      }
    }
    if (s.syn) {
      decoders.delete(TcpReassembler.flowName(s));
      framers.delete(TcpReassembler.flowName(s));
    }
  }
  return units;
}
