import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { type Socket, connect as netConnect, createServer as netServer } from "node:net";
import { cpus } from "node:os";
import { connect as tlsConnect, createServer as tlsServer } from "node:tls";
import { fileURLToPath } from "node:url";
import { certificateAuthentication } from "@mms/acse-auth";
import { connect, type MmsClient } from "@mms/client";
import { MmsServer, mmsData, mmsTypes, Vmd } from "@mms/server";
import { createTlsProfile, TlsSessionCache } from "@mms/tls-profile";
import { loadTestPki } from "../../../test-pki/src/index";
import { type BenchResult, type MeasureOptions, measureAsync, type Suite } from "../harness";

// Client <-> server figures of issue 7. The server (or the raw echo it is compared with) runs in
// a child process, as libiec61850's client and server do; with `taskset` both processes are
// pinned to CPU 0 ("pinned", the placement), else they float ("unpinned").
// MMS_BENCH_PLACEMENT=unpinned skips pinning; MMS_BENCH_IDLE sets the idle association count
// (default 10 000, capped below `ulimit -n`); MMS_BENCH_CLIENT_ONLY=idle runs only
// server.idle-assoc-kb, =reads only the client.read-* figures, =assoc only the assoc.* figures.

const CHILD = process.env["MMS_BENCH_CHILD"];
const pki = loadTestPki();
const trust = [pki.cas.caA.certPem, pki.cas.caB.certPem, pki.cas.caC.certPem, pki.cas.caD.certPem];
const profile = (name: "server" | "client", maxVersion?: "TLSv1.2" | "TLSv1.3", resumption = false) =>
  createTlsProfile({
    trustAnchors: trust,
    certificateChain: pki.entities[name].chainPem,
    privateKey: pki.entities[name].keyPem,
    resumption: { enabled: resumption },
    ...(maxVersion ? { maxVersion } : {}),
  });
const mechanism = (name: "server" | "client") =>
  certificateAuthentication({
    certificate: pki.entities[name].certPem,
    privateKey: pki.entities[name].keyPem,
    trustAnchors: trust,
  });

// --- child process side -------------------------------------------------------------------

async function childMain(mode: string): Promise<void> {
  const reply = (m: unknown) => process.send?.(m);
  if (mode === "echo") {
    const net = netServer((s) => {
      s.setNoDelay(true);
      s.on("data", (d) => s.write(d));
      s.on("error", () => undefined);
    });
    const s = pki.entities.server;
    const tls = tlsServer({ ca: trust, cert: s.chainPem, key: s.keyPem, requestCert: true }, (sock) => {
      sock.setNoDelay(true);
      sock.on("data", (d) => sock.write(d));
      sock.on("error", () => undefined);
    });
    net.listen(0, "127.0.0.1");
    tls.listen(0, "127.0.0.1");
    await Promise.all([once(net, "listening"), once(tls, "listening")]);
    reply({ plain: (net.address() as { port: number }).port, tls: (tls.address() as { port: number }).port });
  } else {
    const vmd = new Vmd();
    const d = vmd.domain("LD0");
    d.defineVariable("GGIO1", {
      components: {
        MX: {
          components: {
            AnIn1: {
              components: {
                mag: { components: { f: { type: mmsTypes.float32(), value: mmsData.float32(1.5) } } },
              },
            },
          },
        },
      },
    });
    const server = new MmsServer({ vmd, maxAssociations: 20_000, maxOutstanding: 16 });
    const ports = await server.listen({
      plain: { host: "127.0.0.1", port: 0, policy: { mechanisms: [], insecureAllowUnauthenticated: true } },
      tls: {
        host: "127.0.0.1",
        port: 0,
        // Resumption on (the profile default); a client resumes only with a session cache.
        profile: profile("server", undefined, true),
        policy: { mechanisms: [mechanism("client")], acceptTlsIdentity: true },
        authentication: mechanism("server"),
      },
    });
    reply(ports);
  }
  process.on("message", (m: { cmd?: string }) => {
    if (m.cmd === "rss") {
      globalThis.gc?.();
      reply({ rss: process.memoryUsage().rss });
    }
  });
  process.on("disconnect", () => process.exit(0));
}

