import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as netServer, connect as netConnect, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { connect as tlsConnect, createServer as tlsServer, type TLSSocket } from "node:tls";
import {
  acceptCotp,
  type CotpConnection,
  CotpMachine,
  connect,
  listen,
  openCotp,
  TpktFramer,
} from "@mms/cotp";
import type { ByteStream } from "@mms/io";
import { fromSocket } from "@mms/io/node";
import { type BenchResult, measureOps, type Suite } from "../harness";

// COTP figures (issue 3): TPKT+DT framing and parsing in memory (cotp.frame-64, cotp.frame-8k),
// and loopback echo of TSDUs through cotp over TCP and TLS against a raw node:net / node:tls echo
// measured in the same run (cotp.echo-tcp, cotp.echo-tls).

const HOST = "127.0.0.1";

/** Two machines in the data phase at the given TPDU size. */
function openPair(tpduSize: number): { tx: CotpMachine; rx: CotpMachine } {
  const tx = new CotpMachine({ role: "initiator", maxTpduSize: tpduSize });
  const rx = new CotpMachine({ role: "responder", maxTpduSize: tpduSize });
  tx.connectRequest();
  rx.receive(new TpktFramer().push(joinChain(tx.takeOutgoing()))[0]!);
  tx.receive(new TpktFramer().push(joinChain(rx.takeOutgoing()))[0]!);
  return { tx, rx };
}

function joinChain(chain: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chain.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chain) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Negotiated TPDU size 8192. One op frames `count` TSDUs of `tpduSize - 3` octets into TPKT+DT (machine.dataRequest), and
 * parses `count` TPDUs from one received chunk (framer + machine.receive, as the driver does).
 */
function frameBench(name: string, tpduSize: number, count: number): BenchResult {
  const { tx, rx } = openPair(8192);
  const payload = new Uint8Array(tpduSize - 3).fill(0x61);
  const chain = [payload];
  for (let i = 0; i < count; i++) tx.dataRequest(chain);
  const wire = joinChain(tx.takeOutgoing()); // what one socket read would deliver
  const framer = new TpktFramer();
  let views = 0;
  let sharedBuffer = 0;
  const op = (): number => {
    for (let i = 0; i < count; i++) tx.dataRequest(chain);
    const out = tx.takeOutgoing();
    let delivered = 0;
    for (const t of framer.push(wire)) {
      const ev = rx.receive(t);
      if (ev.length === 1) delivered++;
    }
    return out.length + delivered;
  };
  for (const t of framer.push(wire)) {
    views++;
    const ev = rx.receive(t)[0];
    if (ev?.type === "dataIndication" && ev.tsdu.buffer === wire.buffer) sharedBuffer++;
  }
  const m = measureOps(op, { samples: 7, sampleMs: 200 });
  return {
    name,
    value: m.opsPerSec * count,
    unit: "TPDU/s",
    extra: {
      bytesAllocPerTpdu: m.bytesPerOp / count,
      copiesPerTpdu: (views - sharedBuffer) / Math.max(1, views),
      tpduSize,
    },
  };
}

// --- raw echo baselines -------------------------------------------------------------------

interface RawClient {
  roundTrip(data: Uint8Array): Promise<void>;
  close(): void;
}

/** Sends `data`, resolves when as many octets came back. */
function rawClient(socket: Socket | TLSSocket): RawClient {
  let want = 0;
  let resolve: (() => void) | undefined;
  socket.on("data", (d: Buffer) => {
    want -= d.length;
    if (want <= 0 && resolve) {
      const r = resolve;
      resolve = undefined;
      r();
    }
  });
  return {
    roundTrip(data) {
      want += data.length;
      return new Promise<void>((r) => {
        resolve = r;
        socket.write(data);
      });
    },
    close: () => socket.destroy(),
  };
}

const listening = (server: Server): Promise<number> =>
  new Promise((r) => server.listen(0, HOST, () => r((server.address() as { port: number }).port)));

