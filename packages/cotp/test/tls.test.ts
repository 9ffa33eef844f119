import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connect as tlsConnect, createServer, type TLSSocket } from "node:tls";
import { fromSocket } from "@mms/io/node";
import { describe, expect, it } from "vitest";
import { acceptCotp, type CotpConnection, openCotp } from "../src/index";
import { toHex } from "./support";

// The drivers work over any ByteStream: here node:tls with the committed test PKI (mutual TLS),
// as @mms/tls-profile will hand them. TPKTs spanning TLS records (and the reverse) must not matter.
const dir = fileURLToPath(new URL("../../../tools/test-pki/fixtures/", import.meta.url));
const have = existsSync(join(dir, "server.pem")) && existsSync(join(dir, "client.pem"));
const read = (f: string): string => readFileSync(join(dir, f), "utf8");

describe("COTP over node:tls", () => {
  it.skipIf(!have)("CR/CC and large segmented TSDUs both ways over mutual TLS", async () => {
    const accepted: Promise<CotpConnection>[] = [];
    const server = createServer(
      { key: read("server.key"), cert: read("server.chain.pem"), ca: read("caA.pem"), requestCert: true },
      (s) => {
        s.on("error", () => {});
        accepted.push(acceptCotp(fromSocket(s), { maxTpduSize: 1024 }));
      },
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const socket = await new Promise<TLSSocket>((resolve, reject) => {
        const s = tlsConnect(
          {
            host: "127.0.0.1",
            port,
            ca: read("caA.pem"),
            key: read("client.key"),
            cert: read("client.chain.pem"),
            servername: "localhost",
          },
          () => resolve(s),
        );
        s.once("error", reject);
      });
      const stream = fromSocket(socket);
      expect(stream.info.tls?.peerCertificate?.length).toBeGreaterThan(0);
      const client = await openCotp(stream);
      const srv = await accepted[0]!;
      expect(client.params.tpduSize).toBe(1024);
      expect(srv.info.tls).toBeDefined();
      // 40 000 octets: 40 DTs of 1021 octets, spread over several TLS records.
      const big = new Uint8Array(40_000).map((_, i) => i % 251);
      await client.send([big]);
      const got = (await srv[Symbol.asyncIterator]().next()).value!;
      expect(toHex(got)).toBe(toHex(big));
      await srv.send([got.subarray(0, 5000)]);
      expect((await client[Symbol.asyncIterator]().next()).value!.length).toBe(5000);
      await client.close();
      expect((await srv.closed).reason).toBe("remote");
    } finally {
      server.close();
    }
  });
});
