/**
 * Bounds applied while decoding peer bytes. Each is checked once, where the value is read, so
 * that no input can make a decoder recurse, loop or allocate beyond a small multiple of its size.
 */
export interface DecodeLimits {
  /** Deepest nesting of constructed elements (recursive Data, TypeDescription). */
  readonly maxDepth: number;
  /** Total number of TLV headers read in one decode. */
  readonly maxElements: number;
  /** Largest content length accepted in any header, in octets. */
  readonly maxLength: number;
  /** Accept indefinite lengths on constructed elements (X.690 §8.1.3.6). Never emitted. */
  readonly allowIndefiniteLength: boolean;
  /** Reject what DER would reject: non-minimal lengths, integers and high tag numbers. */
  readonly strict: boolean;
}

export const defaultDecodeLimits: DecodeLimits = Object.freeze({
  maxDepth: 32,
  maxElements: 200_000,
  maxLength: 16 * 1024 * 1024,
  allowIndefiniteLength: true,
  strict: false,
});

/** Returns limits with the given overrides applied to the defaults. */
export function decodeLimits(overrides: Partial<DecodeLimits> = {}): DecodeLimits {
  return Object.freeze({ ...defaultDecodeLimits, ...overrides });
}
