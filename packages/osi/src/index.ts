export { type OsiLayer, OsiProtocolError, OsiUsageError } from "./errors";
export {
  type ConnectParams,
  FU_DUPLEX,
  MAX_CN_EXTENDED_USER_DATA,
  MAX_CN_USER_DATA,
  PI,
  RefuseReason,
  SI,
  type Spdu,
  type SpduKind,
  TD_NO_REASON,
  TD_PROTOCOL_ERROR,
  TD_RELEASE_TRANSPORT,
  TD_USER_ABORT,
  VERSION_2,
} from "./session/spdu";
export {
  encodeAA,
  encodeAB,
  encodeAC,
  encodeCN,
  encodeDN,
  encodeDT,
  encodeFN,
  encodeRF,
  GT_DT_HEADER,
  TD_USER_ABORT_VALUE,
} from "./session/encode";
export { decodeSpdu } from "./session/decode";
export {
  SESSION_TRANSITIONS,
  type SessionAddressing,
  type SessionEvent,
  type SessionInput,
  SessionMachine,
  type SessionState,
} from "./session/machine";
export { ACSE_ABSTRACT_SYNTAX, BER_TRANSFER_SYNTAX, MMS_ABSTRACT_SYNTAX } from "./presentation/oids";
export {
  type AbortPpdu,
  type AcceptPpdu,
  ArpReason,
  type ConnectPpdu,
  type ContextDefinition,
  type ContextResult,
  CprReason,
  type PresentationDataValue,
  type RefusePpdu,
} from "./presentation/ppdu";
export {
  decodeUserData,
  FULLY_ENCODED_DATA,
  readUserData,
  type UserDataValue,
  userDataHeader,
  writeUserData,
} from "./presentation/user-data";
export {
  type AcceptPpduInput,
  type ConnectPpduInput,
  encodeAcceptPpdu,
  encodeConnectPpdu,
  encodeRefusePpdu,
  NORMAL_MODE,
  type RefusePpduInput,
  readAcceptPpdu,
  readConnectPpdu,
  readRefusePpdu,
} from "./presentation/connect";
export { decodeAbortPpdu, encodeArp, encodeAru } from "./presentation/abort";
export {
  acceptedContexts,
  BoundContext,
  bindContext,
  DEFAULT_CONTEXTS,
  negotiateContexts,
  type PresentationContext,
} from "./presentation/context";
export type { PresentationEvent } from "./presentation/events";
export { PresentationMachine, type PresentationOptions } from "./presentation/machine";
export {
  PRESENTATION_TRANSITIONS,
  type PresentationInput,
  type PresentationState,
} from "./presentation/state-table";
export { type ByteChain, chainLength, concatChain } from "@mms/io";
export { writeKnownOid } from "./oid-cache";
