/** RFC 1006 §6: TPKT header. */
export const TPKT_VERSION = 3;
export const TPKT_HEADER_LENGTH = 4;
/** A TPKT holds at least a 3-octet TPDU (LI, code, one more octet). */
export const TPKT_MIN_LENGTH = 7;
export const TPKT_MAX_LENGTH = 65_535;

/** ISO 8073 §13.1 Table 8: TPDU codes (high nibble of the second octet). */
export const TpduCode = {
  CR: 0xe0,
  CC: 0xd0,
  DR: 0x80,
  DC: 0xc0,
  DT: 0xf0,
  ED: 0x10,
  AK: 0x60,
  EA: 0x20,
  RJ: 0x50,
  ER: 0x70,
} as const;

/** ISO 8073 §13.2.3: parameter codes of the variable part used by class 0. */
export const ParamCode = {
  /** CR/CC TPDU size, value n: size 2^n octets (§13.3.4 b). */
  tpduSize: 0xc0,
  /** CR/CC calling TSAP-ID (§13.3.4 a); in an ER TPDU the same code means "invalid TPDU" (§13.12.4). */
  callingTsap: 0xc1,
  invalidTpdu: 0xc1,
  /** CR/CC called TSAP-ID (§13.3.4 a). */
  calledTsap: 0xc2,
  /** CR/CC preferred maximum TPDU size, in multiples of 128 octets (§13.3.4 c). */
  preferredMaxTpduSize: 0xf0,
  /** DR additional information (§13.5.3). */
  additionalInfo: 0xe0,
} as const;

/** ISO 8073 §13.3.4 b: TPDU size codes class 0 can use here (DECISIONS.md "Transport limits"). */
export const MIN_TPDU_SIZE_CODE = 7; // 128 octets
export const MAX_TPDU_SIZE_CODE = 13; // 8192 octets
export const DEFAULT_TPDU_SIZE = 128; // when a CR/CC has no TPDU size parameter
export const MAX_TPDU_SIZE = 8192;
export const DEFAULT_MAX_TSDU_SIZE = 65_536;

/** DT header in class 0: LI = 2, code F0, EOT/NR octet (ISO 8073 §13.7). */
export const DT_HEADER_LENGTH = 3;
export const EOT = 0x80;

/** ISO 8073 §13.5.3: DR reason codes used here. */
export const DrReason = {
  notSpecified: 0,
  congestion: 1,
  sessionEntityNotAttached: 2,
  addressUnknown: 3,
  normal: 128,
  negotiationFailed: 130,
  protocolError: 133,
  connectionRequestRefused: 136,
  headerOrParameterLengthInvalid: 138,
} as const;

/** ISO 8073 §13.12.3: ER reject causes. */
export const ErCause = {
  notSpecified: 0,
  invalidParameterCode: 1,
  invalidTpduType: 2,
  invalidParameterValue: 3,
} as const;

/** The TPDU size that a size code names, or undefined outside 7..13. */
export function tpduSizeOfCode(code: number): number | undefined {
  return code >= MIN_TPDU_SIZE_CODE && code <= MAX_TPDU_SIZE_CODE ? 1 << code : undefined;
}

/** The size code of a power-of-two TPDU size in 128..8192, or undefined. */
export function codeOfTpduSize(size: number): number | undefined {
  for (let c = MIN_TPDU_SIZE_CODE; c <= MAX_TPDU_SIZE_CODE; c++) if (1 << c === size) return c;
  return undefined;
}
