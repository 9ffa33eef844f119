import type { TcpSegment } from "./tcp-segments";

/** In-order bytes of one TCP direction, delivered with the frame that completed them. */
export interface StreamChunk {
  readonly flow: string;
  readonly frame: number;
  readonly time: number;
  readonly bytes: Uint8Array;
}

/** Out-of-order segments buffered per direction before we give up on a gap. */
const MAX_PENDING = 1024;

interface Direction {
  next: number | undefined;
  pending: TcpSegment[];
}

const seqDiff = (a: number, b: number): number => (a - b) | 0;

/**
 * Reassembles the payload of each TCP direction: retransmissions are trimmed, out-of-order
 * segments wait (bounded) until the gap is filled; a gap that never fills is skipped.
 */
export class TcpReassembler {
  readonly #dirs = new Map<string, Direction>();

  static flowName(s: TcpSegment): string {
    return `${s.src}:${s.srcPort} → ${s.dst}:${s.dstPort}`;
  }

  push(s: TcpSegment): StreamChunk[] {
    const flow = TcpReassembler.flowName(s);
    let d = this.#dirs.get(flow);
    if (!d || s.syn) {
      d = { next: s.syn ? (s.seq + 1) >>> 0 : undefined, pending: [] };
      this.#dirs.set(flow, d);
    }
    if (s.payload.length === 0) return [];
    const out: StreamChunk[] = [];
    if (d.next === undefined) d.next = s.seq;
    this.#accept(flow, d, s, out);
    if (d.pending.length > MAX_PENDING) {
      // Give up on the gap: continue from the earliest buffered segment.
      d.pending.sort((a, b) => seqDiff(a.seq, b.seq));
      const first = d.pending.shift();
      if (first) {
        d.next = first.seq;
        this.#accept(flow, d, first, out);
      }
    }
    return out;
  }

  #accept(flow: string, d: Direction, s: TcpSegment, out: StreamChunk[]): void {
    const next = d.next ?? s.seq;
    const delta = seqDiff(s.seq, next);
    if (delta > 0) {
      d.pending.push(s);
      return;
    }
    const skip = -delta;
    if (skip < s.payload.length) {
      const bytes = s.payload.subarray(skip);
      out.push({ flow, frame: s.frame, time: s.time, bytes });
      d.next = (next + bytes.length) >>> 0;
    }
    // Drain buffered segments that are now in order.
    for (;;) {
      const i = d.pending.findIndex((p) => seqDiff(p.seq, d.next ?? 0) <= 0);
      if (i < 0) return;
      const [p] = d.pending.splice(i, 1);
      if (!p) return;
      const cut = seqDiff(d.next ?? 0, p.seq);
      if (cut < p.payload.length) {
        const bytes = p.payload.subarray(cut);
        out.push({ flow, frame: p.frame, time: p.time, bytes });
        d.next = ((d.next ?? 0) + bytes.length) >>> 0;
      }
    }
  }
}
