import { readFile, stat } from "node:fs/promises";
import { parseArgs } from "node:util";
import { isCaptureFile } from "../decode/capture-file";
import {
  DECODE_LAYERS,
  type DecodeLayer,
  decodeBytes,
  decodeCapture,
  parseHex,
} from "../decode/decode-input";
import { renderUnit } from "../decode/layer-report";
import { CliError, ExitCode, usageError } from "../exit-codes";
import type { CliIo } from "../io";

export const DECODE_HELP = `mms decode HEX... | FILE | --file FILE [--layer L] [--port N] [--brief] [--json]

Decodes bytes layer by layer: TPKT, COTP, session, presentation, ACSE, MMS.
  HEX          hex digits (spaces, colons allowed); several arguments are joined
  --file FILE  a pcap or pcapng capture (TCP on --port is reassembled per direction),
               or a text file of hex; "-" reads stdin
  --layer L    where hex input starts: auto (default: TPKT when it starts 03 00, else MMS),
               tpkt, cotp, session, presentation, acse, mms
  --port N     ISO-on-TCP port in captures (default 102)
  --brief      one line per layer, without the BER dump of MMS PDUs
  --json       one JSON object per decoded TPKT`;

export async function decodeCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      file: { type: "string", short: "f" },
      layer: { type: "string", default: "auto" },
      port: { type: "string", default: "102" },
      brief: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    io.out(DECODE_HELP);
    return ExitCode.ok;
  }
  const layer = values.layer as DecodeLayer;
  if (!DECODE_LAYERS.includes(layer)) throw usageError(`--layer must be one of ${DECODE_LAYERS.join(", ")}`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw usageError("--port must be 1..65535");
  let units: ReturnType<typeof decodeBytes>;
  // `mms decode capture.pcapng` reads the file: one positional that names an existing file.
  const file =
    values.file ?? (positionals.length === 1 && (await isFile(positionals[0]!)) ? positionals[0] : undefined);
  if (file !== undefined) {
    if (values.file !== undefined && positionals.length)
      throw usageError("give either HEX or --file, not both");
    const bytes = await readInput(file);
    units = isCaptureFile(bytes)
      ? decodeCapture(bytes, { port })
      : decodeBytes(parseHex(new TextDecoder().decode(bytes)), layer);
  } else {
    if (!positionals.length) throw usageError("mms decode needs HEX or --file FILE (see mms decode --help)");
    units = decodeBytes(parseHex(positionals.join("")), layer);
  }
  let errors = 0;
  for (const u of units) {
    errors += u.lines.filter((l) => l.layer === "ERROR").length;
    if (values.json) {
      io.out(
        JSON.stringify({
          frame: u.frame,
          time: u.time,
          flow: u.flow,
          layers: u.lines.map((l) => ({ layer: l.layer, text: l.text })),
        }),
      );
    } else io.out(renderUnit(u, !values.brief));
  }
  if (!values.json)
    io.out(`${units.length} TPKT${units.length === 1 ? "" : "s"} decoded, ${errors} error(s)`);
  return errors ? ExitCode.decode : ExitCode.ok;
}

async function readInput(path: string): Promise<Uint8Array> {
  try {
    if (path === "-") {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    }
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new CliError(ExitCode.file, "file", `cannot read ${path}: ${(e as Error).message}`);
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
