import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { sharedDir } from "../../test-utils/src/vectors";
import { runCli } from "../src/index";
import { peerBinary } from "./interop-env";

/** The logical device of libiec61850's basic I/O examples (and of `mms serve`'s demo model). */
export const DOMAIN = "simpleIOGenericIO";

export const bin = (name: string): string => peerBinary(name) ?? name;

/**
 * dissect-check's complaints about a capture ([] when Wireshark found nothing wrong). TCP
 * sequence-level notes (resets, D-SACKs, retransmissions on a loaded loopback) are left out:
 * they are about TCP, not about the bytes of the conversation. libiec61850's server, for one,
 * resets the connection when our COTP DR arrives after its FIN (see the report).
 */
export function dissect(port: number, file: string): string[] {
  const r = spawnSync(join(sharedDir(), "tools", "dissect-check"), ["--port", String(port), file], {
    encoding: "utf8",
  });
  return `${r.stdout}${r.stderr}`
    .split("\n")
    .filter((l) => /<--|malformed/i.test(l) && !/Expert Info \((Warning|Note|Chat)\/Sequence\)/.test(l));
}

/** `mms serve` in this process, stopped by an AbortController. */
export async function serveInProcess(
  args: string[],
): Promise<{ stop: () => Promise<void>; out: string[]; err: string[] }> {
  const ctl = new AbortController();
  const out: string[] = [];
  const err: string[] = [];
  const done = runCli(["serve", "--host", "127.0.0.1", ...args], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    signal: ctl.signal,
  });
  for (let i = 0; i < 250 && !out.some((l) => l.startsWith("serving")); i++)
    await new Promise((r) => setTimeout(r, 20));
  if (!out.some((l) => l.startsWith("serving")))
    throw new Error(`mms serve did not start: ${out.join("\n")}`);
  return {
    out,
    err,
    stop: async () => {
      ctl.abort();
      await done;
    },
  };
}

/** Our test PKI under the file names libiec61850's TLS examples load from their working directory. */
export function tlsExampleDir(work: string, pki: string, role: "server" | "client"): string {
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
export async function port3782Free(): Promise<boolean> {
  return await new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(3782, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}
