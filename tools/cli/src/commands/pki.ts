import { parseArgs } from "node:util";
import { generateDemoPki } from "@mms/test-pki";
import { CliError, ExitCode, usageError } from "../exit-codes";
import type { CliIo } from "../io";

export const PKI_HELP = `mms pki init DIR [--days N]

Writes a throwaway test PKI into DIR: ca.pem, ca.key, server.pem, server.key, client.pem,
client.key, crl.pem (empty CRL). Both end-entity certificates are issued by ca.pem for
localhost / 127.0.0.1 and may act as TLS client and server. For trying things out only:
the CA key sits next to the certificates.`;

export async function pkiCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { days: { type: "string", default: "365" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    io.out(PKI_HELP);
    return ExitCode.ok;
  }
  const [sub, dir, ...extra] = positionals;
  if (sub !== "init" || !dir || extra.length) throw usageError("usage: mms pki init DIR [--days N]");
  const days = Number(values.days);
  if (!Number.isFinite(days) || days <= 0) throw usageError("--days must be a positive number");
  try {
    await generateDemoPki(dir, { days });
  } catch (e) {
    throw new CliError(ExitCode.file, "file", `cannot write the PKI to ${dir}: ${(e as Error).message}`);
  }
  io.out(
    `wrote ca.pem ca.key server.pem server.key client.pem client.key crl.pem to ${dir} (valid ${days} days)`,
  );
  return ExitCode.ok;
}
