import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { passwordAuthentication } from "@mms/acse-auth";
import { connect, type MmsClient } from "@mms/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedDir } from "../../test-utils/src/vectors";
import { tlsProfileOf } from "../src/commands/connect";
import { certificateMechanism } from "../src/commands/serve-start";
import { decodeCapture, runCli } from "../src/index";
import { loadCredentials } from "../src/options";
import {
  freePort,
  hasPeer,
  LIBIEC61850_BIN,
  peerBinary,
  type Running,
  runProcess,
  startCapture,
  startProcess,
  tsharkUsable,
  waitForPort,
} from "./interop-env";

// Opt-in interop with libiec61850 (see tools/cli/README.md "Interop"):
//   LIBIEC61850_BIN=/path/to/dir/with/example/binaries pnpm vitest run tools/cli/test/interop.test.ts
const work = mkdtempSync(join(tmpdir(), "mms-interop-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const DOMAIN = "simpleIOGenericIO";
/**
 * dissect-check's complaints about a capture ([] when Wireshark found nothing wrong). TCP
 * sequence-level notes (resets, D-SACKs, retransmissions on a loaded loopback) are left out:
 * they are about TCP, not about the bytes of the conversation. libiec61850's server, for one,
 * resets the connection when our COTP DR arrives after its FIN (see the report).
 */
function dissect(port: number, file: string): string[] {
  const r = spawnSync(join(sharedDir(), "tools", "dissect-check"), ["--port", String(port), file], {
    encoding: "utf8",
  });
  return `${r.stdout}${r.stderr}`
    .split("\n")
    .filter((l) => /<--|malformed/i.test(l) && !/Expert Info \((Warning|Note|Chat)\/Sequence\)/.test(l));
}

const bin = (name: string): string => peerBinary(name) ?? name;
const withCapture = tsharkUsable();

/** `mms serve` in this process, stopped by an AbortController. */
async function serveInProcess(args: string[]): Promise<{ stop: () => Promise<void>; out: string[] }> {
  const ctl = new AbortController();
  const out: string[] = [];
  const done = runCli(["serve", "--host", "127.0.0.1", ...args], {
    out: (l) => out.push(l),
    err: () => {},
    signal: ctl.signal,
  });
  for (let i = 0; i < 250 && !out.some((l) => l.startsWith("serving")); i++)
    await new Promise((r) => setTimeout(r, 20));
  if (!out.some((l) => l.startsWith("serving")))
    throw new Error(`mms serve did not start: ${out.join("\n")}`);
  return {
    out,
    stop: async () => {
      ctl.abort();
      await done;
    },
  };
}

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

describe.skipIf(
  !hasPeer(
    "mms_utility",
    "iec61850_client_example2",
    "iec61850_client_example_reporting",
    "iec61850_client_example1",
  ),
)("interop: libiec61850 clients against mms serve (plain)", () => {
  let port = 0;
  let serve: Awaited<ReturnType<typeof serveInProcess>>;
  let cap: Running | undefined;
  const file = join(work, "libiec61850-clients-vs-serve.pcapng");

  beforeAll(async () => {
    port = await freePort();
    if (withCapture) cap = await startCapture(port, file);
    serve = await serveInProcess(["--port", String(port), "--tick", "200"]);
  });
  afterAll(async () => {
    await serve.stop();
    await cap?.stop();
  });

  it("mms_utility: identify, domains, variables, read, data set directory", async () => {
    const u = (...a: string[]) =>
      runProcess(bin("mms_utility"), ["-h", "127.0.0.1", "-p", String(port), ...a]);
    const id = await u("-i", "-d");
    expect(id.output).toMatch(/vendor:\s+@mms/);
    expect(id.output).toMatch(/simpleIOGenericIO/);
    const dir = await u("-t", DOMAIN);
    expect(dir.output).toMatch(/GGIO1\$MX\$AnIn1\$mag\$f/);
    const read = await u("-a", DOMAIN, "-r", "GGIO1$MX$AnIn1$mag$f");
    expect(read.output).toMatch(/Read SUCCESS/);
    const ds = await u("-a", DOMAIN, "-z", "LLN0$Measurements");
    expect(ds.output).toMatch(/GGIO1\$MX\$AnIn4\$q/);
  });

  it("iec61850_client_example2 browses the model through the IEC 61850 API", async () => {
    const r = await runProcess(bin("iec61850_client_example2"), ["127.0.0.1", String(port)]);
    expect(r.output).toMatch(/LN: GGIO1/);
    expect(r.output).toMatch(/simpleIOGenericIO\/GGIO1\.AnIn1\.mag\.f\[MX\]/);
    expect(r.output).toMatch(/RP: EventsRCB01/);
  });

  it("iec61850_client_example_reporting enables EventsRCB01 and receives the GI report", async () => {
    const p = startProcess("stdbuf", [
      "-oL",
      bin("iec61850_client_example_reporting"),
      "127.0.0.1",
      String(port),
    ]);
    for (let i = 0; i < 200 && !/stVal\[ST\]/.test(p.output()); i++)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200));
    await p.stop();
    expect(p.output()).not.toMatch(/service error/);
    expect(p.output()).toMatch(/received report for simpleIOGenericIO\/LLN0\.RP\.EventsRCB/);
    expect(p.output()).toMatch(/GGIO1\.SPCSO1\.stVal\[ST\]/);
  });

  it("iec61850_client_example1 reads AnIn1, writes NamPlt vendor, reads the data set and gets reports", async () => {
    // The example sleeps 60 s after enabling reports: stop it once the report arrived.
    const p = startProcess("stdbuf", ["-oL", bin("iec61850_client_example1"), "127.0.0.1", String(port)]);
    for (let i = 0; i < 200 && !/received report/.test(p.output()); i++)
      await new Promise((r) => setTimeout(r, 50));
    await p.stop();
    const out = p.output();
    expect(out).toMatch(/read float value: \d+\.\d+/);
    expect(out).not.toMatch(/failed to write|failed to read dataset|report activation failed/);
    expect(out).toMatch(/received report for simpleIOGenericIO\/LLN0\.RP\.EventsRCB01/);
  });

  it("iec61850_client_example4 defines, reads and deletes a data set", async () => {
    if (!hasPeer("iec61850_client_example4")) return;
    const r = await runProcess("stdbuf", ["-oL", bin("iec61850_client_example4"), "127.0.0.1", String(port)]);
    expect(r.output).not.toMatch(/Failed to (create|read) data set/);
    expect(r.output).toMatch(/GGIO1\.AnIn3\.mag\.f: \d+\.\d+/);
  });

  it("client_example_control operates SPCSO1 and SPCSO3 (direct control with normal security)", async () => {
    if (!hasPeer("client_example_control")) return;
    const r = await runProcess("stdbuf", ["-oL", bin("client_example_control"), "127.0.0.1", String(port)]);
    expect(r.output).toMatch(/GGIO1\.SPCSO1 operated successfully/);
    expect(r.output).toMatch(/New status of simpleIOGenericIO\/GGIO1\.SPCSO1\.stVal: 1/);
    expect(r.output).toMatch(/GGIO1\.SPCSO3 operated successfully/);
  });

  it("the capture of these conversations passes dissect-check", async () => {
    if (!cap) return;
    await new Promise((r) => setTimeout(r, 300));
    await cap.stop();
    cap = undefined;
    expect(dissect(port, file)).toEqual([]);
    const lines = decodeCapture(new Uint8Array(readFileSync(file)), { port }).flatMap((u) => u.lines);
    expect(lines.filter((l) => l.layer === "ERROR")).toEqual([]);
  });
});

