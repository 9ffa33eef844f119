import { readFileSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeCapture, runCli } from "../src/index";
import {
  freePort,
  hasPeer,
  LIBIEC61850_BIN,
  type Running,
  runProcess,
  startCapture,
  startProcess,
  tsharkUsable,
} from "./interop-env";
import { bin, DOMAIN, dissect, port3782Free, serveInProcess, tlsExampleDir } from "./interop-helpers";

// Opt-in interop with libiec61850 (see tools/cli/README.md "Interop with libiec61850"):
//   LIBIEC61850_BIN=/path/to/dir/with/example/binaries pnpm vitest run tools/cli/test/interop
// libiec61850's client examples and mms_utility against `mms serve`.
const work = mkdtempSync(join(tmpdir(), "mms-interop-clients-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const withCapture = tsharkUsable();

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

describe.skipIf(!LIBIEC61850_BIN || !hasPeer("tls_client_example"))(
  "interop: libiec61850 TLS client against mms serve",
  () => {
    const pki = join(work, "pki");
    beforeAll(async () => {
      expect(await runCli(["pki", "init", pki], { out: () => {}, err: () => {} })).toBe(0);
    });

    it("tls_client_example against mms serve --tls-port 3782 (TLS identity, no ACSE authentication)", async () => {
      if (!(await port3782Free())) return;
      const serve = await serveInProcess(["--no-plain", "--tls-port", "3782", "--pki", pki]);
      const dir = tlsExampleDir(work, pki, "client");
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
