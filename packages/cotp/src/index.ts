export {
  DEFAULT_MAX_TSDU_SIZE,
  DrReason,
  ErCause,
  MAX_TPDU_SIZE,
  ParamCode,
  TPKT_MAX_LENGTH,
  TPKT_MIN_LENGTH,
  TpduCode,
} from "./constants";
export {
  acceptCotp,
  type CotpConnection,
  type CotpConnectionOptions,
  type CotpInitiatorOptions,
  type CotpResponderOptions,
  openCotp,
} from "./connection";
export {
  type ConnectFields,
  dtHeader,
  encodeConnect,
  encodeData,
  encodeDisconnect,
  encodeError,
} from "./encode";
export { CotpEventCode } from "./events";
export { CotpError, type CotpErrorCode, CotpUsageError, type CotpUsageErrorCode } from "./errors";
export {
  type ConnectRequestInfo,
  type CotpEvent,
  CotpMachine,
  type CotpMachineOptions,
  type CotpParams,
  type CotpRole,
  type CotpState,
  TRANSITIONS,
} from "./machine";
export {
  type CotpConnectOptions,
  type CotpListener,
  type CotpListenOptions,
  connect,
  ISO_TSAP_PORT,
  listen,
} from "./tcp";
export {
  type ConnectTpdu,
  type DataTpdu,
  type DisconnectTpdu,
  decodeTpdu,
  type ErrorTpdu,
  type Tpdu,
} from "./tpdu";
export { TpktFramer } from "./tpkt-framer";
