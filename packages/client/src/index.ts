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
export { type ListFilesOptions, fileNameText, listFiles, toFileName } from "./files/list-files";
export { type DownloadOptions, downloadFile, downloadStream, readFile } from "./files/download";
export { deleteFile, renameFile } from "./files/file-ops";
export {
  initializeJournal,
  type JournalRange,
  type JournalRecord,
  journalEntries,
  type ReadJournalOptions,
  readJournal,
} from "./journal/read-journal";
export { type PutFileOptions, putFile } from "./files/obtain-file";
export { answerIncoming, type IncomingRequestHandler } from "./incoming";
