import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connect } from "@mms/client";
import type { SecurityEvent } from "@mms/io";
import { withTlsProfileChanges } from "@mms/tls-profile";
import { tlsProfileOf } from "../src/commands/connect";
import { parseServeArgs, type ServeSettings, serveBanner } from "../src/commands/serve";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDemo } from "../src/commands/demo";
import { ExitCode, runCli } from "../src/index";
import { loadCredentials } from "../src/options";
import { freePort } from "./interop-env";
import { serveInProcess } from "./interop-helpers";

const dir = mkdtempSync(join(tmpdir(), "mms-cli-e2e-"));
const pki = join(dir, "pki");

async function mms(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe("mms demo", () => {
  it("runs server and client over TLS with IEC 62351-4 authentication in both directions", async () => {
    const lines: string[] = [];
    const r = await runDemo((l) => lines.push(l));
    expect(r.tls.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(r.serverIdentitySeenByClient).toBe("IEC 62351-4 certificate CN=mms-demo-server, O=MMS demo");
    expect(r.clientIdentitySeenByServer).toBe("IEC 62351-4 certificate CN=mms-demo-client, O=MMS demo");
    expect(r.domains).toEqual(["simpleIOGenericIO"]);
    expect(r.variableCount).toBeGreaterThan(100);
    expect(r.written).toEqual({ name: "GGIO1$DC$NamPlt$vendor", before: '"@mms"', after: '"ACME demo"' });
    expect(r.report).toMatch(/RptID "Measurements"/);
    expect(r.securityEvents.map((e) => e.code)).toContain("INF_ACSE_ASSOCIATED");
    expect(lines.some((l) => l.startsWith("10. concluded"))).toBe(true);
  });
});

describe("mms pki init → serve → identify / ls / read / write / watch", () => {
  const stop = new AbortController();
  let plain = 0;
  let tls = 0;
  let served: Promise<number>;
  const serveOut: string[] = [];

  beforeAll(async () => {
    const init = await mms("pki", "init", pki);
    expect(init.code).toBe(0);
    expect(readdirSync(pki).sort()).toEqual([
      "ca.key",
      "ca.pem",
      "client.key",
      "client.pem",
      "crl.pem",
      "server.key",
      "server.pem",
    ]);
    plain = await freePort();
    tls = await freePort();
    served = runCli(
      [
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        String(plain),
        "--tls-port",
        String(tls),
        "--pki",
        pki,
        "--password",
        "secret",
        "--tick",
        "100",
      ],
      { out: (l) => serveOut.push(l), err: () => {}, signal: stop.signal },
    );
    for (let i = 0; i < 500 && !serveOut.some((l) => l.startsWith("serving")); i++)
      await new Promise((r) => setTimeout(r, 20));
  });

  afterAll(async () => {
    stop.abort();
    expect(await served).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints a banner that names the non-secure plain port", () => {
    expect(serveOut.find((l) => l.startsWith("plain"))).toMatch(
      /NON-SECURE profile: no TLS, unauthenticated associations accepted/,
    );
    expect(serveOut.find((l) => l.startsWith("tls"))).toMatch(/client certificate required/);
  });

  it("identify over plain TCP without authentication", async () => {
    const r = await mms("identify", "--port", String(plain), "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out[0] ?? "");
    expect(j).toMatchObject({ vendor: "@mms", security: { auth: "none" } });
    expect(j.security.tls).toBeUndefined();
  });

  it("identify over TLS with certificate authentication shows the server identity", async () => {
    const r = await mms("identify", "--tls", "--pki", pki, "--port", String(tls), "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out[0] ?? "");
    expect(j.security.peer).toBe("IEC 62351-4 certificate CN=mms-demo-server, O=MMS demo");
    expect(j.security.tls.protocol).toMatch(/^TLSv1\.[23]$/);
  });

  it("TLS with password authentication, and TLS identity only (no ACSE authentication, as libiec61850)", async () => {
    expect(
      (
        await mms(
          "identify",
          "--tls",
          "--pki",
          pki,
          "--port",
          String(tls),
          "--auth",
          "password",
          "--password",
          "secret",
        )
      ).code,
    ).toBe(0);
    expect((await mms("identify", "--tls", "--pki", pki, "--port", String(tls), "--auth", "none")).code).toBe(
      0,
    );
  });

  it("a wrong password is an association failure (exit 4)", async () => {
    const r = await mms(
      "identify",
      "--tls",
      "--pki",
      pki,
      "--port",
      String(tls),
      "--auth",
      "password",
      "--password",
      "wrong",
    );
    expect(r.code).toBe(ExitCode.association);
    expect(r.err[0]).toMatch(/^mms: \[(acse|session|presentation)\]/);
  });

  it("ls lists the domain and the server_example_basic_io names", async () => {
    expect((await mms("ls", "--port", String(plain))).out).toEqual(["simpleIOGenericIO"]);
    const r = await mms("ls", "simpleIOGenericIO", "--lists", "--port", String(plain), "--json");
    const j = JSON.parse(r.out[0] ?? "");
    expect(j.variables).toContain("GGIO1$MX$AnIn1$mag$f");
    expect(j.lists).toEqual(["LLN0$Events", "LLN0$Events2", "LLN0$Measurements"]);
  });

  it("read --json gives typed values; an unknown item exits 5", async () => {
    const r = await mms(
      "read",
      "simpleIOGenericIO/GGIO1$MX$AnIn1$mag$f",
      "simpleIOGenericIO/GGIO1$ST$Ind1$stVal",
      "--port",
      String(plain),
      "--json",
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out[0] ?? "");
    expect(j.results[0].value.type).toBe("floatingPoint");
    expect(j.results[1].value.type).toBe("boolean");
    const bad = await mms("read", "simpleIOGenericIO/GGIO1$MX$Nope", "--port", String(plain));
    expect(bad.code).toBe(ExitCode.service);
    expect(bad.err[0]).toMatch(/object-non-existent/);
  });

  it("write NamPlt vendor over TLS, read it back; a read-only value is refused (exit 5)", async () => {
    const w = await mms(
      "write",
      "simpleIOGenericIO/GGIO1$DC$NamPlt$vendor",
      "ACME",
      "--tls",
      "--pki",
      pki,
      "--port",
      String(tls),
      "--json",
    );
    expect(w.code).toBe(0);
    expect(JSON.parse(w.out[0] ?? "")).toMatchObject({ success: true });
    const r = await mms("read", "simpleIOGenericIO/GGIO1$DC$NamPlt$vendor", "--port", String(plain));
    expect(r.out).toEqual(['"ACME"']);
    const ro = await mms("write", "simpleIOGenericIO/GGIO1$MX$AnIn1$mag$f", "1", "--port", String(plain));
    expect(ro.code).toBe(ExitCode.service);
    expect(ro.err[0]).toMatch(/object-access-denied/);
  });

  it("watch enables a report control block and prints reports", async () => {
    const r = await mms(
      "watch",
      "--rcb",
      "simpleIOGenericIO/LLN0$RP$MeasurementsRCB01",
      "--count",
      "2",
      "--duration",
      "10",
      "--port",
      String(plain),
      "--json",
    );
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(2);
    expect(JSON.parse(r.out[0] ?? "").values[0]).toEqual({ type: "visibleString", value: "Measurements" });
  });

  it("nothing listening: transport failure (exit 3)", async () => {
    const port = await freePort();
    const r = await mms("identify", "--port", String(port));
    expect(r.code).toBe(ExitCode.transport);
    expect(r.err[0]).toMatch(/^mms: \[tcp\]/);
  });
});

describe("mms serve --model", () => {
  it("serves a JSON model file; write rights follow the model (authenticated only)", async () => {
    const port = await freePort();
    const tlsPort = await freePort();
    const modelPki = mkdtempSync(join(tmpdir(), "mms-cli-model-"));
    expect((await mms("pki", "init", modelPki)).code).toBe(0);
    const stop = new AbortController();
    const out: string[] = [];
    const model = fileURLToPath(new URL("../../../docs/examples/model.json", import.meta.url));
    const served = runCli(
      [
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        String(port),
        "--tls-port",
        String(tlsPort),
        "--pki",
        modelPki,
        "--model",
        model,
      ],
      { out: (l) => out.push(l), err: () => {}, signal: stop.signal },
    );
    for (let i = 0; i < 500 && !out.some((l) => l.startsWith("serving")); i++)
      await new Promise((r) => setTimeout(r, 20));
    try {
      expect((await mms("read", "LD0/MMXU1$MX$TotW$mag$f", "--port", String(port))).out).toEqual(["1.5"]);
      expect((await mms("read", "--list", "LD0/LLN0$Measurements", "--port", String(port))).code).toBe(0);
      expect((await mms("write", "LD0/MMXU1$DC$NamPlt$vendor", "x", "--port", String(port))).code).toBe(
        ExitCode.service,
      );
      const tls = ["--tls", "--pki", modelPki, "--port", String(tlsPort)];
      expect((await mms("write", "LD0/MMXU1$DC$NamPlt$vendor", "x", ...tls)).code).toBe(0);
    } finally {
      stop.abort();
      await served;
      rmSync(modelPki, { recursive: true, force: true });
    }
  });

  it("a broken model file is a file error (exit 8)", async () => {
    const bad = join(mkdtempSync(join(tmpdir(), "mms-cli-bad-")), "bad-model.json");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(bad, JSON.stringify({ domains: { LD0: { variables: { X: { type: "nope" } } } } }));
    const r = await mms("serve", "--port", "0", "--model", bad);
    expect(r.code).toBe(ExitCode.file);
    expect(r.err[0]).toMatch(/^mms: \[file\] --model: model /);
  });
});

describe("mms serve --tls-rekey-messages / --tls-rekey-minutes", () => {
  it("the TLS port renegotiates on the given count; a TLS 1.2 client follows it", async () => {
    const rekeyPki = mkdtempSync(join(tmpdir(), "mms-cli-rekey-"));
    expect((await mms("pki", "init", rekeyPki)).code).toBe(0);
    const tlsPort = await freePort();
    const serve = await serveInProcess(
      ["--no-plain", "--tls-port", String(tlsPort), "--pki", rekeyPki].concat([
        "--tls-rekey-messages",
        "3",
        "--tls-rekey-minutes",
        "0",
      ]),
    );
    try {
      expect(serve.out.find((l) => l.startsWith("tls"))).toMatch(/TLS 1\.2 rekey every 3 messages/);
      const creds = await loadCredentials({ pki: rekeyPki }, "client");
      if (!creds) throw new Error("no credentials");
      const events: SecurityEvent[] = [];
      const profile = withTlsProfileChanges(
        tlsProfileOf(creds, (e) => events.push(e)),
        { maxVersion: "TLSv1.2" },
      );
      const client = await connect({
        transport: { kind: "tls", profile, host: "127.0.0.1", port: tlsPort },
        authentication: "insecure-none",
      });
      // More messages than the count, twice over: later renegotiations wait for node's window.
      for (let i = 0; i < 8; i++) await client.readValue("simpleIOGenericIO/GGIO1$MX$AnIn1$mag$f");
      await client.conclude();
      // The server started them (its events go to stderr); the client followed and checked again.
      expect(
        serve.err.some((l) => l.includes("INF_TLS_RENEGOTIATED") && l.includes('"trigger":"messages"')),
      ).toBe(true);
      expect(events.filter((e) => e.code === "INF_TLS_RENEGOTIATED").length).toBeGreaterThan(0);
      expect(events.map((e) => e.code)).not.toContain("ALM_TLS_RENEGOTIATION_FAILED");
    } finally {
      await serve.stop();
      rmSync(rekeyPki, { recursive: true, force: true });
    }
  });

  it("the banner shows the schedule in effect, defaults included", async () => {
    const base = await parseServeArgs(["--port", "0"]);
    if (base === "help") throw new Error("help");
    const tls = (rekey: ServeSettings["rekey"]) =>
      serveBanner({ ...base, rekey }, { plainPort: undefined, tlsPort: 3782, close: async () => {} })[0];
    expect(tls({})).not.toMatch(/rekey/);
    expect(tls({ maxMessages: 0 })).toMatch(/; TLS 1\.2 rekey every 30 minutes$/);
    expect(tls({ maxMessages: 100, intervalMs: 0 })).toMatch(/; TLS 1\.2 rekey every 100 messages$/);
    expect(tls({ maxMessages: 0, intervalMs: 0 })).toMatch(/; TLS 1\.2 rekey off$/);
  });

  it("refuses a bad count, and the options without a TLS port", async () => {
    expect((await mms("serve", "--tls-rekey-messages", "x", "--pki", pki)).code).toBe(ExitCode.usage);
    expect((await mms("serve", "--tls-rekey-minutes", "1441", "--pki", pki)).code).toBe(ExitCode.usage);
    expect((await mms("serve", "--tls-rekey-messages", "0")).code).toBe(ExitCode.usage);
  });
});
