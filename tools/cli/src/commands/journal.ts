import { parseArgs } from "node:util";
import { type JournalRange, journalEntries } from "@mms/client";
import { ExitCode, usageError } from "../exit-codes";
import { dataToJson, dataToText } from "../format/data-format";
import type { CliIo } from "../io";
import { CONNECTION_HELP, CONNECTION_OPTIONS, connectionSettings } from "../options";
import { type ClientFactory, withClient } from "./open-client";

export const JOURNAL_HELP = `mms journal read DOMAIN/JOURNAL [--from TIME] [--to TIME]
          [--after-time TIME --after-entry HEX] [--var TAG]... [--max N] [connection options]

Reads a journal (IEC 61850 log) with ReadJournal, every page (ISO 9506-2 §20.4): by time range
(--from/--to, ISO 8601), or the entries after a known one (--after-time and --after-entry, the
entry identifier in hex as printed). --var keeps only the named variables; --max bounds the
entries read (default 1000000). One line per entry: time, entry id, tag=value...

${CONNECTION_HELP}`;

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function time(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw usageError(`${option} is not a time (ISO 8601, e.g. 2026-11-25T12:00:00Z)`);
  return t;
}

/** `mms journal read ...`. */
export async function journalCommand(argv: string[], io: CliIo, open: ClientFactory): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...CONNECTION_OPTIONS,
      from: { type: "string" },
      to: { type: "string" },
      "after-time": { type: "string" },
      "after-entry": { type: "string" },
      var: { type: "string", multiple: true },
      max: { type: "string" },
    },
  });
  if (values.help) {
    io.out(JOURNAL_HELP);
    return ExitCode.ok;
  }
  const [sub, name, ...more] = positionals;
  if (sub !== "read" || name === undefined || more.length)
    throw usageError("mms journal read DOMAIN/JOURNAL");
  let range: JournalRange;
  const afterTime = time(values["after-time"], "--after-time");
  const afterEntry = values["after-entry"];
  if ((afterTime === undefined) !== (afterEntry === undefined)) {
    throw usageError("--after-time and --after-entry go together");
  }
  if (afterTime !== undefined && afterEntry !== undefined) {
    if (values.from !== undefined || values.to !== undefined)
      throw usageError("--after-* excludes --from/--to");
    if (!/^([0-9a-fA-F]{2})+$/.test(afterEntry)) throw usageError("--after-entry must be hex octets");
    range = { startAfter: { time: afterTime, entryId: Uint8Array.from(Buffer.from(afterEntry, "hex")) } };
  } else {
    const from = time(values.from, "--from");
    const to = time(values.to, "--to");
    range = { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
  }
  const max = values.max === undefined ? 1_000_000 : Number(values.max);
  if (!Number.isInteger(max) || max <= 0) throw usageError("--max must be a positive integer");
  const settings = await connectionSettings(values);
  return withClient(open, settings, io.signal, "journal read", async (client) => {
    const rows: unknown[] = [];
    for await (const r of journalEntries(client, name, range, {
      timeoutMs: settings.timeoutMs,
      maxEntries: max,
      ...(values.var ? { variables: values.var } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
    })) {
      const form = r.entry.entryContent.form;
      const vars = form.kind === "data" ? (form.listOfVariables ?? []) : [];
      if (settings.json) {
        rows.push({
          time: r.time.toISOString(),
          entryId: hex(r.entryId),
          ...(form.kind === "annotation" ? { annotation: form.text } : {}),
          variables: vars.map((v) => ({ tag: v.variableTag, value: dataToJson(v.value) })),
        });
      } else {
        const body =
          form.kind === "annotation"
            ? `"${form.text}"`
            : vars.map((v) => `${v.variableTag}=${dataToText(v.value)}`).join(" ");
        io.out(`${r.time.toISOString()}  ${hex(r.entryId)}  ${body}`);
      }
    }
    if (settings.json) io.out(JSON.stringify({ journal: name, entries: rows }));
    return ExitCode.ok;
  });
}
