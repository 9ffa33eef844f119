/**
 * A minimal MMS server: one domain with a measurement, a writable setting and a data set,
 * served on plain TCP (non-secure profile) and, with a PKI directory, on TLS with IEC 62351-4
 * certificate authentication. Every second the measurement changes and an InformationReport
 * goes to every association.
 *
 *   pnpm exec tsx --conditions=@mms/source docs/examples/minimal-server.ts 10102
 *   pnpm exec tsx --conditions=@mms/source docs/examples/minimal-server.ts 10102 13782 ./pki
 *   pnpm mms read 'demo/Meter$MX$TotW$mag$f' --port 10102
 *
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { certificateAuthentication } from "@mms/acse-auth";
import { type MmsListenOptions, MmsServer, mmsTypes, Vmd } from "@mms/server";
import { createTlsProfile } from "@mms/tls-profile";

const [plainPort = "10102", tlsPort, pkiDir] = process.argv.slice(2);

const vmd = new Vmd({ vendorName: "example", modelName: "minimal-server", revision: "1" });
const domain = vmd.domain("demo");
domain.defineVariable("Meter", {
  components: {
    MX: {
      components: { TotW: { components: { mag: { components: { f: { type: mmsTypes.float32() } } } } } },
    },
    SP: {
      components: {
        // Writable by every association; everything else is read-only (the default).
        Limit: {
          type: mmsTypes.float32(),
          value: { type: "floatingPoint", value: 100, width: 32 },
          access: { write: "any" },
        },
      },
    },
  },
});
vmd.defineVariableList({ scope: "domain", domainId: "demo", itemId: "Meter$DataSet" }, [
  "Meter$MX$TotW$mag$f",
  "Meter$SP$Limit",
]);

const server = new MmsServer({
  vmd,
  onSecurityEvent: (e) => console.log("security event", e.code, e.peer ?? ""),
});

const listen: { plain: NonNullable<MmsListenOptions["plain"]>; tls?: NonNullable<MmsListenOptions["tls"]> } =
  {
    // The non-secure profile: plain TCP, unauthenticated associations accepted.
    plain: {
      host: "127.0.0.1",
      port: Number(plainPort),
      policy: { mechanisms: [], insecureAllowUnauthenticated: true },
    },
  };
if (tlsPort !== undefined && pkiDir !== undefined) {
  const [cert, key, ca] = await Promise.all(
    ["server.pem", "server.key", "ca.pem"].map((f) => readFile(join(pkiDir, f), "utf8")),
  );
  if (cert === undefined || key === undefined || ca === undefined) throw new Error("incomplete PKI");
  const certificate = certificateAuthentication({ certificate: cert, privateKey: key, trustAnchors: [ca] });
  listen.tls = {
    host: "127.0.0.1",
    port: Number(tlsPort),
    profile: createTlsProfile({ trustAnchors: [ca], certificateChain: cert, privateKey: key }),
    // A valid client certificate (TLS) and IEC 62351-4 certificate authentication (ACSE).
    policy: { mechanisms: [certificate], requireAuthentication: true },
    authentication: certificate,
  };
}
const ports = await server.listen(listen);
console.log("listening", ports);

const timer = setInterval(() => {
  const value = Math.fround(1000 + 50 * Math.sin(Date.now() / 10_000));
  vmd.setValue("demo/Meter$MX$TotW$mag$f", { type: "floatingPoint", value, width: 32 });
  void server.sendInformationReport("all", {
    variableAccessSpecification: {
      kind: "listOfVariable",
      list: [
        {
          variable: {
            kind: "name",
            name: { scope: "domain", domainId: "demo", itemId: "Meter$MX$TotW$mag$f" },
          },
          alternateAccess: undefined,
        },
      ],
    },
    results: [{ success: true, data: { type: "floatingPoint", value, width: 32 } }],
  });
}, 1000);

process.once("SIGINT", () => {
  clearInterval(timer);
  void server.close().then(() => console.log("stopped"));
});
