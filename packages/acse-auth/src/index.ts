export {
  type AuthenticationContext,
  AuthenticationError,
  type AuthenticationMechanism,
  type AuthenticationValue,
  type AssociationRole,
  type PeerIdentity,
} from "./auth/mechanism";
export { type PasswordOptions, type PasswordVerifier, passwordAuthentication } from "./auth/password";
export {
  type Aare,
  type Aarq,
  type Abrt,
  AbortDiagnostic,
  AbortSource,
  ACCEPTED_APPLICATION_CONTEXTS,
  type AcseApdu,
  type AeAddress,
  type AeQualifier,
  type ApTitle,
  type AssociateDiagnostic,
  AssociateResult,
  MMS_APPLICATION_CONTEXT,
  PASSWORD_MECHANISM,
  ProviderDiagnostic,
  type Rlre,
  type Rlrq,
  UserDiagnostic,
} from "./acse/apdu";
export { acseApduCodec, decodeAcseApdu, encodeAcseApdu } from "./acse/codec";
export {
  ACSE_TRANSITIONS,
  type AcseEvent,
  type AcseInput,
  AcseMachine,
  type AcseState,
  type ConnectInfo,
} from "./acse/machine";
export {
  AcseProtocolError,
  AssociationAbortedError,
  AssociationClosedError,
  AssociationRefusal,
  AssociationRejectedError,
  type AssociationSource,
  AssociationTimeoutError,
} from "./errors";
export { OsiProtocolError } from "@mms/osi";
export type {
  AcceptOptions,
  AcceptPolicy,
  AssociateOptions,
  Association,
  AssociationAddressing,
  AssociationPeer,
  AssociationRequest,
  PeerPolicy,
  ResponderAddressing,
} from "./association/options";
export { AUTHENTICATION_REQUIREMENT, associate } from "./association/associate";
export { AssociationRefusedError, acceptAssociation } from "./association/accept";
export { type AuthenticationDecision, decideAuthentication } from "./association/policy";
export * from "./certificate/index";
