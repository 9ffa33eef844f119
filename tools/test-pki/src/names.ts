/** The CAs of the test PKI (each with a CRL). */
export const CA_NAMES = ["caA", "caB", "caC", "caD", "interA", "caRogue"] as const;
export type CaName = (typeof CA_NAMES)[number];

/** The end-entity certificates of the test PKI, good ones first. */
export const ENTITY_NAMES = [
  "server",
  "client",
  "clientB",
  "clientInter",
  "clientEcdsa",
  "expired",
  "notYetValid",
  "revoked",
  "unknownCa",
  "oversize",
  "rsa1024",
  "wrongKeyUsage",
] as const;
export type EntityName = (typeof ENTITY_NAMES)[number];

/** Validity of every good certificate and CRL: long enough that CI never sees it expire. */
export const GOOD_FROM = new Date("2025-01-01T00:00:00Z");
export const GOOD_TO = new Date("2045-01-01T00:00:00Z");
