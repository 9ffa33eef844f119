import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { certPem, createCa, createCrlPem, createLeaf, keyPem } from "./x509";

export interface DemoPkiOptions {
  /** Validity of every certificate and of the CRL, from now (default 365). */
  days?: number;
}

/**
 * Writes a small PKI for a demo or a lab (`mms pki init DIR`): ca.pem, ca.key, server.pem,
 * server.key, client.pem, client.key, crl.pem (empty CRL of the CA). Both end-entity
 * certificates carry SAN DNS localhost + IP 127.0.0.1 and EKU serverAuth + clientAuth.
 * Not for production: the CA key sits next to the certificates.
 */
export async function generateDemoPki(dir: string, options: DemoPkiOptions = {}): Promise<void> {
  const days = options.days ?? 365;
  if (!Number.isFinite(days) || days <= 0) throw new RangeError("days must be a positive number");
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + days * 86_400_000);
  const ca = await createCa({ name: "CN=MMS demo CA, O=MMS demo", notBefore, notAfter });
  const server = await createLeaf({
    name: "CN=mms-demo-server, O=MMS demo",
    issuer: ca,
    notBefore,
    notAfter,
  });
  const client = await createLeaf({
    name: "CN=mms-demo-client, O=MMS demo",
    issuer: ca,
    notBefore,
    notAfter,
  });
  const crl = await createCrlPem({ issuer: ca, thisUpdate: notBefore, nextUpdate: notAfter });
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = [
    ["ca.pem", certPem(ca.cert)],
    ["ca.key", await keyPem(ca.keys.privateKey)],
    ["server.pem", certPem(server.cert)],
    ["server.key", await keyPem(server.keys.privateKey)],
    ["client.pem", certPem(client.cert)],
    ["client.key", await keyPem(client.keys.privateKey)],
    ["crl.pem", crl],
  ];
  for (const [name, text] of files) {
    await writeFile(join(dir, name), text, name.endsWith(".key") ? { mode: 0o600 } : {});
  }
}
