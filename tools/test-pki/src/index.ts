export { type DemoPkiOptions, generateDemoPki } from "./demo";
export { type GeneratedPki, generateTestPki } from "./generate";
export { loadTestPki, type PkiCa, type PkiEntity, pemToDer, type TestPki } from "./load";
export { CA_NAMES, type CaName, ENTITY_NAMES, type EntityName, GOOD_FROM, GOOD_TO } from "./names";
export {
  type CaParams,
  type CrlParams,
  certPem,
  createCa,
  createCrlPem,
  createLeaf,
  generateKeys,
  type Issued,
  type KeyAlgorithm,
  keyPem,
  type LeafParams,
} from "./x509";
