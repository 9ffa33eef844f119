import type { DecodeLimits } from "./limits";
import { BerReader } from "./reader";
import { BerWriter } from "./writer";

/**
 * The codec seam: every PDU codec of the stack implements this, so that codecs can be swapped
 * or wrapped (tracing, lazy decoding, vendor extensions). `decode` reads exactly one value from
 * the reader and throws only `BerDecodeError`.
 */
export interface Codec<T> {
  encode(value: T, w: BerWriter): void;
  decode(r: BerReader): T;
}

/** Encodes one value into a fresh buffer (or into `writer`, reset first, returning a copy). */
export function encode<T>(codec: Codec<T>, value: T, writer?: BerWriter): Uint8Array {
  const w = writer ? writer.reset() : new BerWriter();
  codec.encode(value, w);
  return writer ? w.toBytes() : w.view();
}

/** Decodes exactly one value from `bytes`; trailing octets fail with `trailing-data`. */
export function decode<T>(codec: Codec<T>, bytes: Uint8Array, limits?: DecodeLimits): T {
  const r = new BerReader(bytes, 0, bytes.length, limits);
  const value = codec.decode(r);
  r.expectEnd();
  return value;
}
