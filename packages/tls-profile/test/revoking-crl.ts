import { webcrypto } from "node:crypto";
import "reflect-metadata";
import { createCrlPem } from "@mms/test-pki";
import * as x509 from "@peculiar/x509";
import { pki } from "./helpers";

/** A fresh CRL of caB that lists clientB (signed with caB's fixture key). */
export async function crlOfCaBRevokingClientB(): Promise<string> {
  const der = Buffer.from(pki.cas.caB.keyPem.replace(/-----[^-]+-----|\s/g, ""), "base64");
  const caKey = await webcrypto.subtle.importKey(
    "pkcs8",
    der,
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const clientB = new x509.X509Certificate(pki.entities.clientB.certPem);
  return createCrlPem({
    issuer: {
      cert: new x509.X509Certificate(pki.cas.caB.certPem),
      keys: { privateKey: caKey, publicKey: caKey } as CryptoKeyPair,
    },
    thisUpdate: new Date("2025-01-01T00:00:00Z"),
    nextUpdate: new Date("2045-01-01T00:00:00Z"),
    revoked: [{ serialNumber: clientB.serialNumber, date: new Date("2025-06-01T00:00:00Z") }],
  });
}
