import { BerDecodeError, type BerDecodeErrorCode } from "./errors";
import { type DecodeLimits, defaultDecodeLimits } from "./limits";
import { isConstructed, MAX_TAG_NUMBER, type Tag, tagName } from "./tag";

/** Shared by a reader and all its children during one decode: the limits and the budget. */
interface DecodeContext {
  readonly limits: DecodeLimits;
  /** End of the whole input: a length past it means the input was cut short. */
  readonly inputEnd: number;
  elements: number;
}

/**
 * A zero-copy BER reader over `bytes[start, end)`. Child readers (`enter`) share the buffer and
 * are bounded by the content of their element; nothing is copied until a value is materialised
 * (strings, numbers), and OCTET STRING values are views.
 *
 * Header parsing is cached: `peekTag()` reads the next identifier and length once, and the
 * following `read*`/`enter` call consumes them.
 */
export class BerReader {
  readonly bytes: Uint8Array;
  /** Offset of the next unread element. */
  pos: number;
  /** End of this reader's content. */
  readonly end: number;
  readonly depth: number;
  private readonly ctx: DecodeContext;
  private readonly parent: BerReader | undefined;
  private readonly ownTag: Tag;
  // Cached header of the element at `pos` (valid while hdrPos === pos).
  private hdrPos = -1;
  private hdrTag = 0;
  private hdrContentStart = 0;
  private hdrContentEnd = 0;
  private hdrElementEnd = 0;

  /**
   * @param limits bounds for this decode (defaults are safe for peer input)
   * @param parent internal: the enclosing reader, for `enter`
   */
  constructor(
    bytes: Uint8Array,
    start = 0,
    end: number = bytes.length,
    limits: DecodeLimits = defaultDecodeLimits,
    parent?: BerReader,
    ownTag: Tag = -1,
  ) {
    if (start < 0 || end > bytes.length || start > end)
      throw new RangeError("BerReader: bounds outside the buffer");
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.parent = parent;
    this.ownTag = ownTag;
    if (parent) {
      this.depth = parent.depth + 1;
      this.ctx = parent.ctx;
    } else {
      this.depth = 0;
      this.ctx = { limits, inputEnd: end, elements: 0 };
    }
  }

  get limits(): DecodeLimits {
    return this.ctx.limits;
  }

  /** True while elements remain in this reader. */
  hasMore(): boolean {
    return this.pos < this.end;
  }

  /** Tags of the enclosing elements, outermost first (for error messages). */
  path(): string[] {
    const out: string[] = [];
    for (let r: BerReader | undefined = this; r?.parent; r = r.parent) out.push(tagName(r.ownTag));
    return out.reverse();
  }

  /** Throws a `BerDecodeError` located in this reader. */
  fail(code: BerDecodeErrorCode, message: string, offset: number = this.pos): never {
    throw new BerDecodeError(code, message, offset, this.path());
  }

  /** Tag of the next element, or -1 when none is left. Parses and caches its header. */
  peekTag(): Tag {
    if (this.pos >= this.end) return -1;
    if (this.hdrPos !== this.pos) this.parseHeader();
    return this.hdrTag;
  }

