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