/** Round trips per second of `fn` over about `ms`, and process CPU microseconds per round trip. */
async function rate(fn: () => Promise<unknown>, ms: number): Promise<[number, number]> {
  const s = performance.now();
  const c0 = process.cpuUsage();
  let n = 0;
  while (performance.now() - s < ms) {
    await fn();
    n++;
  }
  const c = process.cpuUsage(c0);
  return [(n * 1000) / (performance.now() - s), (c.user + c.system) / n];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Measures cotp and raw round trips in alternating short samples (the machine is shared, so
 * interleaving keeps both under the same load) and reports the medians and the median ratio.
 */
async function interleaved(client: CotpConnection, raw: RawClient, size: number): Promise<Echo> {
  const it = client[Symbol.asyncIterator]();
  const msg = new Uint8Array(size).fill(1);
  const chain = [msg];
  const viaCotp = async (): Promise<void> => {
    await client.send(chain);
    await it.next();
  };
  const viaRaw = (): Promise<void> => raw.roundTrip(msg);
  await rate(viaCotp, 150);
  await rate(viaRaw, 150);
  const a: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  const cpuA: number[] = [];
  const cpuB: number[] = [];
  for (let k = 0; k < 7; k++) {
    const [x, cx] = await rate(viaCotp, 150);
    const [y, cy] = await rate(viaRaw, 150);
    a.push(x);
    b.push(y);
    ratios.push(x / y);
    cpuA.push(cx);
    cpuB.push(cy);
  }
  return {
    rtt: median(a),
    rawRtt: median(b),
    ratio: median(ratios),
    cpuUs: median(cpuA),
    rawCpuUs: median(cpuB),
  };
}

/** Medians of the interleaved samples (client and server run in this one process). */
interface Echo {
  rtt: number;
  rawRtt: number;
  ratio: number;
  cpuUs: number;
  rawCpuUs: number;
}

function echoResults(
  name: string,
  baseline: string,
  small: Echo,
  large: Echo,
  sizes: [number, number],
): BenchResult {
  const mbps = (rtt: number, size: number): number => (rtt * size * 2) / 1e6;
  return {
    name,
    value: small.rtt,
    unit: "rtt/s",
    baseline,
    baselineValue: small.rawRtt,
    ratio: small.ratio,
    extra: {
      tsduSize: sizes[0],
      mbPerSec: mbps(small.rtt, sizes[0]),
      rawMbPerSec: mbps(small.rawRtt, sizes[0]),
      // CPU per round trip is less sensitive to a shared machine than wall-clock rates.
      cpuUsPerRtt: small.cpuUs,
      rawCpuUsPerRtt: small.rawCpuUs,
      cpuRatio: small.rawCpuUs / small.cpuUs,
      largeTsduSize: sizes[1],
      largeRttPerSec: large.rtt,
      largeMbPerSec: mbps(large.rtt, sizes[1]),
      largeRawMbPerSec: mbps(large.rawRtt, sizes[1]),
      largeRatio: large.ratio,
      largeCpuRatio: large.rawCpuUs / large.cpuUs,
    },
  };
}

const SIZES: [number, number] = [1024, 60_000];

async function echoTcp(): Promise<BenchResult> {
  const cotpServer = await listen({ host: HOST, port: 0 }, (c) => {
    void (async () => {
      try {
        for await (const m of c) await c.send([m]);
      } catch {}
    })();
  });
  const raw = netServer({ noDelay: true }, (s) => {
    s.on("data", (d) => s.write(d));
    s.on("error", () => {});
  });
  const rawPort = await listening(raw);
  try {
    const client = await connect({ host: HOST, port: cotpServer.address().port });
    const rawSocket = netConnect({ host: HOST, port: rawPort, noDelay: true });
    await new Promise((r) => rawSocket.once("connect", r));
    const rc = rawClient(rawSocket);
    const small = await interleaved(client, rc, SIZES[0]);
    const large = await interleaved(client, rc, SIZES[1]);
    await client.close();
    rc.close();
    return echoResults("cotp.echo-tcp", "node:net echo", small, large, SIZES);
  } finally {
    raw.close();
    await cotpServer.close();
  }
}

interface Pki {
  key: string;
  cert: string;
  ca: string;
  clientKey: string;
  clientCert: string;
  cleanup(): void;
}

/** tools/test-pki fixtures when present, else a throwaway self-signed pair from openssl. */
function pki(): Pki | undefined {
  const fixtures = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "test-pki", "fixtures");
  const f = (n: string): string => readFileSync(join(fixtures, n), "utf8");
  if (existsSync(join(fixtures, "server.pem")) && existsSync(join(fixtures, "client.pem")))
    return {
      key: f("server.key"),
      cert: f("server.chain.pem"),
      ca: f("caA.pem"),
      clientKey: f("client.key"),
      clientCert: f("client.chain.pem"),
      cleanup: () => {},
    };
  const dir = mkdtempSync(join(tmpdir(), "cotp-bench-"));
  const r = spawnSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"].concat([
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      join(dir, "k.pem"),
      "-out",
      join(dir, "c.pem"),
    ]),
    { stdio: "ignore" },
  );
  if (r.status !== 0) return undefined;
  const key = readFileSync(join(dir, "k.pem"), "utf8");
  const cert = readFileSync(join(dir, "c.pem"), "utf8");
  return {
    key,
    cert,
    ca: cert,
    clientKey: key,
    clientCert: cert,
    cleanup: () => rmSync(dir, { recursive: true }),
  };
}

