import { TPKT_HEADER_LENGTH, TPKT_MAX_LENGTH, TPKT_MIN_LENGTH, TPKT_VERSION } from "./constants";
import { CotpError } from "./errors";

/**
 * Splits a byte stream into TPKTs (RFC 1006 §6) and returns the TPDU each one carries (the
 * octets after the 4-octet TPKT header).
 *
 * A TPKT that lies inside one chunk is returned as a view of that chunk (no copy). A TPKT that
 * spans chunks is copied exactly once, into a buffer of its announced length. The framer never
 * reuses a buffer it returned, so views stay valid.
 *
 * Bad headers (version not 3, reserved not 0, length < 7 or > 65 535) throw `CotpError`; the
 * framer then stays failed and throws the same error on every later push.
 */
export class TpktFramer {
  /** Header octets of a TPKT whose header itself spans chunks. */
  private readonly head = new Uint8Array(TPKT_HEADER_LENGTH);
  private headLength = 0;
  /** The TPKT being assembled across chunks, and how much of it is filled. */
  private body: Uint8Array | undefined;
  private filled = 0;
  /** Stream offset of the next octet, for error reports. */
  private position = 0;
  private failure: CotpError | undefined;
  /** Largest TPKT accepted (RFC 1006 allows 65 535); a driver may lower it. */
  maxLength: number;

  constructor(maxLength: number = TPKT_MAX_LENGTH) {
    this.maxLength = Math.min(maxLength, TPKT_MAX_LENGTH);
  }

  /** Octets held back waiting for the rest of a TPKT. */
  get buffered(): number {
    return this.body ? this.filled : this.headLength;
  }

  /**
   * True when nothing is held back and `chunk` is exactly one well-formed TPKT (RFC 1006 §6:
   * vrsn 3, reserved 0, length = the chunk's length, within 7..maxLength): the usual shape of a
   * read on an MMS association, which a driver may then take without `push` (no arrays, no
   * views). False otherwise, also for a bad header: `push` then reports it.
   */
  isWhole(chunk: Uint8Array): boolean {
    const n = chunk.length;
    return (
      this.headLength === 0 &&
      this.body === undefined &&
      this.failure === undefined &&
      n >= TPKT_MIN_LENGTH &&
      n <= this.maxLength &&
      chunk[0] === TPKT_VERSION &&
      chunk[1] === 0 &&
      ((chunk[2]! << 8) | chunk[3]!) === n
    );
  }

  /** Accounts for a whole TPKT taken through `isWhole` (stream offsets in later errors). */
  skipWhole(length: number): void {
    this.position += length;
  }

  push(chunk: Uint8Array): Uint8Array[] {
    if (this.failure) throw this.failure;
    const out: Uint8Array[] = [];
    const n = chunk.length;
    let i = 0;
    if (this.headLength > 0) {
      while (this.headLength < TPKT_HEADER_LENGTH && i < n) this.head[this.headLength++] = chunk[i++]!;
      if (this.headLength < TPKT_HEADER_LENGTH) {
        this.position += i;
        return out;
      }
      const length = this.check(this.head, 0, this.position + i - TPKT_HEADER_LENGTH);
      this.body = new Uint8Array(length);
      this.body.set(this.head);
      this.filled = TPKT_HEADER_LENGTH;
      this.headLength = 0;
    }
    if (this.body) {
      const body = this.body;
      const take = Math.min(body.length - this.filled, n - i);
      body.set(i === 0 && take === n ? chunk : chunk.subarray(i, i + take), this.filled);
      this.filled += take;
      i += take;
      if (this.filled < body.length) {
        this.position += i;
        return out;
      }
      out.push(body.subarray(TPKT_HEADER_LENGTH));
      this.body = undefined;
      this.filled = 0;
    }
    while (i < n) {
      const left = n - i;
      if (left < TPKT_HEADER_LENGTH) {
        for (; i < n; i++) this.head[this.headLength++] = chunk[i]!;
        break;
      }
      const length = this.check(chunk, i, this.position + i);
      if (left >= length) {
        out.push(chunk.subarray(i + TPKT_HEADER_LENGTH, i + length));
        i += length;
      } else {
        const body = new Uint8Array(length);
        body.set(chunk.subarray(i));
        this.body = body;
        this.filled = left;
        i = n;
      }
    }
    this.position += n;
    return out;
  }

  /** RFC 1006 §6: vrsn = 3, reserved = 0, packet length (header included) in 7..65 535. */
  private check(bytes: Uint8Array, at: number, streamOffset: number): number {
    if (bytes[at] !== TPKT_VERSION || bytes[at + 1] !== 0) {
      this.failure = new CotpError(
        "tpkt-version",
        `TPKT header ${hexByte(bytes[at]!)} ${hexByte(bytes[at + 1]!)}, expected 03 00`,
        { offset: streamOffset },
      );
      throw this.failure;
    }
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    if (length < TPKT_MIN_LENGTH || length > this.maxLength) {
      this.failure = new CotpError(
        "tpkt-length",
        `TPKT length ${length} outside ${TPKT_MIN_LENGTH}..${this.maxLength}`,
        {
          offset: streamOffset,
        },
      );
      throw this.failure;
    }
    return length;
  }
}

function hexByte(b: number): string {
  return b.toString(16).padStart(2, "0");
}
