import { CLIENT_HELP, clientCommand } from "./commands/client-commands";
import { openSession } from "./commands/connect";
import { DECODE_HELP, decodeCommand } from "./commands/decode";
import { DEMO_HELP, demoCommand } from "./commands/demo";
import { FILES_HELP, filesCommand } from "./commands/files";
import { JOURNAL_HELP, journalCommand } from "./commands/journal";
import { openClient } from "./commands/open-client";
import { PKI_HELP, pkiCommand } from "./commands/pki";
import { SERVE_HELP, serveCommand } from "./commands/serve";
import { startServer } from "./commands/serve-start";
import { CliError, ExitCode, formatCliError } from "./exit-codes";
import type { CliIo } from "./io";

export const VERSION = "0.0.0";

export const HELP = `mms: a secure MMS (ISO 9506 / IEC 61850-8-1) toolbox

usage: mms <command> [options]

  demo                         server + client in one process over TLS with IEC 62351-4
                               certificate authentication, printing every step
  pki init DIR                 write a throwaway test PKI (ca, server, client, crl)
  serve [options]              run an MMS server with the demo model (ports 102 and 3782)
  identify | ls | read | write | watch   client commands (see mms <command> --help)
  files ls|get|put|rm|mv       file services: list, download, upload (ObtainFile), delete, rename
  journal read DOMAIN/JOURNAL  read a journal (IEC 61850 log) by time range or after an entry
  decode HEX | --file F        layer-by-layer dump of frames or a pcap/pcapng capture
  help [command]               this text, or a command's options

Exit codes: 0 ok, 1 internal error, 2 usage, 3 transport (TCP/TLS), 4 association or
authentication refused, 5 MMS service error or reject, 6 timeout, 7 malformed decode input,
8 local file or PKI problem, 9 not available in this build.`;

type Command = (args: string[], io: CliIo) => Promise<number>;

/** Commands that are wired in through `registerCommands` (client and server commands). */
export interface CommandTable {
  readonly [name: string]: { readonly run: Command; readonly help: string } | undefined;
}

const BASE: CommandTable = {
  decode: { run: decodeCommand, help: DECODE_HELP },
  pki: { run: pkiCommand, help: PKI_HELP },
  serve: { run: (args: string[], io: CliIo) => serveCommand(args, io, startServer), help: SERVE_HELP },
  ...Object.fromEntries(
    ["identify", "ls", "read", "write", "watch"].map((name) => [
      name,
      {
        run: (args: string[], io: CliIo) => clientCommand(name, args, io, openSession),
        help: CLIENT_HELP[name] ?? "",
      },
    ]),
  ),
  demo: { run: demoCommand, help: DEMO_HELP },
  files: { run: (args: string[], io: CliIo) => filesCommand(args, io, openClient), help: FILES_HELP },
  journal: { run: (args: string[], io: CliIo) => journalCommand(args, io, openClient), help: JOURNAL_HELP },
};

/** Runs the `mms` command with its arguments (without `node` and the script); returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo, extra: CommandTable = {}): Promise<number> {
  const table: CommandTable = { ...BASE, ...extra };
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    const topic = rest[0];
    const entry = topic === undefined ? undefined : table[topic];
    io.out(entry ? entry.help : HELP);
    return ExitCode.ok;
  }
  if (command === "--version" || command === "-v") {
    io.out(VERSION);
    return ExitCode.ok;
  }
  const entry = Object.hasOwn(table, command) ? table[command] : undefined;
  if (!entry) {
    io.err(`mms: [usage] unknown command "${command}" (see mms help)`);
    return ExitCode.usage;
  }
  try {
    return await entry.run(rest, io);
  } catch (e) {
    const ce = toCliError(e);
    io.err(formatCliError(ce));
    return ce.exitCode;
  }
}

/** Maps anything thrown to a CliError: parseArgs errors are usage errors, the rest internal. */
export function toCliError(e: unknown): CliError {
  if (e instanceof CliError) return e;
  const err = e as { code?: unknown; message?: unknown };
  if (typeof err?.code === "string" && err.code.startsWith("ERR_PARSE_ARGS")) {
    return new CliError(ExitCode.usage, "usage", String(err.message));
  }
  return new CliError(ExitCode.internal, "cli", e instanceof Error ? (e.stack ?? e.message) : String(e));
}
