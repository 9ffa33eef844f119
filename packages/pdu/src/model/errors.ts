/** ISO 9506-2 §7.4 ServiceError error classes, in tag order ([0] .. [12]). */
export const ERROR_CLASSES = [
  "vmdState",
  "applicationReference",
  "definition",
  "resource",
  "service",
  "servicePreempt",
  "timeResolution",
  "access",
  "initiate",
  "conclude",
  "cancel",
  "file",
  "others",
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** Well-known codes of a few error classes (ISO 9506-2 §7.4). */
export const AccessErrorCode = {
  other: 0,
  objectAccessUnsupported: 1,
  objectNonExistent: 2,
  objectAccessDenied: 3,
  objectInvalidated: 4,
} as const;
export const InitiateErrorCode = {
  other: 0,
  versionIncompatible: 1,
  maxSegmentInsufficient: 2,
  maxServicesOutstandingCallingInsufficient: 3,
  maxServicesOutstandingCalledInsufficient: 4,
  serviceCbbInsufficient: 5,
  parameterCbbInsufficient: 6,
  nestingLevelInsufficient: 7,
} as const;
export const FileErrorCode = {
  other: 0,
  filenameAmbiguous: 1,
  fileBusy: 2,
  filenameSyntaxError: 3,
  contentTypeInvalid: 4,
  positionInvalid: 5,
  fileAccessDenied: 6,
  fileNonExistent: 7,
  duplicateFilename: 8,
  insufficientSpaceInFilestore: 9,
} as const;

/**
 * ServiceError serviceSpecificInformation: the INTEGER alternatives ([0]-[7], [9], [11]) as
 * numbers, the two constructed ones ([8] defineEventEnrollment, [10] additionalService) as their
 * encoded content.
 */
export type ServiceSpecificInformation =
  | { readonly kind: "integer"; readonly tag: number; readonly value: number }
  | { readonly kind: "raw"; readonly tag: number; readonly content: Uint8Array };

/** ISO 9506-2 §7.4 `ServiceError`. */
export interface ServiceError {
  readonly errorClass: ErrorClass;
  readonly code: number;
  readonly additionalCode: number | undefined;
  readonly additionalDescription: string | undefined;
  readonly serviceSpecificInformation: ServiceSpecificInformation | undefined;
}

/** ISO 9506-2 §7.3 rejectReason alternatives, in tag order ([1] .. [11]). */
export const REJECT_KINDS = [
  "confirmedRequest",
  "confirmedResponse",
  "confirmedError",
  "unconfirmed",
  "pduError",
  "cancelRequest",
  "cancelResponse",
  "cancelError",
  "concludeRequest",
  "concludeResponse",
  "concludeError",
] as const;
export type RejectKind = (typeof REJECT_KINDS)[number];

/** ISO 9506-2 §7.3 `RejectPDU.rejectReason`: the PDU kind and its problem code. */
export interface RejectProblem {
  readonly kind: RejectKind;
  readonly code: number;
}

/** Problem codes of `confirmedRequest` rejects. */
export const ConfirmedRequestReject = {
  other: 0,
  unrecognizedService: 1,
  unrecognizedModifier: 2,
  invalidInvokeId: 3,
  invalidArgument: 4,
  invalidModifier: 5,
  maxServOutstandingExceeded: 6,
  maxRecursionExceeded: 8,
  valueOutOfRange: 9,
} as const;
/** Problem codes of `pduError` rejects. */
export const PduErrorReject = { unknownPduType: 0, invalidPdu: 1, illegalAcseMapping: 2 } as const;
