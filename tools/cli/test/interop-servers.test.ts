import { readFileSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { passwordAuthentication } from "@mms/acse-auth";
import { connect, type MmsClient } from "@mms/client";
import { withTlsProfileChanges } from "@mms/tls-profile";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tlsProfileOf } from "../src/commands/connect";
import { certificateMechanism } from "../src/commands/serve-start";
import { decodeCapture, runCli } from "../src/index";
import { type Credentials, loadCredentials } from "../src/options";
import {
  freePort,
  hasPeer,
  LIBIEC61850_BIN,
  type Running,
  runProcess,
  startCapture,
  startProcess,
  tsharkUsable,
  waitForPort,
} from "./interop-env";
import { bin, DOMAIN, dissect, port3782Free, tlsExampleDir } from "./interop-helpers";

// Opt-in interop with libiec61850 (see tools/cli/README.md "Interop with libiec61850"):
//   LIBIEC61850_BIN=/path/to/dir/with/example/binaries pnpm vitest run tools/cli/test/interop
// Our client (and the mms command) against libiec61850's example servers.
const work = mkdtempSync(join(tmpdir(), "mms-interop-servers-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const withCapture = tsharkUsable();

describe.skipIf(!hasPeer("server_example_basic_io", "iec61850_client_example2") || !withCapture)(
  "interop: mms decode of a libiec61850 client/server capture",
  () => {
    it("decodes every TPKT of a real conversation without an error, and Wireshark agrees", async () => {
      const port = await freePort();
      const file = join(work, "libiec61850-basic-io.pcapng");
      const server = startProcess(bin("server_example_basic_io"), [String(port)]);
      await waitForPort(port);
      const cap = await startCapture(port, file);
      try {
        // The example server allows two connections and may still be closing the readiness probe.
        let r = await runProcess(bin("iec61850_client_example2"), ["127.0.0.1", String(port)]);
        for (let i = 0; i < 3 && !/LN: /.test(r.output); i++) {
          await new Promise((res) => setTimeout(res, 300));
          r = await runProcess(bin("iec61850_client_example2"), ["127.0.0.1", String(port)]);
        }
        expect(r.output).toMatch(/simpleIOGenericIO/);
      } finally {
        await server.stop();
        await new Promise((res) => setTimeout(res, 300));
        await cap.stop();
      }
      const units = decodeCapture(new Uint8Array(readFileSync(file)), { port });
      const lines = units.flatMap((u) => u.lines);
      expect(lines.filter((l) => l.layer === "ERROR")).toEqual([]);
      const mms = lines.filter((l) => l.layer === "MMS").map((l) => l.text);
      expect(mms[0]).toMatch(/^initiate-RequestPDU/);
      expect(mms[1]).toMatch(/^initiate-ResponsePDU/);
      expect(mms.some((t) => /getNameList request objectClass 0 domain simpleIOGenericIO/.test(t))).toBe(
        true,
      );
      expect(dissect(port, file)).toEqual([]);
    });
  },
);

describe.skipIf(!hasPeer("server_example_basic_io"))(
  "interop: our client against libiec61850 server_example_basic_io",
  () => {
    let port = 0;
    let server: Running;
    let cap: Running | undefined;
    const file = join(work, "client-vs-basic-io.pcapng");
    let client: MmsClient;

    beforeAll(async () => {
      port = await freePort();
      server = startProcess(bin("server_example_basic_io"), [String(port)]);
      await waitForPort(port);
      if (withCapture) cap = await startCapture(port, file);
      client = await connect({
        transport: { kind: "insecure-tcp", host: "127.0.0.1", port },
        authentication: "insecure-none",
      });
    });
    afterAll(async () => {
      await server.stop();
      await cap?.stop();
    });

    it("identifies the server", async () => {
      expect(await client.identify()).toEqual({
        vendorName: "MZ",
        modelName: "basic io",
        revision: expect.any(String),
      });
    });

    it("browses the whole model and reads every leaf", async () => {
      expect(await client.getDomainNames()).toEqual([DOMAIN]);
      const names = await client.getVariableNames(DOMAIN);
      expect(names).toContain("GGIO1$MX$AnIn1$mag$f");
      for (const ln of names.filter((n) => !n.includes("$"))) {
        expect((await client.getVariableAccessAttributes(`${DOMAIN}/${ln}`)).typeSpecification.type).toBe(
          "structure",
        );
      }
      const leaves = names.filter((n, i) => !(names[i + 1] ?? "").startsWith(`${n}$`));
      expect(leaves.length).toBeGreaterThan(200);
      const failed: string[] = [];
      for (let i = 0; i < leaves.length; i += 25) {
        const batch = leaves.slice(i, i + 25);
        const r = await client.readMany(batch.map((n) => `${DOMAIN}/${n}`));
        r.forEach((x, j) => {
          if (!x.success) failed.push(`${batch[j]}: ${x.error}`);
        });
      }
      expect(failed).toEqual([]);
    });

    it("writes NamPlt vendor and reads it back", async () => {
      const ref = `${DOMAIN}/GGIO1$DC$NamPlt$vendor`;
      expect(await client.write(ref, { type: "visibleString", value: "@mms interop" })).toEqual({
        success: true,
        error: undefined,
      });
      expect(await client.readValue(ref)).toEqual({ type: "visibleString", value: "@mms interop" });
    });

    it("defines, reads and deletes a data set", async () => {
      const ds = `${DOMAIN}/LLN0$MmsInterop`;
      await client.defineNamedVariableList(ds, [
        `${DOMAIN}/GGIO1$MX$AnIn1$mag$f`,
        `${DOMAIN}/GGIO1$ST$Ind1$stVal`,
      ]);
      const values = await client.readList(ds);
      expect(values.map((v) => (v.success ? v.data.type : "error"))).toEqual(["floatingPoint", "boolean"]);
      expect(await client.getVariableListNames(DOMAIN)).toContain("LLN0$MmsInterop");
      expect(await client.deleteNamedVariableList(ds)).toBe(true);
    });

    it("enables a report control block and receives a GI report", async () => {
      const rcb = `${DOMAIN}/LLN0$RP$EventsRCB01`;
      expect((await client.write(`${rcb}$RptEna`, { type: "boolean", value: true })).success).toBe(true);
      expect((await client.write(`${rcb}$GI`, { type: "boolean", value: true })).success).toBe(true);
      const it = client.reports()[Symbol.asyncIterator]();
      const next = await Promise.race([
        it.next(),
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000)),
      ]);
      expect(next?.done).toBe(false);
      const report = next?.value;
      expect(report?.variableAccessSpecification).toEqual({
        kind: "variableListName",
        name: { scope: "vmd", itemId: "RPT" },
      });
      expect(report?.results[0]).toMatchObject({ success: true, data: { type: "visibleString" } });
      await client.write(`${rcb}$RptEna`, { type: "boolean", value: false });
    });

    it("concludes; the capture passes dissect-check", async () => {
      await client.conclude();
      if (!cap) return;
      await new Promise((r) => setTimeout(r, 300));
      await cap.stop();
      cap = undefined;
      expect(dissect(port, file)).toEqual([]);
      const lines = decodeCapture(new Uint8Array(readFileSync(file)), { port }).flatMap((u) => u.lines);
      expect(lines.filter((l) => l.layer === "ERROR")).toEqual([]);
    });
  },
);

