import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { connect, type MmsClient } from "@mms/client";
import type { SecurityEvent } from "@mms/io";
import { generateDemoPki } from "@mms/test-pki";
import { mapError } from "../error-map";
import { CliError, ExitCode, usageError } from "../exit-codes";
import { accessResultToText, dataToText } from "../format/data-format";
import { identityText } from "../format/identity";
import type { CliIo } from "../io";
import { DEMO_DOMAIN } from "../model/demo-model";
import { loadCredentials } from "../options";
import { tlsProfileOf } from "./connect";
import { certificateMechanism, type StartedServer, startServer } from "./serve-start";

export const DEMO_HELP = `mms demo [--json] [--keep-pki DIR]

Runs an MMS server and client in one process over TLS with IEC 62351-4 certificate
authentication in both directions: a throwaway PKI, a server on 127.0.0.1 (ephemeral port)
that requires the 62351-4 authentication, and a client that identifies the server, browses,
reads, writes GGIO1$DC$NamPlt$vendor, receives a report and concludes. Prints every step.
  --json          one JSON summary instead of the step-by-step text
  --keep-pki DIR  write the PKI to DIR (kept) instead of a temporary directory`;

/** What the demo did (also its --json output). */
export interface DemoResult {
  readonly tls: { readonly protocol: string; readonly cipher: string };
  readonly serverIdentitySeenByClient: string;
  readonly clientIdentitySeenByServer: string;
  readonly identify: { readonly vendor: string; readonly model: string; readonly revision: string };
  readonly domains: readonly string[];
  readonly variableCount: number;
  readonly reads: readonly { readonly name: string; readonly value: string }[];
  readonly written: { readonly name: string; readonly before: string; readonly after: string };
  readonly report: string | undefined;
  readonly securityEvents: readonly {
    readonly side: "client" | "server";
    readonly code: string;
    readonly severity: string;
  }[];
}

const READS = [
  "GGIO1$MX$AnIn1$mag$f",
  "GGIO1$MX$AnIn2$mag$f",
  "GGIO1$ST$Ind1$stVal",
  "LLN0$DC$NamPlt$vendor",
  "GGIO1$MX$AnIn1",
];
const VENDOR = "GGIO1$DC$NamPlt$vendor";
const RCB = "LLN0$RP$MeasurementsRCB01";

