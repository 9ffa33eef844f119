import { webcrypto } from "node:crypto";
import "reflect-metadata";
import { certPem, generateKeys, keyPem } from "@mms/test-pki";
import * as x509 from "@peculiar/x509";
import { pki } from "./helpers";

/** A client certificate under caA signed with SHA-1 (what a 2007-era CA may have issued). */
export async function sha1SignedClient(): Promise<{ certPem: string; keyPem: string }> {
  const der = Buffer.from(pki.cas.caA.keyPem.replace(/-----[^-]+-----|\s/g, ""), "base64");
  const caKey = await webcrypto.subtle.importKey(
    "pkcs8",
    der,
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-1" },
    false,
    ["sign"],
  );
  const keys = await generateKeys("rsa2048");
  const cert = await x509.X509CertificateGenerator.create(
    {
      subject: "CN=ied-sha1, O=MMS test PKI, C=ZZ",
      issuer: new x509.X509Certificate(pki.cas.caA.certPem).subject,
      notBefore: new Date("2025-01-01T00:00:00Z"),
      notAfter: new Date("2045-01-01T00:00:00Z"),
      publicKey: keys.publicKey,
      signingKey: caKey as CryptoKey,
      signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-1" } as Algorithm,
      extensions: [
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([
          x509.ExtendedKeyUsage.clientAuth,
          x509.ExtendedKeyUsage.serverAuth,
        ]),
      ],
    },
    webcrypto as unknown as Crypto,
  );
  return { certPem: certPem(cert), keyPem: await keyPem(keys.privateKey) };
}
