import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect as netConnect, createServer as netServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as tlsConnect, createServer as tlsServer } from "node:tls";
import { connect, downloadFile, type MmsClient } from "@mms/client";
import { FileServer, MmsServer, Vmd } from "@mms/server";
import { createTlsProfile } from "@mms/tls-profile";
import { loadTestPki } from "../../../test-pki/src/index";
import { type BenchResult, type Suite, versus } from "../harness";

// Issue 8 figures: a 50 MiB file downloaded over MMS (FileOpen / FileRead... / FileClose) on
// loopback, plain and TLS, against a raw stream copy of the same file over node:net / node:tls
// in the same run (target ratio >= 0.5), with the peak RSS growth during the MMS transfer.
// Server and client share this process (one core each way at most on the shared machine).

const SIZE = 50 * 1024 * 1024;
/** FileReads in flight (downloadFile readAhead; 1 = strict request/response). */
const READ_AHEAD = Number(process.env["MMS_BENCH_READ_AHEAD"] ?? 4);
const pki = loadTestPki();
const trust = [pki.cas.caA.certPem];
const profile = (name: "server" | "client") =>
  createTlsProfile({
    trustAnchors: trust,
    certificateChain: pki.entities[name].chainPem,
    privateKey: pki.entities[name].keyPem,
    resumption: { enabled: false },
  });

/** Peak RSS above the value at start while `fn` runs (sampled every 10 ms), in MiB. */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakMiB: number }> {
  globalThis.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const t = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peakMiB: (peak - start) / (1024 * 1024) };
  } finally {
    clearInterval(t);
  }
}

/** MB/s (10^6 octets) of one MMS download of `name`. */
async function mmsDownload(client: MmsClient, name: string): Promise<number> {
  const t0 = performance.now();
  let n = 0;
  for await (const chunk of downloadFile(client, name, { readAhead: READ_AHEAD })) n += chunk.length;
  if (n !== SIZE) throw new Error(`downloaded ${n} of ${SIZE} octets`);
  return n / 1e6 / ((performance.now() - t0) / 1000);
}

/** MB/s of a raw stream copy of the file from a server socket to a client that discards it. */
async function rawCopy(kind: "net" | "tls", file: string): Promise<number> {
  const onConn = (s: Socket) => {
    s.on("error", () => undefined);
    createReadStream(file, { highWaterMark: 64 * 1024 }).pipe(s);
  };
  const srv =
    kind === "net"
      ? netServer(onConn)
      : tlsServer(
          {
            ca: trust,
            cert: pki.entities.server.chainPem,
            key: pki.entities.server.keyPem,
            requestCert: true,
          },
          onConn,
        );
  srv.listen(0, "127.0.0.1");
  await once(srv, "listening");
  const port = (srv.address() as { port: number }).port;
  try {
    const sock: Socket =
      kind === "net"
        ? netConnect(port, "127.0.0.1")
        : tlsConnect({
            host: "127.0.0.1",
            port,
            ca: trust,
            cert: pki.entities.client.chainPem,
            key: pki.entities.client.keyPem,
            checkServerIdentity: () => undefined,
          });
    await once(sock, kind === "net" ? "connect" : "secureConnect");
    const t0 = performance.now();
    let n = 0;
    for await (const c of sock) n += (c as Buffer).length;
    if (n !== SIZE) throw new Error(`raw copy moved ${n} octets`);
    return n / 1e6 / ((performance.now() - t0) / 1000);
  } finally {
    srv.close();
  }
}

const best = async (runs: number, fn: () => Promise<number>): Promise<number> => {
  let b = 0;
  for (let i = 0; i < runs; i++) b = Math.max(b, await fn());
  return b;
};

export const suite: Suite = {
  name: "files",
  async run(): Promise<BenchResult[]> {
    const root = mkdtempSync(join(tmpdir(), "mms-bench-files-"));
    const file = join(root, "big.bin");
    writeFileSync(file, randomBytes(SIZE));
    const server = new MmsServer({ vmd: new Vmd(), files: new FileServer({ root }) });
    const ports = await server.listen({
      plain: { host: "127.0.0.1", port: 0, policy: { mechanisms: [], insecureAllowUnauthenticated: true } },
      tls: {
        host: "127.0.0.1",
        port: 0,
        profile: profile("server"),
        policy: { mechanisms: [], acceptTlsIdentity: true },
      },
    });
    const out: BenchResult[] = [];
    try {
      for (const kind of ["plain", "tls"] as const) {
        const client = await connect({
          transport:
            kind === "tls"
              ? { kind: "tls", profile: profile("client"), host: "127.0.0.1", port: ports.tls! }
              : { kind: "insecure-tcp", host: "127.0.0.1", port: ports.plain! },
          authentication: "insecure-none",
          requireServerAuthentication: false,
          timeoutMs: 60_000,
        });
        try {
          await mmsDownload(client, "big.bin"); // warm-up
          const m = await withPeakRss(() => best(2, () => mmsDownload(client, "big.bin")));
          const raw = await best(2, () => rawCopy(kind === "tls" ? "tls" : "net", file));
          out.push(
            versus(
              `files.download-${kind}`,
              "MB/s",
              m.value,
              `raw node:${kind === "tls" ? "tls" : "net"} stream copy`,
              raw,
              {
                fileMiB: SIZE / (1024 * 1024),
                peakRssGrowthMiB: Math.round(m.peakMiB * 10) / 10,
                chunkOctets: (client.negotiated.localDetail ?? 65000) - 32,
                readAhead: READ_AHEAD,
              },
            ),
          );
        } finally {
          await client.conclude().catch(() => client.abort());
        }
      }
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
    return out;
  },
};