/** Runs the demo; `step` is called with a line for each step. Throws CliError on failure. */
export async function runDemo(step: (line: string) => void, pkiDir?: string): Promise<DemoResult> {
  const dir = pkiDir ?? (await mkdtemp(join(tmpdir(), "mms-demo-")));
  const events: { side: "client" | "server"; code: string; severity: string }[] = [];
  const onEvent = (side: "client" | "server") => (e: SecurityEvent) => {
    events.push({ side, code: e.code, severity: e.severity });
  };
  let server: StartedServer | undefined;
  let client: MmsClient | undefined;
  try {
    await generateDemoPki(dir);
    step(`1. test PKI written to ${dir} (CA, server and client certificates, CRL)`);
    const serverCreds = await loadCredentials({ pki: dir }, "server");
    const clientCreds = await loadCredentials({ pki: dir }, "client");
    if (!serverCreds || !clientCreds) throw new CliError(ExitCode.file, "file", "PKI not readable");
    server = await startServer(
      {
        host: "127.0.0.1",
        plainPort: undefined,
        tlsPort: 0,
        credentials: serverCreds,
        requireAcseAuth: true,
        password: undefined,
        insecurePasswordWithoutTls: false,
        rekey: {},
        model: undefined,
        tickMs: 200,
        filesRoot: undefined,
        allowRename: false,
        insecurePlainFileWrite: false,
        journalDb: undefined,
      },
      { out: () => {}, err: () => {} },
      onEvent("server"),
    );
    step(
      `2. server listening on 127.0.0.1:${server.tlsPort} (TLS only, IEC 62351-4 certificate authentication required)`,
    );
    try {
      client = await connect({
        transport: {
          kind: "tls",
          profile: tlsProfileOf(clientCreds, onEvent("client")),
          host: "127.0.0.1",
          port: server.tlsPort ?? 0,
        },
        authentication: certificateMechanism(clientCreds),
        requireServerAuthentication: true,
        onSecurityEvent: onEvent("client"),
        timeoutMs: 5000,
        connectTimeoutMs: 5000,
      });
    } catch (e) {
      throw mapError(e, "connect");
    }
    const info = client.association.info.tls;
    const tls = { protocol: info?.protocol ?? "?", cipher: info?.cipher ?? "?" };
    step(`3. TLS established: ${tls.protocol}, ${tls.cipher}`);
    const peer = (
      client.association as {
        peer?: { identity?: { mechanism: string; name: string; certificate?: Uint8Array } };
      }
    ).peer;
    const serverIdentity = identityText(peer?.identity);
    const seen = await waitFor(() => [...(server?.server.associations ?? [])][0]);
    const clientIdentity = identityText(seen?.identity);
    step(`4. association accepted; the client authenticated the server: ${serverIdentity}`);
    step(`   the server authenticated the client: ${clientIdentity}`);
    const id = await client.identify();
    step(`5. identify: vendor "${id.vendorName}", model "${id.modelName}", revision "${id.revision}"`);
    const domains = await client.getDomainNames();
    const variables = await client.getVariableNames(DEMO_DOMAIN);
    const lists = await client.getVariableListNames(DEMO_DOMAIN);
    step(
      `6. browse: domains [${domains.join(", ")}]; ${variables.length} variables in ${DEMO_DOMAIN}; data sets [${lists.join(", ")}]`,
    );
    const results = await client.readMany(READS.map((r) => `${DEMO_DOMAIN}/${r}`));
    const reads = READS.map((name, i) => ({
      name,
      value: results[i] ? accessResultToText(results[i]) : "?",
    }));
    step("7. read:");
    for (const r of reads) step(`   ${r.name} = ${r.value}`);
    const vendorRef = `${DEMO_DOMAIN}/${VENDOR}`;
    const before = dataToText(await client.readValue(vendorRef));
    await client.writeValue(vendorRef, { type: "visibleString", value: "ACME demo" });
    const after = dataToText(await client.readValue(vendorRef));
    step(`8. write ${VENDOR}: ${before} -> ${after}`);
    await client.writeValue(`${DEMO_DOMAIN}/${RCB}$RptEna`, { type: "boolean", value: true });
    await client.writeValue(`${DEMO_DOMAIN}/${RCB}$GI`, { type: "boolean", value: true });
    const report = await firstReport(client, 5000);
    step(report ? `9. report received: ${report}` : "9. no report within 5 s");
    await client.conclude();
    client = undefined;
    step("10. concluded (MMS conclude, ACSE release)");
    step(`security events (${events.length}):`);
    for (const e of events) step(`   ${e.side.padEnd(6)} ${e.severity.padEnd(8)} ${e.code}`);
    return {
      tls,
      serverIdentitySeenByClient: serverIdentity,
      clientIdentitySeenByServer: clientIdentity,
      identify: { vendor: id.vendorName, model: id.modelName, revision: id.revision },
      domains,
      variableCount: variables.length,
      reads,
      written: { name: VENDOR, before, after },
      report,
      securityEvents: events,
    };
  } catch (e) {
    throw mapError(e, "demo");
  } finally {
    client?.abort();
    await server?.close();
    if (!pkiDir) await rm(dir, { recursive: true, force: true });
  }
}

async function waitFor<T>(get: () => T | undefined, ms = 2000): Promise<T | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function firstReport(client: MmsClient, ms: number): Promise<string | undefined> {
  const it = client.reports()[Symbol.asyncIterator]();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((r) => {
    timer = setTimeout(() => r(undefined), ms);
  });
  const next = await Promise.race([it.next(), timeout]);
  clearTimeout(timer);
  if (!next || next.done) return undefined;
  const r = next.value;
  const first = r.results[0];
  return `${r.results.length} values, RptID ${first ? accessResultToText(first) : "?"}`;
}

export async function demoCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      "keep-pki": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    io.out(DEMO_HELP);
    return ExitCode.ok;
  }
  if (positionals.length) throw usageError("mms demo takes no arguments");
  const result = await runDemo(values.json ? () => {} : io.out, values["keep-pki"]);
  if (values.json) io.out(JSON.stringify(result));
  else io.out("demo completed");
  return ExitCode.ok;
}
