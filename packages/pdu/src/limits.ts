import { type DecodeLimits, decodeLimits } from "@mms/asn1";

/**
 * Bounds applied by the MMS decoders on top of the BER limits. Before the initiate exchange use
 * `defaultPduLimits`; afterwards `pduLimits(negotiated.dataStructureNestingLevel)`.
 */
export interface PduLimits {
  /**
   * Deepest nesting of structures/arrays in Data and TypeSpecification and of AlternateAccess
   * (ISO 9506-2 §8.2: dataStructureNestingLevel). A top-level simple value has level 0.
   */
  readonly maxNestingLevel: number;
  /** Most items in any one SEQUENCE OF (names, results, data, entries). */
  readonly maxListItems: number;
  /** Longest accepted Identifier (IEC 61850-8-1 Ed.2 object references exceed ISO's 32). */
  readonly maxIdentifierLength: number;
  /**
   * Enforce the ISO 9506 Identifier syntax (letters, digits, `_`, `$`; not starting with a
   * digit; at most 32 characters). Off by default: real peers send longer names and `@name`.
   */
  readonly strictIdentifiers: boolean;
  /** BER limits used when this package creates the reader (`decodeMmsPdu`). */
  readonly ber: DecodeLimits;
}

/** Nesting level assumed before negotiation (more than the 10 libiec61850 proposes). */
export const DEFAULT_NESTING_LEVEL = 20;

function berFor(nesting: number): DecodeLimits {
  // Envelope (PDU, service, lists, wrappers) needs fewer than 12 levels above the Data; each
  // structure level costs one, an AlternateAccess level up to three.
  return decodeLimits({ maxDepth: 12 + 3 * nesting });
}

export const defaultPduLimits: PduLimits = Object.freeze({
  maxNestingLevel: DEFAULT_NESTING_LEVEL,
  maxListItems: 100_000,
  maxIdentifierLength: 129,
  strictIdentifiers: false,
  ber: berFor(DEFAULT_NESTING_LEVEL),
});

/** Limits for an association that negotiated `nestingLevel` (clamped to 0..100). */
export function pduLimits(nestingLevel: number | undefined, overrides: Partial<PduLimits> = {}): PduLimits {
  const n = Math.max(0, Math.min(100, nestingLevel ?? DEFAULT_NESTING_LEVEL));
  return Object.freeze({ ...defaultPduLimits, maxNestingLevel: n, ber: berFor(n), ...overrides });
}