describe.skipIf(!hasPeer("iec61850_client_example5"))(
  "interop: libiec61850 password client against mms serve",
  () => {
    it("client_example5 authenticates with its password (plain port, insecure option)", async () => {
      const port = await freePort();
      const serve = await serveInProcess([
        "--port",
        String(port),
        "--password",
        "top secret",
        "--insecure-password-without-tls",
      ]);
      try {
        const r = await runProcess(
          "stdbuf",
          ["-oL", bin("iec61850_client_example5"), "127.0.0.1", String(port)],
          15_000,
        );
        expect(r.output).not.toMatch(/Failed to connect/);
      } finally {
        await serve.stop();
      }
    });
  },
);

/** Our test PKI under the file names libiec61850's TLS examples load from their working directory. */
async function tlsExampleDir(pki: string, role: "server" | "client"): Promise<string> {
  const dir = mkdtempSync(join(work, `tls-${role}-`));
  if (role === "server") {
    copyFileSync(join(pki, "server.pem"), join(dir, "server_CA1_1.pem"));
    copyFileSync(join(pki, "server.key"), join(dir, "server_CA1_1.key"));
    copyFileSync(join(pki, "client.pem"), join(dir, "client_CA1_1.pem"));
    copyFileSync(join(pki, "client.pem"), join(dir, "client_CA1_2.pem"));
  } else {
    copyFileSync(join(pki, "client.pem"), join(dir, "client_CA1_1.pem"));
    copyFileSync(join(pki, "client.key"), join(dir, "client_CA1_1.key"));
  }
  copyFileSync(join(pki, "ca.pem"), join(dir, "root_CA1.pem"));
  return dir;
}

