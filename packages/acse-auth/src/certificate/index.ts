export {
  type ApplicationSecurity,
  type BilateralDecision,
  type BilateralEntry,
  type BilateralRequirement,
  type BilateralTable,
  bilateralEntry,
  type BilateralPeerPolicy,
  bilateralPeerPolicies,
  checkBilateral,
  decideBilateral,
  type TransportSecurity,
} from "./bilateral";
export {
  type CertificateRole,
  checkCertificateExpiry,
  type ExpiryCheckOptions,
  type ExpiryFinding,
} from "./expiry";
export { type CertificateFailureCode, certificateFailure, replyFor } from "./failure";
export type { PemOrDer } from "./material";
export { type CertificateMechanism, certificateAuthentication } from "./mechanism";
export { checkMechanismName } from "./mechanism-name";
export {
  AARE_MECHANISM_NAME_NOT_RECOGNIZED,
  AARE_MECHANISM_NAME_REQUIRED,
  ABORT_AUTHENTICATION_FAILURE,
  ABORT_AUTHENTICATION_REQUIRED,
  CERTIFICATE_MECHANISM_NAME,
  CERTIFICATE_MECHANISM_NAME_LITERAL,
  CERTIFICATE_MECHANISM_NAMES,
  MAX_CERTIFICATE_OCTETS,
} from "./oids";
export {
  type CertificateAuthenticationOptions,
  type CertificateBinding,
  DEFAULT_WINDOW_MS,
  type TimeSealSigner,
} from "./options";
export { type ClaimResult, ReplayCache, type ReplayCacheOptions } from "./replay-cache";
export {
  ecdsaDerToRaw,
  ecdsaRawToDer,
  type HashName,
  type SignatureAlgorithm,
  type SignatureProfile,
} from "./signature";
export {
  type CertificateValueParts,
  CertificateValueError,
  certificateAuthenticationValue,
  type DecodedCertificateValue,
  decodeCertificateBased,
  decodeCertificateValue,
  encodeCertificateBased,
  encodeTimeTlv,
} from "./value";