async function echoTls(): Promise<BenchResult | undefined> {
  const p = pki();
  if (!p) return undefined;
  const serverOptions = { key: p.key, cert: p.cert, ca: p.ca, requestCert: true, rejectUnauthorized: true };
  const clientOptions = (port: number) => ({
    host: HOST,
    port,
    ca: p.ca,
    key: p.clientKey,
    cert: p.clientCert,
    servername: "localhost",
  });
  const cotpServer = tlsServer(serverOptions, (s) => {
    s.setNoDelay(true);
    s.on("error", () => {});
    acceptCotp(fromSocket(s)).then(
      (c) =>
        void (async () => {
          try {
            for await (const m of c) await c.send([m]);
          } catch {}
        })(),
      () => {},
    );
  });
  const raw = tlsServer(serverOptions, (s) => {
    s.setNoDelay(true);
    s.on("data", (d) => s.write(d));
    s.on("error", () => {});
  });
  const cotpPort = await listening(cotpServer);
  const rawPort = await listening(raw);
  const secure = (port: number): Promise<TLSSocket> =>
    new Promise((resolve, reject) => {
      const s = tlsConnect(clientOptions(port), () => {
        s.setNoDelay(true);
        resolve(s);
      });
      s.once("error", reject);
    });
  try {
    const stream: ByteStream = fromSocket(await secure(cotpPort));
    const client = await openCotp(stream);
    const rc = rawClient(await secure(rawPort));
    const small = await interleaved(client, rc, SIZES[0]);
    const large = await interleaved(client, rc, SIZES[1]);
    await client.close();
    rc.close();
    return echoResults("cotp.echo-tls", "node:tls echo", small, large, SIZES);
  } finally {
    cotpServer.close();
    raw.close();
    p.cleanup();
  }
}

export const suite: Suite = {
  name: "cotp",
  async run(): Promise<BenchResult[]> {
    const results: BenchResult[] = [
      frameBench("cotp.frame-64", 64, 1000),
      frameBench("cotp.frame-8k", 8192, 64),
    ];
    results.push(await echoTcp());
    const tls = await echoTls();
    if (tls) results.push(tls);
    return results;
  },
};
