import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { TLS_PROFILE_DEFAULTS } from "@mms/tls-profile";
import { mapError } from "../error-map";
import { CliError, ExitCode, usageError } from "../exit-codes";
import type { CliIo } from "../io";
import { type Credentials, loadCredentials, parsePort } from "../options";

export const SERVE_HELP = `mms serve [--host ADDR] [--port N] [--tls-port N] [--pki DIR | --cert F --key F --ca F [--crl F]]
          [--model FILE] [--no-plain] [--require-acse-auth] [--password TEXT] [--tick MS]
          [--tls-rekey-messages N] [--tls-rekey-minutes N]
          [--files DIR [--allow-rename] [--insecure-plain-file-write]] [--journal-db FILE]

Runs an MMS server. Without --model it serves the demo model named after libiec61850's
server_example_basic_io (domain simpleIOGenericIO, LLN0 / LPHD1 / GGIO1, data sets
LLN0$Events and LLN0$Measurements, report control block LLN0$RP$EventsRCB01).

  --host ADDR           listen address (default 0.0.0.0)
  --port N              plain ISO-on-TCP port (default 102): the non-secure profile,
                        accepting unauthenticated associations
  --no-plain            do not open the plain port
  --tls-port N          TLS port (default 3782), opened when credentials are given; requires a
                        valid client certificate, then IEC 62351-4 certificate authentication or,
                        when the AARQ carries none, the TLS identity
  --require-acse-auth   TLS port: IEC 62351-4 certificate authentication is mandatory
  --password TEXT       also accept ACSE password authentication with this password (TLS port)
  --insecure-password-without-tls   accept the password on the plain port too (sent in clear)
  --tls-rekey-messages N  TLS 1.2: renegotiate after N messages sent (default 5000; 0 = never)
  --tls-rekey-minutes N   TLS 1.2: renegotiate every N minutes (default 30, at most 1440;
                        0 = never). A client that does not follow is disconnected (IEC 62351-3);
                        libiec61850 1.5 clients refuse every renegotiation
  --pki DIR             DIR/server.pem, DIR/server.key, DIR/ca.pem (DIR/crl.pem if present)
  --cert F --key F --ca F [--crl F]   the same from explicit PEM files
  --model FILE          JSON model file instead of the demo model
  --tick MS             how often demo values change (default 1000)
  --files DIR           serve the files of DIR (ISO 9506-2 Annex D): everyone lists and reads;
                        delete and ObtainFile (upload) need an authenticated identity on the TLS
                        port; the plain port is read-only
  --allow-rename        also offer FileRename (same rights as delete)
  --insecure-plain-file-write   give every association (plain port included) write rights
  --journal-db FILE     keep journals in this SQLite file (default: in memory); the demo model
                        logs each status change (Ind, SPCSO) in simpleIOGenericIO/LLN0$EventLog`;

/** Everything `mms serve` was asked for, validated. */
export interface ServeSettings {
  readonly host: string;
  /** undefined: no plain listener. */
  readonly plainPort: number | undefined;
  /** undefined: no TLS listener. */
  readonly tlsPort: number | undefined;
  readonly credentials: Credentials | undefined;
  readonly requireAcseAuth: boolean;
  readonly password: string | undefined;
  /** Accept the password on the plain port too (the password crosses in clear). */
  readonly insecurePasswordWithoutTls: boolean;
  /** TLS 1.2 rekey schedule of the TLS port; undefined fields keep the profile's defaults. */
  readonly rekey: { readonly maxMessages?: number; readonly intervalMs?: number };
  /** Parsed JSON model file, or undefined for the demo model. */
  readonly model: unknown;
  readonly tickMs: number;
  /** `--files DIR`: the directory served, or undefined for no file services. */
  readonly filesRoot: string | undefined;
  readonly allowRename: boolean;
  /** Write rights on files for every association, the plain port included. */
  readonly insecurePlainFileWrite: boolean;
  /** `--journal-db FILE`: SQLite journal store; undefined: in memory. */
  readonly journalDb: string | undefined;
}

/** A running server: its bound ports and a way to stop it (concluding associations). */
export interface RunningServer {
  readonly plainPort: number | undefined;
  readonly tlsPort: number | undefined;
  /** Extra banner lines (files, journal). */
  readonly banner?: readonly string[];
  close(): Promise<void>;
}

export type ServerStarter = (settings: ServeSettings, io: CliIo) => Promise<RunningServer>;