  /** Reads the next header (tag and length) without consuming, checking every bound. */
  private parseHeader(): void {
    const b = this.bytes;
    const end = this.end;
    let p = this.pos;
    const start = p;
    const ctx = this.ctx;
    if (++ctx.elements > ctx.limits.maxElements)
      this.fail("too-many-elements", "element budget exhausted", p);
    // Identifier octets, X.690 §8.1.2.
    const first = b[p++]!;
    let num = first & 0x1f;
    if (num === 0x1f) {
      // High-tag-number form, X.690 §8.1.2.4.
      num = 0;
      let octets = 0;
      for (;;) {
        if (p >= end) this.truncatedOrOverflow(p + 1, "identifier octets");
        const o = b[p++]!;
        // X.690 §8.1.2.4.2 c: the first subsequent octet shall not be 0x80.
        if (octets === 0 && o === 0x80) this.fail("invalid-tag", "leading 0x80 in a high tag number", p - 1);
        num = num * 128 + (o & 0x7f);
        if (++octets > 3 || num > MAX_TAG_NUMBER) this.fail("tag-overflow", "tag number too large", start);
        if ((o & 0x80) === 0) break;
      }
      if (num < 31 && ctx.limits.strict)
        this.fail("invalid-tag", "high-tag form for a low tag number", start);
    }
    // X.690 §8.1.5: [UNIVERSAL 0] is the end-of-contents marker, only valid closing an
    // indefinite length (consumed by findEndOfContents, never read as an element).
    if (num === 0 && (first & 0xc0) === 0)
      this.fail("invalid-tag", "[UNIVERSAL 0] (end-of-contents) outside an indefinite length", start);
    const tag = ((first & 0xe0) << 21) | num;
    // Length octets, X.690 §8.1.3.
    if (p >= end) this.truncatedOrOverflow(p + 1, "length octets");
    const l0 = b[p++]!;
    let len: number;
    if (l0 < 0x80) {
      len = l0;
    } else if (l0 === 0x80) {
      // Indefinite form, X.690 §8.1.3.6: constructed only.
      if (!isConstructed(tag)) this.fail("invalid-length", "indefinite length on a primitive", p - 1);
      if (!ctx.limits.allowIndefiniteLength)
        this.fail("indefinite-length", "indefinite length not allowed", p - 1);
      const contentEnd = this.findEndOfContents(p, this.depth + 1);
      this.setHeader(start, tag, p, contentEnd, contentEnd + 2);
      return;
    } else if (l0 === 0xff) {
      this.fail("invalid-length", "reserved length octet 0xFF", p - 1); // X.690 §8.1.3.5 c
    } else {
      const n = l0 & 0x7f;
      if (n > 4) this.fail("length-overflow", `${n} length octets`, p - 1);
      if (p + n > end) this.truncatedOrOverflow(p + n, "length octets");
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + b[p++]!;
      if (ctx.limits.strict && (len < 0x80 || b[p - n] === 0))
        this.fail("invalid-length", "non-minimal length", start);
    }
    if (len > ctx.limits.maxLength) this.fail("length-overflow", `length ${len} above limit`, start);
    if (p + len > end) this.truncatedOrOverflow(p + len, `content of ${tagName(tag)} (${len} octets)`);
    this.setHeader(start, tag, p, p + len, p + len);
  }

  private setHeader(pos: number, tag: Tag, cs: number, ce: number, ee: number): void {
    this.hdrPos = pos;
    this.hdrTag = tag;
    this.hdrContentStart = cs;
    this.hdrContentEnd = ce;
    this.hdrElementEnd = ee;
  }

  /**
   * A length running past the input is `truncated` (more octets may come); one running past an
   * enclosing element whose own length was present is `length-overflow` (the peer's lengths
   * contradict each other, X.690 §8.1.1.1): peers.md §5 class 1, "inner longer than outer".
   */
  private truncatedOrOverflow(needEnd: number, what: string): never {
    if (this.parent === undefined && needEnd > this.ctx.inputEnd)
      this.fail("truncated", `${what} run past the end of the input`);
    this.fail("length-overflow", `${what} run past the enclosing element`);
  }

  /** Scans an indefinite-length content for its end-of-contents octets (X.690 §8.1.5). */
  private findEndOfContents(p: number, depth: number): number {
    const b = this.bytes;
    const end = this.end;
    const limits = this.ctx.limits;
    if (depth > limits.maxDepth) this.fail("depth-exceeded", "indefinite-length nesting too deep", p);
    for (;;) {
      if (p + 2 > end) this.truncatedOrOverflow(p + 2, "indefinite-length content");
      if (b[p] === 0 && b[p + 1] === 0) return p;
      const first = b[p++]!;
      if ((first & 0x1f) === 0x1f) {
        let octets = 0;
        for (;;) {
          if (p >= end) this.truncatedOrOverflow(p + 1, "identifier octets");
          if (++octets > 3) this.fail("tag-overflow", "tag number too large", p);
          if ((b[p++]! & 0x80) === 0) break;
        }
      }
      if (p >= end) this.truncatedOrOverflow(p + 1, "length octets");
      const l0 = b[p++]!;
      if (l0 === 0x80) {
        if ((first & 0x20) === 0) this.fail("invalid-length", "indefinite length on a primitive", p - 1);
        p = this.findEndOfContents(p, depth + 1) + 2;
        continue;
      }
      let len = l0;
      if (l0 > 0x80) {
        const n = l0 & 0x7f;
        if (n > 4) this.fail("length-overflow", `${n} length octets`, p - 1);
        if (p + n > end) this.truncatedOrOverflow(p + n, "length octets");
        len = 0;
        for (let i = 0; i < n; i++) len = len * 256 + b[p++]!;
      }
      if (len > limits.maxLength) this.fail("length-overflow", `length ${len} above limit`, p);
      if (p + len > end) this.truncatedOrOverflow(p + len, "content");
      p += len;
    }
  }

  private expectHeader(tag: Tag): void {
    const t = this.peekTag();
    if (t !== tag) {
      if (t === -1) this.fail("truncated", `expected ${tagName(tag)}, found the end of the element`);
      this.fail("unexpected-tag", `expected ${tagName(tag)}, found ${tagName(t)}`);
    }
  }

  /** Consumes the next element, which must have `tag`, and returns its content bounds. */
  private takeContent(tag: Tag): void {
    this.expectHeader(tag);
    this.pos = this.hdrElementEnd;
  }

