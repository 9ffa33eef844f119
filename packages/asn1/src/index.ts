export { BerDecodeError, type BerDecodeErrorCode, BerEncodeError } from "./errors";
export { type DecodeLimits, decodeLimits, defaultDecodeLimits } from "./limits";
export {
  app,
  ctx,
  ctxC,
  isConstructed,
  MAX_TAG_NUMBER,
  makeTag,
  type Tag,
  TagClass,
  tagClassOf,
  tagName,
  tagNumberOf,
  UniversalTag,
  withConstructed,
} from "./tag";
export { BerReader } from "./reader";
export { BerWriter, lengthOctets } from "./writer";
export { type Codec, decode, encode } from "./codec";
export { type BerNode, decodeTree, readNode, writeNode } from "./tree";
export { berToString } from "./debug";
export { readBoolean, writeBoolean } from "./universal/boolean";
export { readNull, writeNull } from "./universal/null";
export {
  integerOctets,
  readBigInt,
  readEnumerated,
  readInteger,
  readIntegerOrBigInt,
  writeEnumerated,
  writeInteger,
  writeUnsigned,
} from "./universal/integer";
export {
  type BitString,
  bitAt,
  bitStringEquals,
  bitStringFromBits,
  bitStringToBits,
  readBitString,
  writeBitString,
} from "./universal/bit-string";
export { readOctetString, writeOctetString } from "./universal/octet-string";
export { type Oid, oidContent, readOid, writeOid } from "./universal/oid";
export {
  readOctetCharString,
  readUtf8String,
  readVisibleString,
  writeOctetCharString,
  writeUtf8String,
  writeVisibleString,
} from "./universal/strings";
export {
  formatGeneralizedTime,
  formatUtcTime,
  parseGeneralizedTime,
  parseUtcTime,
  readGeneralizedTime,
  readUtcTime,
  writeGeneralizedTime,
  writeUtcTime,
} from "./universal/time";
export { type External, type ExternalEncoding, readExternal, writeExternal } from "./universal/external";
