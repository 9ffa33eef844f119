import { once } from "node:events";
import { connect, createSecureContext, createServer, type SecureContext, type TLSSocket } from "node:tls";
import type { ByteStream } from "@mms/io";
import { connectTls, createTlsProfile, listenTls, type TlsProfile } from "@mms/tls-profile";
import { loadTestPki } from "../../../test-pki/src/index";
import { type BenchResult, measureAsync, type Suite, versus } from "../harness";

// IEC 62351-3 profile over node:tls on loopback: full mutual handshakes per second and 64-octet
// round trips per second, each against raw node:tls with the same certificates in the same run.
const pki = loadTestPki();
const trust = [pki.cas.caA.certPem];
const crls = [pki.cas.caA.crlPem];
const opts = { measure: { warmupMs: 200, samples: 3, sampleMs: 400 } };

function profile(name: "server" | "client", maxVersion: "TLSv1.2" | "TLSv1.3"): TlsProfile {
  const e = pki.entities[name];
  return createTlsProfile({
    trustAnchors: trust,
    crls,
    certificateChain: e.chainPem,
    privateKey: e.keyPem,
    maxVersion,
    resumption: { enabled: false },
  });
}

async function echo(stream: ByteStream): Promise<void> {
  try {
    for await (const c of stream) await stream.write([c]);
  } catch {
    // closed
  }
}

async function rawServer(): Promise<{ port: number; close: () => void }> {
  const s = pki.entities.server;
  const server = createServer(
    { ca: trust, crl: crls, cert: s.chainPem, key: s.keyPem, requestCert: true },
    (sock) => {
      sock.on("error", () => undefined);
      sock.on("data", (d) => sock.write(d));
    },
  );
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { port: (server.address() as { port: number }).port, close: () => server.close() };
}

const c = pki.entities.client;
const rawContexts: Record<"TLSv1.2" | "TLSv1.3", SecureContext> = {
  "TLSv1.2": createSecureContext({
    ca: trust,
    crl: crls,
    cert: c.chainPem,
    key: c.keyPem,
    maxVersion: "TLSv1.2",
  }),
  "TLSv1.3": createSecureContext({
    ca: trust,
    crl: crls,
    cert: c.chainPem,
    key: c.keyPem,
    maxVersion: "TLSv1.3",
  }),
};

/** Raw node:tls client (verification by node, context made once, like the profile's). */
function rawConnect(port: number, maxVersion: "TLSv1.2" | "TLSv1.3"): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: "127.0.0.1", port, secureContext: rawContexts[maxVersion] });
    sock.once("secureConnect", () => resolve(sock));
    sock.once("error", reject);
  });
}

export const suite: Suite = {
  name: "tls",
  async run(): Promise<BenchResult[]> {
    const out: BenchResult[] = [];
    const raw = await rawServer();
    const listener = await listenTls(
      profile("server", "TLSv1.3"),
      { host: "127.0.0.1", port: 0 },
      (s) => void echo(s),
    );
    const port = listener.address().port;
    try {
      for (const v of ["TLSv1.3", "TLSv1.2"] as const) {
        const client = profile("client", v);
        const ours = await measureAsync(async () => {
          const s = await connectTls(client, { host: "127.0.0.1", port });
          s.destroy();
          await s.closed;
        }, opts.measure);
        const base = await measureAsync(async () => {
          const s = await rawConnect(raw.port, v);
          s.destroy();
          await once(s, "close");
        }, opts.measure);
        out.push(
          versus(
            `tls.handshake-${v === "TLSv1.3" ? "13" : "12"}`,
            "hs/s",
            ours.opsPerSec,
            "raw node:tls",
            base.opsPerSec,
          ),
        );
      }

      const payload = new Uint8Array(64);
      const stream = await connectTls(profile("client", "TLSv1.3"), { host: "127.0.0.1", port });
      const it = stream[Symbol.asyncIterator]();
      const ours = await measureAsync(async () => {
        await stream.write([payload]);
        let got = 0;
        while (got < 64) {
          const r = await it.next();
          if (r.done) throw new Error("closed");
          got += r.value.length;
        }
      }, opts.measure);
      stream.destroy();
      const sock = await rawConnect(raw.port, "TLSv1.3");
      const base = await measureAsync(async () => {
        sock.write(payload);
        let got = 0;
        while (got < 64) {
          const [d] = (await once(sock, "data")) as [Buffer];
          got += d.length;
        }
      }, opts.measure);
      sock.destroy();
      out.push(versus("tls.echo-64", "rt/s", ours.opsPerSec, "raw node:tls", base.opsPerSec));
    } finally {
      await listener.close();
      raw.close();
    }
    return out;
  },
};