  /** Enters the constructed element `tag`, returning a reader bounded by its content. */
  enter(tag: Tag): BerReader {
    this.takeContent(tag);
    return this.childOfCached(tag);
  }

  /** Enters whatever constructed element comes next. */
  enterAny(): BerReader {
    const tag = this.peekTag();
    if (tag === -1) this.fail("truncated", "expected an element, found the end");
    if (!isConstructed(tag))
      this.fail("unexpected-tag", `expected a constructed element, found ${tagName(tag)}`);
    this.pos = this.hdrElementEnd;
    return this.childOfCached(tag);
  }

  private childOfCached(tag: Tag): BerReader {
    if (this.depth + 1 > this.ctx.limits.maxDepth)
      this.fail("depth-exceeded", `nesting deeper than ${this.ctx.limits.maxDepth}`, this.hdrPos);
    return new BerReader(this.bytes, this.hdrContentStart, this.hdrContentEnd, this.ctx.limits, this, tag);
  }

  /** Content octets of the next element (must have `tag`), as a view. */
  readContent(tag: Tag): Uint8Array {
    this.takeContent(tag);
    this.contentStart = this.hdrContentStart;
    this.contentEnd = this.hdrContentEnd;
    return this.bytes.subarray(this.hdrContentStart, this.hdrContentEnd);
  }

  /**
   * Content bounds of the next primitive element `tag`: sets `contentStart`/`contentEnd` and
   * returns the content length. The allocation-free way for codecs to read primitives.
   */
  readPrimitive(tag: Tag): number {
    this.takeContent(tag);
    this.contentStart = this.hdrContentStart;
    this.contentEnd = this.hdrContentEnd;
    return this.contentEnd - this.contentStart;
  }
  /** Set by `readPrimitive` / `readContent` / `readAny`. */
  contentStart = 0;
  /** Set by `readPrimitive` / `readContent` / `readAny`. */
  contentEnd = 0;

  /** Consumes any next element; returns its tag and sets `contentStart`/`contentEnd`. */
  readAny(): Tag {
    const tag = this.peekTag();
    if (tag === -1) this.fail("truncated", "expected an element, found the end");
    this.pos = this.hdrElementEnd;
    this.contentStart = this.hdrContentStart;
    this.contentEnd = this.hdrContentEnd;
    return tag;
  }

  /** The whole next element (identifier, length and content) as a view; for splicing or signing. */
  readTlv(): Uint8Array {
    const tag = this.peekTag();
    if (tag === -1) this.fail("truncated", "expected an element, found the end");
    const start = this.pos;
    this.pos = this.hdrElementEnd;
    return this.bytes.subarray(start, this.hdrElementEnd);
  }

  /** Skips the next element. */
  skip(): void {
    this.readAny();
  }

  /** True when the next element has `tag` (for OPTIONAL and CHOICE). */
  isNext(tag: Tag): boolean {
    return this.peekTag() === tag;
  }

  /** Reads `SEQUENCE OF` / `SET OF` items until the end of this reader, at most `maxCount`. */
  items<T>(read: (r: BerReader) => T, maxCount: number = Number.MAX_SAFE_INTEGER): T[] {
    const out: T[] = [];
    while (this.pos < this.end) {
      if (out.length >= maxCount) this.fail("too-many-elements", `more than ${maxCount} items`);
      const before = this.pos;
      out.push(read(this));
      // An item reader that consumed nothing did not recognise the element: stop here rather
      // than loop forever on it (peers.md §5 class 3, "unknown tags must still advance").
      if (this.pos === before) this.fail("unexpected-tag", `unexpected ${tagName(this.peekTag())} in a list`);
    }
    return out;
  }

  /** Enters `tag` and reads its items with `read` (SEQUENCE OF under a tag), at most `maxCount`. */
  sequenceOf<T>(tag: Tag, read: (r: BerReader) => T, maxCount?: number): T[] {
    return this.enter(tag).itemsToEnd(read, maxCount);
  }

  private itemsToEnd<T>(read: (r: BerReader) => T, maxCount?: number): T[] {
    return this.items(read, maxCount);
  }

  /** Reads the element `tag` with `read` when it is next, else returns undefined (OPTIONAL). */
  optional<T>(tag: Tag, read: (r: BerReader) => T): T | undefined {
    return this.peekTag() === tag ? read(this) : undefined;
  }

  /** Fails with `trailing-data` unless every element of this reader was consumed. */
  expectEnd(): void {
    if (this.pos < this.end) this.fail("trailing-data", `${this.end - this.pos} octets left unread`);
  }

  /** Offset of the element about to be read (for diagnostics). */
  get offset(): number {
    return this.pos;
  }
}
