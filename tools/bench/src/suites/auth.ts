import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { certificateAuthentication, ReplayCache } from "@mms/acse-auth";
import { noTransportInfo } from "@mms/io";
import { type BenchResult, measureAsync, type Suite } from "../harness";

// IEC 62351-4 certificate authentication: sign one value (credentials) and verify it (chain to
// caA with its CRL, key, window, replay cache, RSA-2048 SHA-256 signature), with the committed
// test PKI fixtures.
const fixtures = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "test-pki", "fixtures");
const read = (f: string): string => readFileSync(join(fixtures, f), "utf8");

type Context = Parameters<ReturnType<typeof certificateAuthentication>["verify"]>[1];

function context(role: Context["role"]): Context {
  return {
    role,
    now: Date.now(),
    transport: noTransportInfo,
    peerApTitle: undefined,
    peerAeQualifier: undefined,
    emit: () => {},
  };
}

export const suite: Suite = {
  name: "auth",
  async run(): Promise<BenchResult[]> {
    const trust = { trustAnchors: [read("caA.pem")], crls: [read("caA.crl.pem")] };
    const client = certificateAuthentication({
      certificate: read("client.pem"),
      privateKey: read("client.key"),
      ...trust,
    });
    const server = certificateAuthentication({
      certificate: read("server.pem"),
      privateKey: read("server.key"),
      replayCache: new ReplayCache({ maxEntries: 10_000_000 }),
      ...trust,
    });
    const both = await measureAsync(async () => {
      const v = await client.credentials(context("initiator"));
      await server.verify(v, context("responder"));
    });
    const sign = await measureAsync(() => client.credentials(context("initiator")), { samples: 3 });
    return [
      {
        name: "auth.sign-verify",
        value: both.medianMs * 1000,
        unit: "µs",
        extra: { signUs: sign.medianMs * 1000, perSecond: both.opsPerSec, key: "RSA-2048" },
      },
    ];
  },
};
