export type { AccessResult, BinaryTime, Data, DataType, UtcTime, WriteResult } from "./model/data";
export { DataAccessError } from "./model/data";
export type { Address, ApplicationReference, FileName, ObjectName } from "./model/names";
export type {
  AccessSelector,
  AlternateAccess,
  AlternateAccessElement,
  AlternateAccessSelection,
  TypeComponent,
  TypeSpecification,
  VariableAccessSpecification,
  VariableListItem,
  VariableSpecification,
} from "./model/types";
export {
  AccessErrorCode,
  ConfirmedRequestReject,
  ERROR_CLASSES,
  type ErrorClass,
  FileErrorCode,
  InitiateErrorCode,
  PduErrorReject,
  REJECT_KINDS,
  type RejectKind,
  type RejectProblem,
  type ServiceError,
  type ServiceSpecificInformation,
} from "./model/errors";
export { type InitiateParameters, ParameterCbb, ServiceSupport } from "./model/initiate";
export {
  type ConfirmedServiceName,
  type ConfirmedServiceRequest,
  type ConfirmedServiceResponse,
  type DirectoryEntry,
  type EntryContent,
  type JournalEntry,
  type JournalEntryForm,
  type JournalRangeStart,
  type JournalRangeStop,
  type JournalVariable,
  type NameListScope,
  ObjectClass,
  type UnconfirmedService,
  type UnknownService,
} from "./model/services";
export type { InitiateRequestPdu, InitiateResponsePdu, MmsPdu, MmsPduType } from "./model/pdu";
export { DEFAULT_NESTING_LEVEL, defaultPduLimits, type PduLimits, pduLimits } from "./limits";
export { BerDecodeError, BerEncodeError } from "@mms/asn1";
export { isMmsIdentifier } from "./codec/common";
export {
  readObjectName,
  writeObjectName,
  objectNameCodec,
  readAddress,
  writeAddress,
} from "./codec/object-name";
export {
  accessResultCodec,
  dataCodec,
  dataCodecWith,
  readAccessResult,
  readData,
  writeAccessResult,
  writeData,
} from "./codec/data";
export { readTypeSpecification, typeSpecificationCodec, writeTypeSpecification } from "./codec/type-spec";
export {
  readVariableAccessSpecification,
  variableAccessSpecificationCodec,
  writeVariableAccessSpecification,
} from "./codec/variable-access";
export { serviceError, serviceErrorContentCodec } from "./codec/service-error";
export {
  readConfirmedServiceRequest,
  readConfirmedServiceResponse,
  writeConfirmedServiceRequest,
  writeConfirmedServiceResponse,
} from "./codec/confirmed";
export {
  decodeMmsPdu,
  encodeMmsPdu,
  mmsPduCodec,
  mmsPduCodecWith,
  peekInvokeId,
  peekMmsPduType,
  readMmsPdu,
  writeMmsPdu,
} from "./codec/pdu";
export {
  bitStringAnd,
  checkInitiateResponse,
  type InitiateNegotiation,
  type LocalCapabilities,
  negotiateInitiate,
} from "./negotiate";
export {
  FILE_READ_HEADROOM,
  FILE_READ_TAILROOM,
  fileReadData,
  fileReadResponsePduLength,
} from "./codec/services/file-read-pdu";
export { binaryTimeFromDate, binaryTimeToDate, TimeQuality, utcTimeFromDate, utcTimeToDate } from "./time";