describe.skipIf(!hasPeer("server_example_basic_io"))(
  "interop: the mms command against server_example_basic_io",
  () => {
    it("identify, ls, read, read --list, write and watch --rcb", async () => {
      const port = await freePort();
      const server = startProcess(bin("server_example_basic_io"), [String(port)]);
      const mms = async (...args: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await runCli([...args, "--port", String(port)], {
          out: (l) => out.push(l),
          err: (l) => err.push(l),
        });
        return { code, out, err };
      };
      try {
        await waitForPort(port);
        expect((await mms("identify")).out[0]).toBe("vendor:   MZ");
        expect((await mms("ls")).out).toEqual([DOMAIN]);
        const ls = await mms("ls", DOMAIN, "--lists", "--json");
        expect(JSON.parse(ls.out[0] ?? "").lists).toContain("LLN0$Events");
        const read = await mms("read", `${DOMAIN}/GGIO1$MX$AnIn1$mag$f`, "--json");
        expect(JSON.parse(read.out[0] ?? "").results[0].value.type).toBe("floatingPoint");
        expect((await mms("read", "--list", `${DOMAIN}/LLN0$Measurements`)).code).toBe(0);
        expect((await mms("write", `${DOMAIN}/GGIO1$DC$NamPlt$vendor`, "mms cli")).code).toBe(0);
        expect((await mms("read", `${DOMAIN}/GGIO1$DC$NamPlt$vendor`)).out).toEqual(['"mms cli"']);
        const watch = await mms(
          "watch",
          "--rcb",
          `${DOMAIN}/LLN0$RP$EventsRCB01`,
          "--count",
          "1",
          "--duration",
          "10",
          "--json",
        );
        expect(watch.code).toBe(0);
        expect(JSON.parse(watch.out[0] ?? "").name).toBe("RPT");
      } finally {
        await server.stop();
      }
    });
  },
);