/** libiec61850's TLS examples use the fixed port 3782; skip when it is taken. */
async function port3782Free(): Promise<boolean> {
  const { createServer } = await import("node:net");
  return await new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(3782, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

describe.skipIf(!LIBIEC61850_BIN || !hasPeer("tls_server_example", "tls_client_example"))(
  "interop: TLS (IEC 62351-3)",
  () => {
    const pki = join(work, "pki");
    beforeAll(async () => {
      expect(await runCli(["pki", "init", pki], { out: () => {}, err: () => {} })).toBe(0);
    });

    it("our client over TLS against tls_server_example (re-issued example certificates)", async () => {
      if (!(await port3782Free())) return;
      const dir = await tlsExampleDir(pki, "server");
      const server = startProcess(bin("tls_server_example"), [], dir);
      try {
        await waitForPort(3782);
        const creds = await loadCredentials({ pki }, "client");
        if (!creds) throw new Error("no credentials");
        const client = await connect({
          transport: { kind: "tls", profile: tlsProfileOf(creds), host: "127.0.0.1", port: 3782 },
          authentication: "insecure-none",
        });
        expect(client.association.info.tls?.protocol).toBe("TLSv1.2");
        expect((await client.identify()).vendorName).toBeTruthy();
        const names = await client.getVariableNames(DOMAIN);
        expect(names.length).toBeGreaterThan(10);
        await client.conclude();
      } finally {
        await server.stop();
      }
    });

    it("over TLS: ACSE password works; IEC 62351-4 certificate authentication is not understood by libiec61850 1.5", async () => {
      if (!(await port3782Free())) return;
      const dir = await tlsExampleDir(pki, "server");
      const server = startProcess(bin("tls_server_example"), [], dir);
      try {
        await waitForPort(3782);
        const creds = await loadCredentials({ pki }, "client");
        if (!creds) throw new Error("no credentials");
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
      } finally {
        await server.stop();
      }
    });

    it("tls_client_example against mms serve --tls-port 3782 (TLS identity, no ACSE authentication)", async () => {
      if (!(await port3782Free())) return;
      const serve = await serveInProcess(["--no-plain", "--tls-port", "3782", "--pki", pki]);
      const dir = await tlsExampleDir(pki, "client");
      try {
        const p = startProcess("stdbuf", ["-oL", bin("tls_client_example"), "127.0.0.1"], dir);
        for (let i = 0; i < 200 && !/received report/.test(p.output()); i++)
          await new Promise((r) => setTimeout(r, 50));
        await p.stop();
        expect(p.output()).toMatch(/read float value: \d+\.\d+/);
        expect(p.output()).not.toMatch(/Failed to connect|failed to write|failed to read dataset/);
        expect(p.output()).toMatch(/received report/);
      } finally {
        await serve.stop();
      }
    });
  },
);
