export { MmsClient, objectName, type VariableAccess, type VariableRef } from "./client";
export {
  type CallOptions,
  type InformationReport,
  type MmsAssociation,
  MmsClientCore,
  type MmsClientOptions,
} from "./client-core";
export {
  MmsAbortError,
  MmsClientError,
  type MmsClientErrorCode,
  MmsConnectionClosedError,
  MmsDataAccessError,
  MmsInitiateError,
  MmsProtocolError,
  MmsRejectError,
  MmsReportOverflowError,
  MmsServiceError,
  MmsTimeoutError,
  MmsUsageError,
} from "./errors";
export {
  formatDomainItem,
  fromMmsName,
  type Iec61850MmsName,
  Iec61850NameError,
  type Iec61850Reference,
  parseDomainItem,
  toMmsName,
} from "./iec61850-names";
export {
  acceptInitiateResponse,
  CLIENT_PARAMETER_CBB,
  CLIENT_SERVICES_SUPPORTED,
  type InitiateProposal,
  initiateRequest,
} from "./initiate";
export { ReportBuffer, type ReportOverflowPolicy } from "./report-buffer";
export {
  MmsRequester,
  type MmsRequesterOptions,
  type RequestControl,
  type RequesterReceipt,
} from "./requester";
export { connect, type MmsConnectOptions, type MmsTransport } from "./connect";
