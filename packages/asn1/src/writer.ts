import { BerEncodeError } from "./errors";
import { MAX_TAG_NUMBER, type Tag } from "./tag";

/**
 * Small writer buffers are carved out of a shared slab, as node carves small Buffers out of
 * its pool: a fresh `Uint8Array(n)` costs an allocation and a zero fill outside the JS heap
 * (about half a microsecond), a view of a slab almost nothing. Each carved region belongs to
 * one writer for good (never handed out twice), so views a writer returned stay valid and a
 * region never holds another writer's octets. A writer that outgrows its region moves to a
 * buffer of its own.
 */
const SLAB_SIZE = 16 * 1024;
/** Regions up to this size come from the slab; larger ones are allocated on their own. */
const SLAB_MAX_REGION = 1024;
let slab = new ArrayBuffer(SLAB_SIZE);
let slabUsed = 0;

function allocate(size: number): Uint8Array {
  if (size > SLAB_MAX_REGION) return new Uint8Array(size);
  if (slabUsed + size > SLAB_SIZE) {
    slab = new ArrayBuffer(SLAB_SIZE);
    slabUsed = 0;
  }
  const region = new Uint8Array(slab, slabUsed, size);
  // Regions start on 8-octet boundaries (as node's pool aligns its Buffers).
  slabUsed = (slabUsed + size + 7) & ~7;
  return region;
}

/** Octets of a definite length in minimal form (X.690 §8.1.3.4, §8.1.3.5): 1 to 5. */
export function lengthOctets(len: number): number {
  return len < 0x80 ? 1 : len < 0x100 ? 2 : len < 0x10000 ? 3 : len < 0x1000000 ? 4 : 5;
}

/**
 * A growable BER writer that emits definite, minimal lengths with no size pre-pass: `begin(tag)`
 * reserves one length octet, `end(mark)` patches it, shifting the content in the rare case that
 * the long form is needed (X.690 §8.1.3). The buffer grows geometrically and is reused after
 * `reset()`, so a writer owned by a connection allocates nothing in the steady state.
 */
export class BerWriter {
  buf: Uint8Array;
  pos = 0;

  constructor(initialCapacity = 256) {
    this.buf = allocate(Math.max(16, initialCapacity));
  }

  /** Forgets the content, keeping the buffer. */
  reset(): this {
    this.pos = 0;
    return this;
  }

  /** Makes room for `n` more octets. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = allocate(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Writes identifier octets (X.690 §8.1.2), with the high-tag-number form when needed. */
  writeTag(tag: Tag): void {
    const num = tag & MAX_TAG_NUMBER;
    const lead = (tag >>> 21) & 0xe0;
    if (num < 31) {
      this.ensure(1);
      this.buf[this.pos++] = lead | num;
      return;
    }
    this.ensure(4);
    const b = this.buf;
    b[this.pos++] = lead | 0x1f;
    if (num >= 0x4000) b[this.pos++] = 0x80 | (num >>> 14);
    if (num >= 0x80) b[this.pos++] = 0x80 | ((num >>> 7) & 0x7f);
    b[this.pos++] = num & 0x7f;
  }

  /** Writes a definite length in minimal form. */
  writeLength(len: number): void {
    this.ensure(5);
    const b = this.buf;
    if (len < 0x80) b[this.pos++] = len;
    else if (len < 0x100) {
      b[this.pos++] = 0x81;
      b[this.pos++] = len;
    } else if (len < 0x10000) {
      b[this.pos++] = 0x82;
      b[this.pos++] = len >>> 8;
      b[this.pos++] = len & 0xff;
    } else if (len < 0x1000000) {
      b[this.pos++] = 0x83;
      b[this.pos++] = len >>> 16;
      b[this.pos++] = (len >>> 8) & 0xff;
      b[this.pos++] = len & 0xff;
    } else {
      b[this.pos++] = 0x84;
      b[this.pos++] = len >>> 24;
      b[this.pos++] = (len >>> 16) & 0xff;
      b[this.pos++] = (len >>> 8) & 0xff;
      b[this.pos++] = len & 0xff;
    }
  }

  /** Starts a constructed element; returns the mark to pass to `end`. */
  begin(tag: Tag): number {
    this.writeTag(tag);
    this.ensure(1);
    const mark = this.pos;
    this.buf[this.pos++] = 0;
    return mark;
  }

  /** Ends the element started at `mark`, patching its length. */
  end(mark: number): void {
    const len = this.pos - mark - 1;
    if (len < 0x80) {
      this.buf[mark] = len;
      return;
    }
    const extra = lengthOctets(len) - 1;
    this.ensure(extra);
    const b = this.buf;
    b.copyWithin(mark + 1 + extra, mark + 1, this.pos);
    this.pos += extra;
    b[mark] = 0x80 | extra;
    for (let i = extra; i >= 1; i--) b[mark + i] = (len >>> (8 * (extra - i))) & 0xff;
  }

  /** Writes a constructed element whose content `body` writes. */
  constructed(tag: Tag, body: (w: BerWriter) => void): void {
    const mark = this.begin(tag);
    body(this);
    this.end(mark);
  }

  /** Writes a primitive element with the given content octets. */
  primitive(tag: Tag, content: Uint8Array): void {
    this.writeTag(tag);
    this.writeLength(content.length);
    this.raw(content);
  }

  /** Splices pre-encoded octets (whole TLVs) as they are. */
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Writes one octet. */
  byte(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  /** The encoding so far, as a view of the internal buffer (valid until the next write or reset). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** The encoding so far, as a fresh copy. */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/** @internal Raises the writer's error for a value that cannot be encoded. */
export function invalidValue(message: string): never {
  throw new BerEncodeError(message);
}
