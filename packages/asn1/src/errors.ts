/**
 * The one error every BER decoder in the stack throws for bad input. `code` is stable and meant
 * for programs; `offset` is the byte offset in the decoded buffer where the problem was found;
 * `path` lists the tags of the enclosing constructed elements, outermost first.
 */
export type BerDecodeErrorCode =
  | "truncated"
  | "length-overflow"
  | "invalid-length"
  | "indefinite-length"
  | "invalid-tag"
  | "tag-overflow"
  | "unexpected-tag"
  | "trailing-data"
  | "depth-exceeded"
  | "too-many-elements"
  | "invalid-encoding"
  | "integer-overflow"
  | "invalid-string"
  | "invalid-time"
  | "invalid-value";

export class BerDecodeError extends Error {
  override readonly name: "BerDecodeError" = "BerDecodeError";
  readonly code: BerDecodeErrorCode;
  readonly offset: number;
  readonly path: readonly string[];

  constructor(code: BerDecodeErrorCode, message: string, offset: number, path: readonly string[] = []) {
    super(`${code} at offset ${offset}${path.length ? ` in ${path.join(" > ")}` : ""}: ${message}`);
    this.code = code;
    this.offset = offset;
    this.path = path;
  }
}

/** Thrown by writers when asked to encode a value that has no valid encoding (our caller's bug). */
export class BerEncodeError extends Error {
  override readonly name: "BerEncodeError" = "BerEncodeError";
  readonly code: "invalid-value" = "invalid-value";
}