if (CHILD) void childMain(CHILD);

// --- bench side ---------------------------------------------------------------------------

const pinned = process.env["MMS_BENCH_PLACEMENT"] !== "unpinned" && hasTaskset();

function hasTaskset(): boolean {
  try {
    execFileSync("taskset", ["-p", String(process.pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

interface Child {
  readonly proc: ChildProcess;
  readonly ports: { plain: number; tls: number };
  rss(): Promise<number>;
}

async function startChild(mode: "echo" | "mms"): Promise<Child> {
  const args = [...process.execArgv, fileURLToPath(import.meta.url)];
  const cmd = pinned ? "taskset" : process.execPath;
  const argv = pinned ? ["-c", "0", process.execPath, ...args] : args;
  const proc = spawn(cmd, argv, {
    env: { ...process.env, MMS_BENCH_CHILD: mode },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const [ports] = (await once(proc, "message")) as [{ plain: number; tls: number }];
  return {
    proc,
    ports,
    rss: async () => {
      proc.send({ cmd: "rss" });
      const [m] = (await once(proc, "message")) as [{ rss: number }];
      return m.rss;
    },
  };
}

function stop(c: Child): void {
  c.proc.disconnect();
  c.proc.kill();
}

/** One short sample per call; raw and ours alternate round by round (robust to a noisy host). */
const sample = { warmupMs: 100, samples: 1, sampleMs: 300 };
const ROUNDS = 7;

/** Round trips of 64 octets with `depth` in flight over one socket. */
function echoSampler(sock: Socket, depth: number): () => Promise<number> {
  sock.setNoDelay(true);
  const msg = Buffer.alloc(64, 7);
  let need = 0;
  let done: (() => void) | undefined;
  sock.on("data", (d: Buffer) => {
    need -= d.length;
    if (need <= 0 && done) {
      const f = done;
      done = undefined;
      f();
    }
  });
  // One op = `depth` round trips issued together (the same shape as the pipelined read loop).
  const round = (): Promise<void> =>
    new Promise<void>((resolve) => {
      done = resolve;
      need = 64 * depth;
      for (let i = 0; i < depth; i++) sock.write(msg);
    });
  return async () => (await measureAsync(round, sample)).opsPerSec * depth;
}

function readSampler(client: MmsClient, depth: number): () => Promise<number> {
  const name = "LD0/GGIO1$MX$AnIn1$mag$f";
  const op =
    depth === 1
      ? () => client.readValue(name)
      : () => Promise.all(Array.from({ length: depth }, () => client.readValue(name)));
  return async () => (await measureAsync(op, sample)).opsPerSec * depth;
}

const med = (xs: number[]): number => {
  const a = [...xs].sort((x, y) => x - y);
  return a[a.length >> 1]!;
};

/** Alternates ours and the baseline for ROUNDS rounds; medians of each and of the per-round ratio. */
async function interleaved(
  ours: () => Promise<number>,
  base: () => Promise<number>,
): Promise<{ value: number; baseline: number; ratio: number }> {
  const v: number[] = [];
  const b: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const x = await ours();
    const y = await base();
    v.push(x);
    b.push(y);
    r.push(x / y);
  }
  return { value: med(v), baseline: med(b), ratio: med(r) };
}

async function assocRate(
  open: () => Promise<MmsClient>,
  options: MeasureOptions = { warmupMs: 300, samples: 3, sampleMs: 1000 },
): Promise<{ rate: number; medianMs: number }> {
  const r = await measureAsync(async () => {
    const c = await open();
    await c.conclude();
  }, options);
  return { rate: r.opsPerSec, medianMs: r.medianMs };
}

function pinSelf(): string | undefined {
  if (!pinned) return undefined;
  const before = execFileSync("taskset", ["-p", "-c", String(process.pid)]).toString();
  const list = before.split(":").pop()?.trim();
  execFileSync("taskset", ["-p", "-c", "0", String(process.pid)], { stdio: "ignore" });
  return list;
}

function unpinSelf(list: string | undefined): void {
  if (list) execFileSync("taskset", ["-p", "-c", list, String(process.pid)], { stdio: "ignore" });
}

export const suite: Suite = {
  name: "client",
  async run(): Promise<BenchResult[]> {
    const out: BenchResult[] = [];
    const restore = pinSelf();
    const placement = pinned ? "pinned: bench and server processes on cpu 0" : "unpinned";
    const machine = `${cpus()[0]?.model ?? "?"} x${cpus().length}, node ${process.version}`;
    const extra = { placement, machine };
    try {
      if (process.env["MMS_BENCH_CLIENT_ONLY"] === "idle") {
        out.push(await idleAssociations(extra));
        return out;
      }
      if (process.env["MMS_BENCH_CLIENT_ONLY"] === "assoc") {
        out.push(...(await associations(extra)));
        return out;
      }
      // Both children run at once (same placement); raw and ours alternate round by round.
      const echo = await startChild("echo");
      const mms = await startChild("mms");
      const netSock = netConnect(echo.ports.plain, "127.0.0.1");
      await once(netSock, "connect");
      const netSock8 = netConnect(echo.ports.plain, "127.0.0.1");
      await once(netSock8, "connect");
      const c = pki.entities.client;
      const tlsSock = tlsConnect({
        host: "127.0.0.1",
        port: echo.ports.tls,
        ca: trust,
        cert: c.chainPem,
        key: c.keyPem,
        checkServerIdentity: () => undefined,
      });
      await once(tlsSock, "secureConnect");
      const plain = { kind: "insecure-tcp" as const, host: "127.0.0.1", port: mms.ports.plain };
      const tls = {
        kind: "tls" as const,
        profile: profile("client"),
        host: "127.0.0.1",
        port: mms.ports.tls,
      };
      const seq = await connect({ transport: plain, authentication: "insecure-none" });
      const pipe = await connect({
        transport: plain,
        authentication: "insecure-none",
        initiate: { maxServOutstandingCalling: 8 },
      });
      const st = await connect({ transport: tls, authentication: "insecure-none" });

      const rs = await interleaved(readSampler(seq, 1), echoSampler(netSock, 1));
      out.push({
        name: "client.read-seq-plain",
        value: rs.value,
        unit: "reads/s",
        baseline: "raw node:net 64-octet echo",
        baselineValue: rs.baseline,
        ratio: rs.ratio,
        extra,
      });
      const rp = await interleaved(readSampler(pipe, 8), echoSampler(netSock8, 8));
      out.push({
        name: "client.read-pipe8-plain",
        value: rp.value,
        unit: "reads/s",
        baseline: "raw node:net echo, 8 in flight",
        baselineValue: rp.baseline,
        ratio: rp.ratio,
        extra: { ...extra, vsSequential: rp.value / rs.value },
      });
      const rt = await interleaved(readSampler(st, 1), echoSampler(tlsSock, 1));
      out.push({
        name: "client.read-seq-tls",
        value: rt.value,
        unit: "reads/s",
        baseline: "raw node:tls 64-octet echo",
        baselineValue: rt.baseline,
        ratio: rt.ratio,
        extra,
      });
      await Promise.all([seq.conclude(), pipe.conclude(), st.conclude()]);
      netSock.destroy();
      netSock8.destroy();
      tlsSock.destroy();
      stop(echo);

      if (process.env["MMS_BENCH_CLIENT_ONLY"] === "reads") {
        stop(mms);
        return out;
      }
      stop(mms);
      out.push(...(await associations(extra)));

      out.push(await idleAssociations(extra));
    } finally {
      unpinSelf(restore);
    }
    return out;
  },
};

/**
 * assoc.*: one association per iteration (TCP or TLS 1.2 connect with a full handshake, COTP,
 * both ACSE authentications, MMS initiate, conclude), as issue 5 states. The client holds one
 * certificate mechanism for all its associations, as the server does (its parsed trust anchors,
 * imported keys and verified chains live in it); `extra` reports the cost of building a new one
 * per association, TLS 1.3, and TLS 1.2 session resumption (DECISIONS.md: on by default; a client
 * resumes when given a session cache).
 */
async function associations(extra: Record<string, string>): Promise<BenchResult[]> {
  const mms = await startChild("mms");
  try {
    const plain = { kind: "insecure-tcp" as const, host: "127.0.0.1", port: mms.ports.plain };
    const at = (maxVersion: "TLSv1.2" | "TLSv1.3", resume = false) => ({
      kind: "tls" as const,
      profile: profile("client", maxVersion, resume),
      host: "127.0.0.1",
      port: mms.ports.tls,
      ...(resume ? { sessionCache: new TlsSessionCache() } : {}),
    });
    const tls12 = at("TLSv1.2");
    const auth = mechanism("client");
    const short = { warmupMs: 200, samples: 1, sampleMs: 1000 };
    const ap = await assocRate(() => connect({ transport: plain, authentication: "insecure-none" }));
    const tl = await assocRate(() => connect({ transport: tls12, authentication: "insecure-none" }));
    const ac = await assocRate(() => connect({ transport: tls12, authentication: auth }));
    const fresh = await assocRate(
      () => connect({ transport: tls12, authentication: mechanism("client") }),
      short,
    );
    const tls13 = at("TLSv1.3");
    const t13 = await assocRate(() => connect({ transport: tls13, authentication: auth }), short);
    const resumed = at("TLSv1.2", true);
    const rs = await assocRate(() => connect({ transport: resumed, authentication: auth }), short);
    const certExtra = {
      ...extra,
      tls: "TLSv1.2 full handshake, one mechanism per client",
      newMechanismPerAssocMs: fresh.medianMs,
      tls13Ms: t13.medianMs,
      tls12ResumedMs: rs.medianMs,
      tls12ResumedRate: rs.rate,
    };
    const tlsExtra = { ...extra, tls: "TLSv1.2 full handshake" };
    return [
      { name: "assoc.plain-rate", value: ap.rate, unit: "assoc/s", extra },
      { name: "assoc.tls-rate", value: tl.rate, unit: "assoc/s", extra: tlsExtra },
      { name: "assoc.tls-cert-rate", value: ac.rate, unit: "assoc/s", extra: certExtra },
      { name: "assoc.plain", value: ap.medianMs, unit: "ms", extra },
      { name: "assoc.tls", value: tl.medianMs, unit: "ms", extra: tlsExtra },
      { name: "assoc.tls-cert", value: ac.medianMs, unit: "ms", extra: certExtra },
    ];
  } finally {
    stop(mms);
  }
}

/** RSS per idle plain association on a fresh server process, and a read's latency meanwhile. */
/** The soft limit of open descriptors of this process (and its children). */
function openFileLimit(): number {
  try {
    const n = Number(execFileSync("sh", ["-c", "ulimit -n"]).toString().trim());
    return Number.isFinite(n) ? n : Number.POSITIVE_INFINITY; // "unlimited"
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

async function idleAssociations(extra: Record<string, string>): Promise<BenchResult> {
  // Issue 7's figure: 10 000 associations (each end holds one descriptor per association).
  const n = Math.min(Number(process.env["MMS_BENCH_IDLE"] ?? 10_000), openFileLimit() - 256);
  const mms = await startChild("mms");
  const plain = { kind: "insecure-tcp" as const, host: "127.0.0.1", port: mms.ports.plain };
  const warm = await connect({ transport: plain, authentication: "insecure-none" });
  await warm.identify();
  const before = await mms.rss();
  const clients: MmsClient[] = [];
  for (let i = 0; i < n; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, () =>
        connect({
          transport: plain,
          authentication: "insecure-none",
          timeoutMs: 0,
          connectTimeoutMs: 30_000,
        }),
      ),
    );
    clients.push(...batch);
  }
  await new Promise((r) => setTimeout(r, 500)); // let the last setups settle
  const after = await mms.rss();
  const lat: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t = performance.now();
    await warm.readValue("LD0/GGIO1$MX$AnIn1$mag$f");
    lat.push(performance.now() - t);
  }
  lat.sort((a, b) => a - b);
  for (const c of clients) c.abort();
  warm.abort();
  stop(mms);
  return {
    name: "server.idle-assoc-kb",
    value: (after - before) / n / 1024,
    unit: "KB/assoc",
    extra: {
      ...extra,
      associations: n,
      readMedianMs: lat[lat.length >> 1]!,
      readP99Ms: lat[Math.floor(lat.length * 0.99)]!,
      readMaxMs: lat[lat.length - 1]!,
    },
  };
}
