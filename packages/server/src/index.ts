export {
  MmsModelError,
  MmsServerError,
  type MmsServerErrorCode,
  MmsServerUsageError,
  MmsServiceFailure,
} from "./errors";
export {
  type ConfirmedRequestHandler,
  MmsResponder,
  type MmsResponderOptions,
  type ResponderOutcome,
} from "./responder";
export { type AssociationState, type ServiceLimits, VMD_SERVICES, vmdServices } from "./services";
export {
  type AccessContext,
  type AccessMatcher,
  type AccessRights,
  type PeerIdentity,
  matches,
} from "./vmd/access";
export { selectAlternate } from "./vmd/alternate-access";
export { conforms, defaultValue, mmsData, mmsTypes } from "./vmd/values";
export {
  type LeafDefinition,
  type ReadHook,
  type StructDefinition,
  type VariableDefinition,
  VariableNode,
  type WriteHook,
} from "./vmd/variable";
export {
  Domain,
  type NamedVariableList,
  nameText,
  parseObjectName,
  type VariableListEntry,
  Vmd,
  type VmdIdentity,
  type VmdOptions,
} from "./vmd/vmd";
export {
  type ListenerOptions,
  type MmsListenOptions,
  MmsServer,
  type MmsServerOptions,
  SERVER_PARAMETER_CBB,
  SERVER_SERVICES_SUPPORTED,
} from "./server";
export {
  type AssociationLimits,
  encodeReport,
  type InformationReportContent,
  ServerAssociation,
} from "./server-association";
export { type JsonModel, jsonToData, vmdFromJson } from "./vmd/json-model";
export { loadVmdModel } from "./load-model";
export {
  type ExtensionContext,
  type ExtensionSession,
  routeExtensions,
  type ServiceExtension,
} from "./extension";
export {
  type FileAccessPolicy,
  type FileOperation,
  FileServer,
  type FileServerOptions,
} from "./files/file-server";
export { compareCodeUnits, FileStore, fileFailure, type StorePath } from "./files/file-store";
export { fileNameSegments, MAX_FILE_NAME_DEPTH, MAX_FILE_NAME_LENGTH } from "./files/file-path";
export {
  compareEntryIds,
  comparePositions,
  entryIdOf,
  type JournalLimit,
  type JournalPosition,
  type JournalQuery,
  type JournalStore,
  journalKey,
  seqOf,
  type StoredJournalEntry,
} from "./journal/journal-store";
export { MemoryJournalStore, type MemoryJournalStoreOptions } from "./journal/memory-store";
export { SqliteJournalStore } from "./journal/sqlite-store";
export { JournalServer, type JournalServerOptions } from "./journal/journal-server";
