export { type DemoPkiOptions, generateDemoPki } from "./demo";
export { type GeneratedPki, generateTestPki } from "./generate";
export { loadTestPki, type PkiCa, type PkiEntity, pemToDer, type TestPki } from "./load";
export { CA_NAMES, type CaName, ENTITY_NAMES, type EntityName, GOOD_FROM, GOOD_TO } from "./names";
