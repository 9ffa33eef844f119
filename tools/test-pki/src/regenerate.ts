/**
 * Regenerates tools/test-pki/fixtures (fresh keys every run):
 *   node --import tsx tools/test-pki/src/regenerate.ts
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateTestPki } from "./generate";
import { fixtureFiles, fixturesDirectory } from "./load";
import { CA_NAMES, ENTITY_NAMES } from "./names";

const dir = fixturesDirectory();
mkdirSync(dir, { recursive: true });
const pki = await generateTestPki();
const write = (file: string, text: string): void => writeFileSync(join(dir, file), text);
for (const name of CA_NAMES) {
  const ca = pki.cas[name];
  write(fixtureFiles.cert(name), ca.certPem);
  write(fixtureFiles.key(name), ca.keyPem);
  write(fixtureFiles.crl(name), ca.crlPem);
}
for (const name of ENTITY_NAMES) {
  const e = pki.entities[name];
  write(fixtureFiles.cert(name), e.certPem);
  write(fixtureFiles.key(name), e.keyPem);
  write(fixtureFiles.chain(name), e.chainPem);
}
write(fixtureFiles.caBExpiredCrl, pki.caBExpiredCrlPem);
process.stdout.write(`test PKI written to ${dir}\n`);
