export {
  ALLOWED_TLS12_CIPHERS,
  ALLOWED_TLS13_CIPHERS,
  DEFAULT_TLS12_CIPHERS,
  DEFAULT_TLS13_CIPHERS,
  LEGACY_TLS10_CIPHERS,
} from "./ciphers";
export { type ConnectTlsOptions, connectTls } from "./connect";
export { TlsSessionCache } from "./session-cache";
export { TlsConnectError, type TlsConnectErrorCode, TlsProfileError } from "./errors";
export { TLS_EVENT_CODES, TlsEventCode } from "./events";
export { type ListenTlsOptions, listenTls, TLS_PORT, type TlsListener } from "./listen";
export {
  createTlsProfile,
  type RekeyInitiator,
  type RekeyOptions,
  type ResumptionOptions,
  TLS_PROFILE_DEFAULTS,
  type TlsProfile,
  type TlsProfileOptions,
  type TlsVersion,
  withTlsProfileChanges,
} from "./profile";