export async function parseServeArgs(args: string[]): Promise<ServeSettings | "help"> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: false,
    allowNegative: true,
    options: {
      host: { type: "string", default: "0.0.0.0" },
      port: { type: "string" },
      "tls-port": { type: "string" },
      plain: { type: "boolean", default: true },
      pki: { type: "string" },
      cert: { type: "string" },
      key: { type: "string" },
      ca: { type: "string" },
      crl: { type: "string" },
      model: { type: "string" },
      "require-acse-auth": { type: "boolean", default: false },
      password: { type: "string" },
      "insecure-password-without-tls": { type: "boolean", default: false },
      tick: { type: "string", default: "1000" },
      "tls-rekey-messages": { type: "string" },
      "tls-rekey-minutes": { type: "string" },
      files: { type: "string" },
      "allow-rename": { type: "boolean", default: false },
      "insecure-plain-file-write": { type: "boolean", default: false },
      "journal-db": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  if (positionals.length) throw usageError("mms serve takes no arguments");
  const rekeyMessages = count(values["tls-rekey-messages"], "--tls-rekey-messages", 1_000_000_000);
  const rekeyMinutes = count(values["tls-rekey-minutes"], "--tls-rekey-minutes", 24 * 60);
  const credentials = await loadCredentials(values, "server");
  const plainPort = values.plain ? parsePort(values.port, 102) : undefined;
  if (values["tls-port"] !== undefined && !credentials)
    throw usageError("--tls-port needs --pki DIR or --cert/--key/--ca");
  const tlsPort = credentials ? parsePort(values["tls-port"], 3782, "--tls-port") : undefined;
  if (plainPort === undefined && tlsPort === undefined)
    throw usageError("--no-plain without credentials leaves nothing to serve");
  if (values["insecure-password-without-tls"] && values.password === undefined) {
    throw usageError("--insecure-password-without-tls needs --password");
  }
  if (values["require-acse-auth"] && !credentials)
    throw usageError("--require-acse-auth applies to the TLS port: give --pki");
  if ((values["allow-rename"] || values["insecure-plain-file-write"]) && values.files === undefined)
    throw usageError("--allow-rename and --insecure-plain-file-write need --files DIR");
  if ((rekeyMessages ?? rekeyMinutes) !== undefined && !credentials)
    throw usageError("--tls-rekey-messages and --tls-rekey-minutes apply to the TLS port: give --pki");
  const tickMs = Number(values.tick);
  if (!Number.isFinite(tickMs) || tickMs < 10) throw usageError("--tick must be at least 10 ms");
  let model: unknown;
  if (values.model !== undefined) {
    let text: string;
    try {
      text = await readFile(values.model, "utf8");
    } catch (e) {
      throw new CliError(
        ExitCode.file,
        "file",
        `cannot read the model ${values.model}: ${(e as Error).message}`,
      );
    }
    try {
      model = JSON.parse(text);
    } catch (e) {
      throw new CliError(
        ExitCode.file,
        "file",
        `the model ${values.model} is not JSON: ${(e as Error).message}`,
      );
    }
  }
  return {
    host: values.host,
    plainPort,
    tlsPort,
    credentials,
    requireAcseAuth: values["require-acse-auth"],
    password: values.password,
    insecurePasswordWithoutTls: values["insecure-password-without-tls"],
    rekey: {
      ...(rekeyMessages !== undefined ? { maxMessages: rekeyMessages } : {}),
      ...(rekeyMinutes !== undefined ? { intervalMs: rekeyMinutes * 60_000 } : {}),
    },
    model,
    tickMs,
    filesRoot: values.files,
    allowRename: values["allow-rename"],
    insecurePlainFileWrite: values["insecure-plain-file-write"],
    journalDb: values["journal-db"],
  };
}

/** A whole number from 0 to `max`, or undefined when the option is absent. */
function count(text: string | undefined, name: string, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > max) throw usageError(`${name} must be a whole number from 0 to ${max}`);
  return n;
}

/** The TLS 1.2 rekey schedule in effect, when the command line changed any of it. */
function rekeyText(r: ServeSettings["rekey"]): string {
  if (r.maxMessages === undefined && r.intervalMs === undefined) return "";
  const messages = r.maxMessages ?? TLS_PROFILE_DEFAULTS.rekey.maxMessages;
  const intervalMs = r.intervalMs ?? TLS_PROFILE_DEFAULTS.rekey.intervalMs;
  const parts = [];
  if (messages) parts.push(`every ${messages} messages`);
  if (intervalMs) parts.push(`every ${intervalMs / 60_000} minutes`);
  return `; TLS 1.2 rekey ${parts.length ? parts.join(" or ") : "off"}`;
}

/** The start-up banner: what listens where, with which policy. */
export function serveBanner(s: ServeSettings, r: RunningServer): string[] {
  const lines: string[] = [];
  if (r.plainPort !== undefined) {
    lines.push(
      `plain  ${s.host}:${r.plainPort}  NON-SECURE profile: no TLS, unauthenticated associations accepted (--no-plain turns it off)`,
    );
  }
  if (r.tlsPort !== undefined) {
    const acse = s.requireAcseAuth
      ? "IEC 62351-4 certificate authentication required"
      : "IEC 62351-4 certificate authentication, or the TLS identity when the AARQ carries none";
    lines.push(
      `tls    ${s.host}:${r.tlsPort}  IEC 62351-3 TLS, client certificate required; ${acse}${s.password !== undefined ? "; password accepted" : ""}${rekeyText(s.rekey)}`,
    );
  }
  lines.push(
    s.model === undefined
      ? "model  demo model simpleIOGenericIO (server_example_basic_io names)"
      : "model  from --model",
  );
  lines.push(...(r.banner ?? []));
  return lines;
}

export async function serveCommand(args: string[], io: CliIo, start: ServerStarter): Promise<number> {
  const settings = await parseServeArgs(args);
  if (settings === "help") {
    io.out(SERVE_HELP);
    return ExitCode.ok;
  }
  let running: RunningServer;
  try {
    running = await start(settings, io);
  } catch (e) {
    throw mapError(e, "start the server");
  }
  for (const l of serveBanner(settings, running)) io.out(l);
  io.out("serving; Ctrl-C stops (associations are concluded)");
  await new Promise<void>((resolve) => {
    if (!io.signal) return;
    if (io.signal.aborted) resolve();
    io.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await running.close();
  io.out("stopped");
  return ExitCode.ok;
}