describe.skipIf(!hasPeer("server_example_password_auth"))(
  "interop: password authentication against libiec61850",
  () => {
    it("accepts the right password and refuses a wrong one", async () => {
      const port = await freePort();
      const server = startProcess(bin("server_example_password_auth"), [String(port)]);
      try {
        await waitForPort(port);
        const ok = await connect({
          transport: { kind: "insecure-tcp", host: "127.0.0.1", port },
          authentication: passwordAuthentication({ password: "user1@testpw" }),
          requireServerAuthentication: false,
        });
        expect((await ok.identify()).vendorName).toBeTruthy();
        await ok.conclude();
        await expect(
          connect({
            transport: { kind: "insecure-tcp", host: "127.0.0.1", port },
            authentication: passwordAuthentication({ password: "wrong" }),
            requireServerAuthentication: false,
            connectTimeoutMs: 3000,
          }),
        ).rejects.toThrow();
      } finally {
        await server.stop();
      }
    });
  },
);

describe.skipIf(!LIBIEC61850_BIN || !hasPeer("tls_server_example", "tls_client_example"))(
  "interop: TLS (IEC 62351-3)",
  () => {
    const pki = join(work, "pki");
    beforeAll(async () => {
      expect(await runCli(["pki", "init", pki], { out: () => {}, err: () => {} })).toBe(0);
    });

    /** Runs `body` with tls_server_example on its fixed port 3782 (skipped when taken) and our client's credentials. */
    async function withTlsExample(body: (creds: Credentials) => Promise<void>): Promise<void> {
      if (!(await port3782Free())) return;
      const server = startProcess(bin("tls_server_example"), [], tlsExampleDir(work, pki, "server"));
      try {
        await waitForPort(3782);
        const creds = await loadCredentials({ pki }, "client");
        if (!creds) throw new Error("no credentials");
        await body(creds);
      } finally {
        await server.stop();
      }
    }

    it("our client over TLS against tls_server_example (re-issued example certificates)", () =>
      withTlsExample(async (creds) => {
        const client = await connect({
          transport: { kind: "tls", profile: tlsProfileOf(creds), host: "127.0.0.1", port: 3782 },
          authentication: "insecure-none",
        });
        expect(client.association.info.tls?.protocol).toBe("TLSv1.2");
        expect((await client.identify()).vendorName).toBeTruthy();
        const names = await client.getVariableNames(DOMAIN);
        expect(names.length).toBeGreaterThan(10);
        await client.conclude();
      }));

    it("a long TLS 1.2 session with tls_server_example outlives the rekey message count (libiec61850 refuses renegotiation; our client starts none by default)", () =>
      withTlsExample(async (creds) => {
        const events: string[] = [];
        const profile = withTlsProfileChanges(
          tlsProfileOf(creds, (e) => events.push(e.code)),
          { rekey: { maxMessages: 10, intervalMs: 0 } },
        );
        const client = await connect({
          transport: { kind: "tls", profile, host: "127.0.0.1", port: 3782 },
          authentication: "insecure-none",
        });
        // With initiator "client" this session ended with write EPROTO after 10 writes.
        for (let i = 0; i < 40; i++) await client.readValue(`${DOMAIN}/GGIO1$MX$AnIn1$mag$f`);
        expect(events).not.toContain("ALM_TLS_RENEGOTIATION_FAILED");
        await client.conclude();
      }));

    it("over TLS: ACSE password works; IEC 62351-4 certificate authentication is not understood by libiec61850 1.5", () =>
      withTlsExample(async (creds) => {
        const transport = {
          kind: "tls",
          profile: tlsProfileOf(creds),
          host: "127.0.0.1",
          port: 3782,
        } as const;
        const pw = await connect({
          transport,
          authentication: passwordAuthentication({ password: "any" }),
          requireServerAuthentication: false,
        });
        expect((await pw.identify()).vendorName).toBe("libiec61850.com");
        await pw.conclude();
        // libiec61850 has no 62351-4 mechanism: it closes the connection on such an AARQ.
        await expect(
          connect({ transport, authentication: certificateMechanism(creds), connectTimeoutMs: 5000 }),
        ).rejects.toThrow();
      }));
  },
);
