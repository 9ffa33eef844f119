import { parseArgs } from "node:util";
import type { AccessResult } from "@mms/pdu";
import { mapError } from "../error-map";
import { CliError, ExitCode, usageError } from "../exit-codes";
import {
  accessResultToText,
  dataAccessErrorName,
  dataToJson,
  parseValue,
  typeText,
  WRITE_TYPES,
  type WriteType,
  writeTypeFor,
} from "../format/data-format";
import type { CliIo } from "../io";
import { CONNECTION_HELP, CONNECTION_OPTIONS, type ConnectionSettings, connectionSettings } from "../options";
import type { CliSession, DomainItem, SessionFactory } from "./session";

export const CLIENT_HELP: Record<string, string> = {
  identify: `mms identify [connection options]\n\nPrints the server's vendor, model and revision.\n\n${CONNECTION_HELP}`,
  ls: `mms ls [DOMAIN] [-l] [--lists] [connection options]\n\nLists domains, or the variables of DOMAIN (-l: with types; --lists: named variable lists).\n\n${CONNECTION_HELP}`,
  read: `mms read DOMAIN/ITEM... [--list] [connection options]\n\nReads variables, e.g. 'simpleIOGenericIO/GGIO1$MX$AnIn1$mag$f'; with --list, reads named variable\nlists (data sets), e.g. --list 'simpleIOGenericIO/LLN0$Measurements'.\n\n${CONNECTION_HELP}`,
  write: `mms write DOMAIN/ITEM VALUE [--type T] [connection options]\n\nWrites one value; the type comes from the server unless --type is one of\n${WRITE_TYPES.join(", ")}.\n\n${CONNECTION_HELP}`,
  watch: `mms watch [--rcb DOMAIN/LN$RP$NAME] [--count N] [--duration S] [connection options]\n\nPrints InformationReports. --rcb enables an IEC 61850 report control block first (RptEna, GI).\n\n${CONNECTION_HELP}`,
};

/** Parses `DOMAIN/ITEM`. */
export function parseDomainItem(text: string): DomainItem {
  const slash = text.indexOf("/");
  if (slash <= 0 || slash === text.length - 1) throw usageError(`"${text}" is not DOMAIN/ITEM`);
  return { domainId: text.slice(0, slash), itemId: text.slice(slash + 1) };
}

const nameOf = (n: DomainItem): string => `${n.domainId}/${n.itemId}`;

function resultJson(r: AccessResult): unknown {
  return r.success ? dataToJson(r.data) : { error: dataAccessErrorName(r.error) };
}

/** Runs one client command with a session from `open`. */
export async function clientCommand(
  command: string,
  args: string[],
  io: CliIo,
  open: SessionFactory,
): Promise<number> {
  const extra = {
    l: { type: "boolean", short: "l", default: false },
    lists: { type: "boolean", default: false },
    list: { type: "boolean", default: false },
    type: { type: "string" },
    count: { type: "string" },
    duration: { type: "string" },
    rcb: { type: "string" },
  } as const;
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...CONNECTION_OPTIONS, ...extra },
  });
  if (values.help) {
    io.out(CLIENT_HELP[command] ?? "");
    return ExitCode.ok;
  }
  // Validate the command's own arguments before connecting.
  let names: DomainItem[] = [];
  let writeValue: { name: DomainItem; text: string; type: WriteType | undefined } | undefined;
  switch (command) {
    case "identify":
      if (positionals.length) throw usageError("mms identify takes no arguments");
      break;
    case "ls":
      if (positionals.length > 1) throw usageError("mms ls takes at most one DOMAIN");
      break;
    case "read":
      if (!positionals.length) throw usageError("mms read needs DOMAIN/ITEM");
      names = positionals.map(parseDomainItem);
      break;
    case "write": {
      const [item, text, ...more] = positionals;
      if (item === undefined || text === undefined || more.length)
        throw usageError("mms write needs DOMAIN/ITEM VALUE");
      const type = values.type as WriteType | undefined;
      if (type !== undefined && !WRITE_TYPES.includes(type))
        throw usageError(`--type must be one of ${WRITE_TYPES.join(", ")}`);
      if (type) parseValue(text, type);
      writeValue = { name: parseDomainItem(item), text, type };
      break;
    }
    case "watch":
      if (positionals.length) throw usageError("mms watch takes no arguments");
      break;
    default:
      throw usageError(`unknown command ${command}`);
  }
  const settings = await connectionSettings(values);
  let session: CliSession;
  try {
    session = await open(settings, io.signal);
  } catch (e) {
    throw mapError(e, `connect to ${settings.host}:${settings.port}`);
  }
  try {
    return await runWith(command, session, settings, io, { values, positionals, names, writeValue });
  } catch (e) {
    throw mapError(e, command);
  } finally {
    await session.close().catch(() => undefined);
  }
}

interface Parsed {
  readonly values: {
    list?: boolean;
    l?: boolean;
    lists?: boolean;
    count?: string | undefined;
    duration?: string | undefined;
    rcb?: string | undefined;
  };
  readonly positionals: string[];
  readonly names: DomainItem[];
  readonly writeValue: { name: DomainItem; text: string; type: WriteType | undefined } | undefined;
}

