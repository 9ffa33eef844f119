/** Splits a byte stream into whole TPKTs (RFC 1006 §6): 4-byte header with the total length. */
export class TpktFramer {
  #buf: Uint8Array = new Uint8Array(0);
  #broken: string | undefined;

  /** Set once the stream stopped looking like TPKTs; later bytes are ignored. */
  get broken(): string | undefined {
    return this.#broken;
  }

  push(bytes: Uint8Array): Uint8Array[] {
    if (this.#broken) return [];
    const b = this.#buf.length ? concat2(this.#buf, bytes) : bytes;
    const out: Uint8Array[] = [];
    let o = 0;
    while (o + 4 <= b.length) {
      if (b[o] !== 3 || b[o + 1] !== 0) {
        this.#broken = `not a TPKT header at stream offset ${o}: ${b[o]?.toString(16)} ${b[o + 1]?.toString(16)}`;
        this.#buf = new Uint8Array(0);
        return out;
      }
      const len = ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0);
      if (len < 7) {
        this.#broken = `TPKT length ${len} below the minimum of 7`;
        this.#buf = new Uint8Array(0);
        return out;
      }
      if (o + len > b.length) break;
      out.push(b.subarray(o, o + len));
      o += len;
    }
    this.#buf = b.slice(o);
    return out;
  }

  /** Octets left over that do not make a whole TPKT. */
  get pending(): number {
    return this.#buf.length;
  }
}

function concat2(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
