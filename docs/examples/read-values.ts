/**
 * Reads a few values from an MMS server (IEC 61850-8-1 names), then concludes.
 *
 *   pnpm mms serve --port 10102 --tls-port 13782 --pki ./pki &      # a server to talk to
 *   pnpm exec tsx --conditions=@mms/source docs/examples/read-values.ts 127.0.0.1 10102
 *   pnpm exec tsx --conditions=@mms/source docs/examples/read-values.ts 127.0.0.1 13782 ./pki
 *
 * With a PKI directory (`mms pki init DIR`) it connects over TLS with IEC 62351-4 certificate
 * authentication in both directions; without one, over plain TCP, unauthenticated (insecure).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { certificateAuthentication } from "@mms/acse-auth";
import { connect, type MmsConnectOptions } from "@mms/client";
import { createTlsProfile } from "@mms/tls-profile";

const [host = "127.0.0.1", port = "102", pkiDir] = process.argv.slice(2);

async function options(): Promise<MmsConnectOptions> {
  if (pkiDir === undefined) {
    return { transport: { kind: "insecure-tcp", host, port: Number(port) }, authentication: "insecure-none" };
  }
  const [cert, key, ca] = await Promise.all(
    ["client.pem", "client.key", "ca.pem"].map((f) => readFile(join(pkiDir, f), "utf8")),
  );
  if (cert === undefined || key === undefined || ca === undefined) throw new Error("incomplete PKI");
  return {
    transport: {
      kind: "tls",
      host,
      port: Number(port),
      profile: createTlsProfile({ trustAnchors: [ca], certificateChain: cert, privateKey: key }),
    },
    authentication: certificateAuthentication({ certificate: cert, privateKey: key, trustAnchors: [ca] }),
  };
}

const client = await connect(await options());
try {
  const id = await client.identify();
  console.log(`connected to ${id.vendorName} ${id.modelName} ${id.revision}`);
  const domain = (await client.getDomainNames())[0];
  if (domain === undefined) throw new Error("the server has no domain");
  const items = ["GGIO1$MX$AnIn1$mag$f", "GGIO1$MX$AnIn2$mag$f", "GGIO1$ST$Ind1$stVal"];
  const results = await client.readMany(items.map((item) => `${domain}/${item}`));
  results.forEach((r, i) => {
    console.log(`${domain}/${items[i]} =`, r.success ? r.data.value : `DataAccessError ${r.error}`);
  });
} finally {
  await client.conclude();
}
