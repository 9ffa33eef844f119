import type { AccessResult, Data, TypeSpecification } from "@mms/pdu";
import { describe, expect, it } from "vitest";
import { clientCommand } from "../src/commands/client-commands";
import type { CliReport, CliSession, DomainItem } from "../src/commands/session";
import { ExitCode } from "../src/exit-codes";
import { runCli } from "../src/index";

/** A scripted session: enough to test argument handling and output without a server. */
function fakeSession(writes: { name: DomainItem; value: Data }[]): CliSession {
  const values = new Map<string, Data>([
    ["LD/GGIO1$MX$AnIn1$mag$f", { type: "floatingPoint", value: 1.5, width: 32 }],
    ["LD/GGIO1$DC$NamPlt$vendor", { type: "visibleString", value: "MZ" }],
  ]);
  const types = new Map<string, TypeSpecification>([
    ["LD/GGIO1$MX$AnIn1$mag$f", { type: "floatingPoint", formatWidth: 32, exponentWidth: 8 }],
    ["LD/GGIO1$DC$NamPlt$vendor", { type: "visibleString", size: -255 }],
  ]);
  const reports: CliReport[] = [
    { name: "RPT", values: [{ success: true, data: { type: "visibleString", value: "Events" } }] },
    { name: "RPT", values: [{ success: true, data: { type: "boolean", value: true } }] },
  ];
  return {
    security: { tls: undefined, peer: undefined, auth: "none" },
    identify: async () => ({ vendor: "V", model: "M", revision: "1" }),
    domains: async () => ["LD"],
    variables: async () => ["GGIO1", "GGIO1$MX"],
    lists: async () => ["LLN0$Events"],
    typeOf: async (n) => types.get(`${n.domainId}/${n.itemId}`) ?? { type: "boolean" },
    read: async (names) =>
      names.map((n): AccessResult => {
        const v = values.get(`${n.domainId}/${n.itemId}`);
        return v ? { success: true, data: v } : { success: false, error: 10 };
      }),
    readList: async () => [{ success: true, data: { type: "boolean", value: true } }],
    write: async (name, value) => {
      writes.push({ name, value });
      return name.itemId.includes("vendor")
        ? { success: true, error: undefined }
        : { success: false, error: 3 };
    },
    reports: async function* () {
      yield* reports;
    },
    close: async () => undefined,
  };
}

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const writes: { name: DomainItem; value: Data }[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  const [command = "", ...rest] = args;
  let code: number;
  try {
    code = await clientCommand(command, rest, io, async () => fakeSession(writes));
  } catch (e) {
    code = (e as { exitCode: number }).exitCode;
    err.push((e as Error).message);
  }
  return { code, out, err, writes };
}

describe("client commands (scripted session)", () => {
  it("identify prints the three fields, --json one object", async () => {
    expect((await run(["identify"])).out).toEqual(["vendor:   V", "model:    M", "revision: 1"]);
    const j = await run(["identify", "--json"]);
    expect(JSON.parse(j.out[0] ?? "")).toMatchObject({ vendor: "V", model: "M", revision: "1" });
  });

  it("ls lists domains, variables with types and lists", async () => {
    expect((await run(["ls"])).out).toEqual(["LD"]);
    expect((await run(["ls", "LD", "--lists"])).out).toEqual([
      "GGIO1",
      "GGIO1$MX",
      "LLN0$Events  (named variable list)",
    ]);
    const j = JSON.parse((await run(["ls", "LD", "-l", "--json"])).out[0] ?? "");
    expect(j.variables[0]).toEqual({ name: "GGIO1", type: "boolean" });
  });

  it("read prints values; a failed item exits 5 with the DataAccessError", async () => {
    expect((await run(["read", "LD/GGIO1$MX$AnIn1$mag$f"])).out).toEqual(["1.5"]);
    const j = JSON.parse((await run(["read", "LD/GGIO1$MX$AnIn1$mag$f", "--json"])).out[0] ?? "");
    expect(j.results[0]).toEqual({
      name: "LD/GGIO1$MX$AnIn1$mag$f",
      value: { type: "floatingPoint", value: 1.5 },
    });
    const bad = await run(["read", "LD/nope"]);
    expect(bad.code).toBe(ExitCode.service);
  });

  it("read --list reads a data set", async () => {
    expect((await run(["read", "--list", "LD/LLN0$Events"])).out).toEqual(["LD/LLN0$Events = [true]"]);
  });

  it("write takes the type from the server, or --type; refusals exit 5", async () => {
    const ok = await run(["write", "LD/GGIO1$DC$NamPlt$vendor", "ACME"]);
    expect(ok.code).toBe(0);
    expect(ok.writes[0]?.value).toEqual({ type: "visibleString", value: "ACME" });
    const typed = await run(["write", "LD/GGIO1$DC$NamPlt$vendor", "true", "--type", "boolean"]);
    expect(typed.writes[0]?.value).toEqual({ type: "boolean", value: true });
    expect((await run(["write", "LD/x", "1", "--type", "integer"])).code).toBe(ExitCode.service);
    expect((await run(["write", "LD/x", "abc", "--type", "integer"])).code).toBe(ExitCode.usage);
  });

  it("watch stops after --count reports", async () => {
    const r = await run(["watch", "--count", "1"]);
    expect(r.out.filter((l) => l.startsWith("report"))).toEqual(['report 1 RPT: "Events"']);
  });

  it("usage errors exit 2 before connecting", async () => {
    expect((await run(["read"])).code).toBe(ExitCode.usage);
    expect((await run(["read", "nodomain"])).code).toBe(ExitCode.usage);
    expect((await run(["identify", "--auth", "password"])).code).toBe(ExitCode.usage);
    expect((await run(["identify", "--tls"])).code).toBe(ExitCode.usage);
  });

  it("missing credential files exit 8 through the front end", async () => {
    const err: string[] = [];
    const code = await runCli(["identify", "--tls", "--pki", "/nonexistent-dir"], {
      out: () => {},
      err: (l) => err.push(l),
    });
    expect(code).toBe(ExitCode.file);
    expect(err[0]).toMatch(/^mms: \[file\] cannot read the certificate/);
  });
});
