import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateDemoPki } from "@mms/test-pki";
import { describe, expect, it } from "vitest";
import { connectTls, createTlsProfile, listenTls } from "../src/index";

// The README example, with the files `mms pki init` writes (generateDemoPki).
describe("README example", () => {
  it("runs as written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mms-readme-"));
    try {
      await generateDemoPki(dir, { days: 2 });
      const pem = (f: string): string => readFileSync(join(dir, f), "utf8");
      const codes: string[] = [];
      const server = createTlsProfile({
        trustAnchors: [pem("ca.pem")],
        certificateChain: pem("server.pem"),
        privateKey: pem("server.key"),
        crls: [pem("crl.pem")],
        onSecurityEvent: (e) => codes.push(e.code),
      });
      const listener = await listenTls(server, { port: 0 }, async (stream) => {
        for await (const chunk of stream) await stream.write([chunk]);
      });
      const client = createTlsProfile({
        trustAnchors: [pem("ca.pem")],
        certificateChain: pem("client.pem"),
        privateKey: pem("client.key"),
      });
      const stream = await connectTls(client, { host: "127.0.0.1", port: listener.address().port });
      expect(stream.info.tls?.protocol).toBe("TLSv1.3");
      expect(stream.info.tls?.cipher).toBe("TLS_AES_128_GCM_SHA256");
      await stream.write([Buffer.from("ping")]);
      const echoed = await stream[Symbol.asyncIterator]().next();
      expect(Buffer.from(echoed.value ?? []).toString()).toBe("ping");
      expect(listener.reloadCrls([pem("crl.pem")])).toBe(0);
      stream.destroy();
      await listener.close();
      expect(codes).toContain("INF_TLS_SESSION_ESTABLISHED");
      expect(codes).toContain("INF_CRL_RELOADED");
      // 2 days of validity is inside the 30-day pre-alarm.
      expect(codes).toContain("WRN_CERT_EXPIRES_SOON");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
