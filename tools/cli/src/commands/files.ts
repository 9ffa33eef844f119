import { open as openFile, stat, unlink } from "node:fs/promises";
import { basename } from "node:path";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { deleteFile, downloadFile, listFiles, type MmsClient, putFile, renameFile } from "@mms/client";
import { CliError, ExitCode, usageError } from "../exit-codes";
import { formatBytes, ProgressBar, type ProgressSink } from "../format/progress";
import type { CliIo } from "../io";
import { CONNECTION_HELP, CONNECTION_OPTIONS, type ConnectionSettings, connectionSettings } from "../options";
import { parseArgs } from "node:util";
import { type ClientFactory, withClient } from "./open-client";

export const FILES_HELP = `mms files ls [SPEC] | get REMOTE [LOCAL|-] | put LOCAL [REMOTE] | rm REMOTE | mv FROM TO
          [--no-progress] [--read-ahead N] [connection options]

File services (ISO 9506-2 Annex D):
  ls [SPEC]           directory listing (every page): size, modification time, name
  get REMOTE [LOCAL]  download (FileOpen/FileRead/FileClose) to LOCAL (default: the base name;
                      '-' writes to stdout); a partial file is removed on failure
  put LOCAL [REMOTE]  upload by ObtainFile: the server fetches LOCAL from us and stores it as
                      REMOTE (default: the base name)
  rm REMOTE           FileDelete
  mv FROM TO          FileRename (many servers do not offer it)
--read-ahead N keeps N FileReads in flight during get (default 1; at most what the server
negotiated). Transfers show a progress bar (bytes, rate, ETA) when stderr is a terminal; none when piped or
with --json (then one JSON document on stdout).

${CONNECTION_HELP}`;

interface Parsed {
  readonly sub: string;
  readonly args: readonly string[];
  readonly progress: boolean;
  readonly readAhead: number;
}

/** `mms files ...`; `progress` is where the bar goes (default process.stderr). */
export async function filesCommand(
  argv: string[],
  io: CliIo,
  open: ClientFactory,
  progress: ProgressSink = process.stderr,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...CONNECTION_OPTIONS,
      "no-progress": { type: "boolean", default: false },
      "read-ahead": { type: "string", default: "1" },
    },
  });
  if (values.help) {
    io.out(FILES_HELP);
    return ExitCode.ok;
  }
  const [sub, ...args] = positionals;
  const arity: Record<string, [number, number]> = {
    ls: [0, 1],
    get: [1, 2],
    put: [1, 2],
    rm: [1, 1],
    mv: [2, 2],
  };
  const range = sub === undefined ? undefined : arity[sub];
  if (sub === undefined || !range)
    throw usageError("mms files needs ls, get, put, rm or mv (see mms files --help)");
  if (args.length < range[0] || args.length > range[1])
    throw usageError(`wrong number of arguments for files ${sub}`);
  const readAhead = Number(values["read-ahead"]);
  if (!Number.isInteger(readAhead) || readAhead < 1 || readAhead > 16) {
    throw usageError("--read-ahead must be 1..16");
  }
  const settings = await connectionSettings(values);
  const p: Parsed = { sub, args, progress: !values["no-progress"] && !settings.json, readAhead };
  return withClient(open, settings, io.signal, `files ${sub}`, (client) =>
    run(client, p, settings, io, progress),
  );
}

async function run(
  c: MmsClient,
  p: Parsed,
  s: ConnectionSettings,
  io: CliIo,
  sink: ProgressSink,
): Promise<number> {
  const opts = { timeoutMs: s.timeoutMs, ...(io.signal ? { signal: io.signal } : {}) };
  const [a, b] = p.args as [string, string | undefined];
  switch (p.sub) {
    case "ls": {
      const entries = await listFiles(c, a, opts);
      if (s.json) {
        io.out(
          JSON.stringify({
            files: entries.map((e) => ({
              name: e.fileName.join("/"),
              size: e.sizeOfFile,
              lastModified: e.lastModified?.toISOString(),
            })),
          }),
        );
      } else {
        for (const e of entries) {
          const when = e.lastModified ? e.lastModified.toISOString().replace(/\.\d+Z$/, "Z") : "-".padEnd(20);
          io.out(`${String(e.sizeOfFile).padStart(12)}  ${when}  ${e.fileName.join("/")}`);
        }
      }
      return ExitCode.ok;
    }
    case "get": {
      const local = b ?? basename(a);
      const toStdout = local === "-";
      const bar = new ProgressBar(sink, p.progress && !toStdout);
      const started = Date.now();
      // Never overwrite: the local file is created here, before the transfer starts.
      const handle = toStdout
        ? undefined
        : await openFile(local, "wx").catch((e: unknown) => {
            const what =
              (e as { code?: unknown }).code === "EEXIST" ? "exists (remove it first)" : "cannot be created";
            throw new CliError(ExitCode.file, "file", `${local} ${what}`);
          });
      const out: Writable = handle ? handle.createWriteStream() : process.stdout;
      let n = 0;
      let size = 0;
      try {
        for await (const chunk of downloadFile(c, a, {
          ...opts,
          readAhead: p.readAhead,
          onOpen: (f) => {
            size = f.sizeOfFile;
            bar.setTotal(size);
          },
        })) {
          if (!out.write(chunk)) await new Promise((r) => out.once("drain", r));
          n += chunk.length;
          bar.update(n);
        }
        if (!toStdout) {
          out.end();
          await finished(out);
        }
      } catch (e) {
        if (handle) {
          out.destroy();
          await unlink(local).catch(() => undefined);
        }
        throw e;
      }
      bar.finish(n);
      report(io, s.json, { file: a, to: local, bytes: n, size, ms: Date.now() - started }, toStdout);
      return ExitCode.ok;
    }
    case "put": {
      const remote = b ?? basename(a);
      const size = await stat(a).then(
        (x) => x.size,
        () => {
          throw new CliError(ExitCode.file, "file", `cannot read ${a}`);
        },
      );
      const bar = new ProgressBar(sink, p.progress, size);
      const started = Date.now();
      let sent = 0;
      await putFile(c, a, remote, {
        ...(io.signal ? { signal: io.signal } : {}),
        onProgress: (x) => {
          sent = x;
          bar.update(x);
        },
      });
      bar.finish(sent);
      report(io, s.json, { file: a, to: remote, bytes: sent, size, ms: Date.now() - started }, false);
      return ExitCode.ok;
    }
    case "rm":
      await deleteFile(c, a, opts);
      if (s.json) io.out(JSON.stringify({ deleted: a }));
      return ExitCode.ok;
    case "mv":
      await renameFile(c, a, b as string, opts);
      if (s.json) io.out(JSON.stringify({ renamed: a, to: b }));
      return ExitCode.ok;
    default:
      throw usageError(`unknown files command ${p.sub}`);
  }
}

function report(
  io: CliIo,
  json: boolean,
  r: { file: string; to: string; bytes: number; size: number; ms: number },
  quiet: boolean,
): void {
  if (json) io.out(JSON.stringify(r));
  else if (!quiet) {
    const rate = r.ms > 0 ? `${formatBytes(Math.round((r.bytes * 1000) / r.ms))}/s` : "";
    io.out(`${r.file} -> ${r.to}: ${formatBytes(r.bytes)} in ${(r.ms / 1000).toFixed(2)} s ${rate}`.trim());
  }
}
