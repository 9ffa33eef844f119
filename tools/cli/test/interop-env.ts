import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, connect } from "node:net";
import { join } from "node:path";

/**
 * Opt-in interop with libiec61850 (built outside the repository, never committed):
 * LIBIEC61850_BIN names a directory holding its example binaries
 * (server_example_basic_io, iec61850_client_example*, mms_utility, tls_*).
 */
export const LIBIEC61850_BIN = process.env.LIBIEC61850_BIN;

export function peerBinary(name: string): string | undefined {
  if (!LIBIEC61850_BIN) return undefined;
  const p = join(LIBIEC61850_BIN, name);
  return existsSync(p) ? p : undefined;
}

export function hasPeer(...names: string[]): boolean {
  return names.every((n) => peerBinary(n) !== undefined);
}

export function tsharkUsable(): boolean {
  return spawnSync("tshark", ["--version"], { stdio: "ignore" }).status === 0;
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on the port (polls, bounded). */
export async function waitForPort(port: number, tries = 100): Promise<void> {
  for (let i = 0; i < tries; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on port ${port}`);
}

export interface Running {
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a long-running peer process (a server, tshark); `stop` ends it by its pid. */
export function startProcess(file: string, args: readonly string[], cwd?: string): Running {
  const child = spawn(file, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout?.on("data", (b: Buffer) => {
    out += b.toString("utf8");
  });
  child.stderr?.on("data", (b: Buffer) => {
    out += b.toString("utf8");
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

/** Runs a peer client to completion (bounded by a timeout) and returns its output and status. */
export async function runProcess(
  file: string,
  args: readonly string[],
  timeoutMs = 20_000,
  cwd?: string,
): Promise<{ status: number | null; output: string }> {
  const p = startProcess(file, args, cwd);
  const timer = setTimeout(() => p.child.kill("SIGKILL"), timeoutMs);
  const status = await new Promise<number | null>((resolve) => p.child.once("exit", (code) => resolve(code)));
  clearTimeout(timer);
  return { status, output: p.output() };
}

/** Captures loopback traffic on a port with tshark into `file` until `stop`. */
export async function startCapture(port: number, file: string): Promise<Running> {
  const r = startProcess("tshark", ["-i", "lo", "-f", `tcp port ${port}`, "-w", file]);
  for (let i = 0; i < 100 && !/Capture started|Capturing on/.test(r.output()); i++) {
    await new Promise((res) => setTimeout(res, 50));
  }
  await new Promise((res) => setTimeout(res, 300));
  return r;
}
