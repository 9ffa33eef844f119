import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CA_NAMES, type CaName, ENTITY_NAMES, type EntityName } from "./names";

/** One end-entity certificate of the test PKI. */
export interface PkiEntity {
  name: string;
  certPem: string;
  keyPem: string;
  certDer: Uint8Array;
  /** The certificate followed by its intermediates (what a TLS peer presents). */
  chainPem: string;
}

export interface PkiCa {
  certPem: string;
  keyPem: string;
  crlPem: string;
  certDer: Uint8Array;
}

/** The committed test PKI (tools/test-pki/fixtures). */
export interface TestPki {
  cas: Record<CaName, PkiCa>;
  entities: Record<EntityName, PkiEntity>;
  /** caB's CRL whose nextUpdate lies in 2021. */
  caBExpiredCrlPem: string;
  fixturesDir: string;
}

/** File names of the fixtures (shared with the regenerate script). */
export const fixtureFiles = {
  cert: (name: string): string => `${name}.pem`,
  key: (name: string): string => `${name}.key`,
  chain: (name: string): string => `${name}.chain.pem`,
  crl: (name: string): string => `${name}.crl.pem`,
  caBExpiredCrl: "caB-crl-expired.pem",
} as const;

/** DER of the first PEM block of a text. */
export function pemToDer(pem: string): Uint8Array {
  const m = /-----BEGIN [^-]+-----([\s\S]*?)-----END [^-]+-----/.exec(pem);
  if (!m?.[1]) throw new Error("no PEM block found");
  return new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ""), "base64"));
}

/** The directory holding the committed fixtures. */
export function fixturesDirectory(): string {
  return join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures");
}

/** Reads the committed fixtures (synchronously). */
export function loadTestPki(): TestPki {
  const dir = fixturesDirectory();
  const read = (file: string): string => readFileSync(join(dir, file), "utf8");
  const cas = {} as Record<CaName, PkiCa>;
  for (const name of CA_NAMES) {
    const certPem = read(fixtureFiles.cert(name));
    cas[name] = {
      certPem,
      keyPem: read(fixtureFiles.key(name)),
      crlPem: read(fixtureFiles.crl(name)),
      certDer: pemToDer(certPem),
    };
  }
  const entities = {} as Record<EntityName, PkiEntity>;
  for (const name of ENTITY_NAMES) {
    const certPem = read(fixtureFiles.cert(name));
    entities[name] = {
      name,
      certPem,
      keyPem: read(fixtureFiles.key(name)),
      certDer: pemToDer(certPem),
      chainPem: read(fixtureFiles.chain(name)),
    };
  }
  return { cas, entities, caBExpiredCrlPem: read(fixtureFiles.caBExpiredCrl), fixturesDir: dir };
}