async function runWith(
  command: string,
  s: CliSession,
  settings: ConnectionSettings,
  io: CliIo,
  p: Parsed,
): Promise<number> {
  const json = settings.json;
  switch (command) {
    case "identify": {
      const id = await s.identify();
      if (json) io.out(JSON.stringify({ ...id, security: s.security }));
      else {
        io.out(`vendor:   ${id.vendor}`);
        io.out(`model:    ${id.model}`);
        io.out(`revision: ${id.revision}`);
      }
      return ExitCode.ok;
    }
    case "ls": {
      const domain = p.positionals[0];
      if (domain === undefined) {
        const domains = await s.domains();
        if (json) io.out(JSON.stringify({ domains }));
        else for (const d of domains) io.out(d);
        return ExitCode.ok;
      }
      const variables = await s.variables(domain);
      const lists = p.values.lists ? await s.lists(domain) : undefined;
      if (p.values.l) {
        const typed: { name: string; type: string }[] = [];
        // Requests are pipelined by the client up to the negotiated outstanding limit.
        const types = await Promise.all(variables.map((v) => s.typeOf({ domainId: domain, itemId: v })));
        variables.forEach((v, i) => {
          const t = types[i];
          if (t) typed.push({ name: v, type: typeText(t) });
        });
        if (json) io.out(JSON.stringify({ domain, variables: typed, lists }));
        else for (const t of typed) io.out(`${t.name}  ${t.type}`);
      } else if (json) io.out(JSON.stringify({ domain, variables, lists }));
      else for (const v of variables) io.out(v);
      if (lists && !json) for (const l of lists) io.out(`${l}  (named variable list)`);
      return ExitCode.ok;
    }
    case "read": {
      if (p.values.list) {
        const out: { name: string; results: AccessResult[] }[] = [];
        for (const n of p.names) out.push({ name: nameOf(n), results: await s.readList(n) });
        if (json)
          io.out(
            JSON.stringify({
              lists: out.map((l) => ({ name: l.name, results: l.results.map((r) => wrap(r)) })),
            }),
          );
        else for (const l of out) io.out(`${l.name} = [${l.results.map(accessResultToText).join(", ")}]`);
        return ExitCode.ok;
      }
      const results = await s.read(p.names);
      const failed = results.filter((r) => !r.success).length;
      if (json) {
        io.out(
          JSON.stringify({ results: p.names.map((n, i) => ({ name: nameOf(n), ...wrap(results[i]) })) }),
        );
      } else {
        p.names.forEach((n, i) => {
          const r = results[i];
          io.out(
            p.names.length === 1
              ? r
                ? accessResultToText(r)
                : "?"
              : `${nameOf(n)} = ${r ? accessResultToText(r) : "?"}`,
          );
        });
      }
      if (failed) {
        const first = results.find((r) => !r.success);
        throw new CliError(
          ExitCode.service,
          "mms",
          `read: ${failed} of ${results.length} item(s) failed`,
          first && !first.success ? dataAccessErrorName(first.error) : undefined,
        );
      }
      return ExitCode.ok;
    }
    case "write": {
      const w = p.writeValue;
      if (!w) return ExitCode.usage;
      let type = w.type;
      if (!type) {
        const spec = await s.typeOf(w.name);
        type = writeTypeFor(spec);
        if (!type)
          throw usageError(`${nameOf(w.name)} is a ${typeText(spec)}: give --type for a simple value`);
      }
      const r = await s.write(w.name, parseValue(w.text, type));
      if (json)
        io.out(
          JSON.stringify({
            name: nameOf(w.name),
            success: r.success,
            error: r.success ? undefined : dataAccessErrorName(r.error),
          }),
        );
      else if (r.success) io.out(`wrote ${nameOf(w.name)}`);
      if (!r.success)
        throw new CliError(
          ExitCode.service,
          "mms",
          `write ${nameOf(w.name)} refused`,
          dataAccessErrorName(r.error),
        );
      return ExitCode.ok;
    }
    case "watch": {
      const count = p.values.count === undefined ? Number.POSITIVE_INFINITY : Number(p.values.count);
      if (!(count > 0)) throw usageError("--count must be a positive number");
      const duration = p.values.duration === undefined ? undefined : Number(p.values.duration);
      if (duration !== undefined && !(duration > 0))
        throw usageError("--duration must be a positive number of seconds");
      const stop = new AbortController();
      const timer = duration === undefined ? undefined : setTimeout(() => stop.abort(), duration * 1000);
      io.signal?.addEventListener("abort", () => stop.abort(), { once: true });
      if (p.values.rcb !== undefined) {
        if (!s.enableReports)
          throw new CliError(ExitCode.unavailable, "cli", "enabling report control blocks is not available");
        await s.enableReports(parseDomainItem(p.values.rcb));
      }
      if (!json) io.out("waiting for reports (Ctrl-C to stop)");
      let n = 0;
      const it = s.reports()[Symbol.asyncIterator]();
      const aborted = new Promise<undefined>((resolve) =>
        stop.signal.addEventListener("abort", () => resolve(undefined), { once: true }),
      );
      try {
        while (n < count && !stop.signal.aborted) {
          const next = await Promise.race([it.next(), aborted]);
          if (!next || next.done) break;
          n++;
          const r = next.value;
          if (json) io.out(JSON.stringify({ name: r.name, values: r.values.map(resultJson) }));
          else io.out(`report ${n} ${r.name}: ${r.values.map(accessResultToText).join(" | ")}`);
        }
      } finally {
        if (timer) clearTimeout(timer);
        // An async generator's return() waits for a pending next(): after --duration (or Ctrl-C)
        // with no report arriving it would never settle. Closing the session ends that next().
        const done = it.return?.();
        if (stop.signal.aborted) done?.catch(() => undefined);
        else await done;
      }
      if (!json) io.out(`${n} report(s)`);
      return ExitCode.ok;
    }
    default:
      return ExitCode.usage;
  }
}

function wrap(r: AccessResult | undefined): Record<string, unknown> {
  if (!r) return { error: "missing" };
  return r.success ? { value: dataToJson(r.data) } : { error: dataAccessErrorName(r.error) };
}
