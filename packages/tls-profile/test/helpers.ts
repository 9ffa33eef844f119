import { spawn } from "node:child_process";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ByteStream, SecurityEvent } from "@mms/io";
import { type EntityName, loadTestPki } from "@mms/test-pki";
import { createTlsProfile, type TlsProfile, type TlsProfileOptions } from "../src/index";

export const pki = loadTestPki();

/** Every CA of the test PKI except the rogue one, and their CRLs. */
export const TRUST = [pki.cas.caA.certPem, pki.cas.caB.certPem, pki.cas.caC.certPem, pki.cas.caD.certPem];
export const CRLS = [
  pki.cas.caA.crlPem,
  pki.cas.caB.crlPem,
  pki.cas.caC.crlPem,
  pki.cas.caD.crlPem,
  pki.cas.interA.crlPem,
];

/** A profile as `name` with the four trust anchors and all CRLs, collecting its events. */
export function profileFor(
  name: EntityName,
  extra: Partial<TlsProfileOptions> = {},
): { profile: TlsProfile; events: SecurityEvent[] } {
  const events: SecurityEvent[] = [];
  const e = pki.entities[name];
  const profile = createTlsProfile({
    trustAnchors: TRUST,
    certificateChain: e.chainPem,
    privateKey: e.keyPem,
    crls: CRLS,
    onSecurityEvent: (ev) => events.push(ev),
    ...extra,
  });
  return { profile, events };
}

/** Echoes everything it reads. */
export async function echo(stream: ByteStream): Promise<void> {
  try {
    for await (const chunk of stream) await stream.write([chunk]);
  } catch {
    // peer went away
  }
  await stream.end().catch(() => undefined);
}

/** Writes `text` and reads until the same number of octets came back. */
export async function roundTrip(stream: ByteStream, text: string): Promise<string> {
  const it = stream[Symbol.asyncIterator]();
  await stream.write([Buffer.from(text)]);
  let got = "";
  while (got.length < text.length) {
    const r = await it.next();
    if (r.done) break;
    got += Buffer.from(r.value).toString();
  }
  return got;
}

/** Resolves when `pred` holds for one of the events (polling; no timing asserted). */
export async function waitForEvent(
  events: SecurityEvent[],
  code: string,
  timeoutMs = 8000,
  pred: (e: SecurityEvent) => boolean = () => true,
): Promise<SecurityEvent> {
  const start = Date.now();
  for (;;) {
    const e = events.find((x) => x.code === code && pred(x));
    if (e) return e;
    if (Date.now() - start > timeoutMs) {
      throw new Error(`no ${code} event; got ${events.map((x) => x.code).join(", ") || "none"}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const hasOpenssl = spawnSync("openssl", ["version"]).status === 0;

/** A temporary directory with the PEM files of the test PKI the openssl peer needs. */
export function pemDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "mms-tls-"));
  for (const [n, e] of Object.entries(pki.entities)) {
    writeFileSync(join(dir, `${n}.pem`), e.chainPem);
    writeFileSync(join(dir, `${n}.key`), e.keyPem);
  }
  writeFileSync(join(dir, "trust.pem"), [...TRUST, pki.cas.interA.certPem].join(""));
  writeFileSync(join(dir, "crls.pem"), CRLS.join(""));
  return dir;
}

export interface OpensslResult {
  readonly code: number | null;
  readonly output: string;
}

/**
 * Runs `openssl s_client` against 127.0.0.1:port, sends `input` then waits for the server to
 * close or `ms` to pass, and returns the exit code and combined output.
 */
export function sClient(
  port: number,
  args: readonly string[],
  input = "ping\n",
  ms = 10_000,
): Promise<OpensslResult> {
  return new Promise((resolve) => {
    const child = spawn("openssl", ["s_client", "-connect", `127.0.0.1:${port}`, "-ign_eof", ...args], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stdin.on("error", () => undefined);
    child.stdin.write(input);
    const timer = setTimeout(() => child.kill(), ms);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

export interface SServer {
  readonly port: number;
  readonly output: () => string;
  stop(): void;
}

/** Starts `openssl s_server -rev` (echoes each line reversed) on 127.0.0.1, port chosen by the OS. */
export function sServer(args: readonly string[]): Promise<SServer> {
  return new Promise((resolve, reject) => {
    const child = spawn("openssl", ["s_server", "-accept", "127.0.0.1:0", "-rev", ...args], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    let done = false;
    const onData = (d: Buffer): void => {
      output += d.toString();
      const m = /ACCEPT [^\n]*:(\d+)/.exec(output);
      if (m && !done) {
        done = true;
        resolve({ port: Number(m[1]), output: () => output, stop: () => child.kill() });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("close", () => {
      if (!done) reject(new Error(`s_server exited: ${output}`));
    });
  });
}

/**
 * Runs an interactive `openssl s_client`: writes each line after the previous one was echoed
 * (`expectEcho`: what the echo server sends back for a line, or undefined for command lines such
 * as `k` / `R`), then stops it. Returns the combined output.
 */
export async function sClientSession(
  port: number,
  args: readonly string[],
  lines: readonly [string, string | undefined][],
): Promise<string> {
  const child = spawn("openssl", ["s_client", "-connect", `127.0.0.1:${port}`, ...args], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  const waiters: (() => void)[] = [];
  const onData = (d: Buffer): void => {
    output += d.toString();
    for (const w of waiters.splice(0)) w();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  child.stdin.on("error", () => undefined);
  const waitFor = async (text: string, from: number): Promise<void> => {
    const start = Date.now();
    while (!output.slice(from).includes(text)) {
      if (Date.now() - start > 8000 || child.exitCode !== null) throw new Error(`no "${text}" in: ${output}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 100);
      });
    }
  };
  try {
    await waitFor("---\n", 0);
    for (const [line, echo] of lines) {
      const from = output.length;
      child.stdin.write(`${line}\n`);
      if (echo !== undefined) await waitFor(echo, from);
      else await new Promise((r) => setTimeout(r, 200));
    }
    return output;
  } finally {
    child.kill();
  }
}
