import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CliError, ExitCode, usageError } from "./exit-codes";

/** Options every client command accepts (`mms identify | ls | read | write | watch`). */
export const CONNECTION_OPTIONS = {
  host: { type: "string", default: "127.0.0.1" },
  port: { type: "string" },
  tls: { type: "boolean", default: false },
  pki: { type: "string" },
  cert: { type: "string" },
  key: { type: "string" },
  ca: { type: "string" },
  crl: { type: "string" },
  auth: { type: "string" },
  password: { type: "string" },
  timeout: { type: "string", default: "10000" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h" },
} as const;

export const CONNECTION_HELP = `connection options:
  --host ADDR              server address (default 127.0.0.1)
  --port N                 default 102, or 3782 with --tls
  --tls                    IEC 62351-3 TLS (mutual: needs a certificate, key and CA)
  --pki DIR                use DIR/client.pem, DIR/client.key, DIR/ca.pem (and DIR/crl.pem if present)
  --cert F --key F --ca F  certificate, private key and trust anchors (PEM) instead of --pki
  --crl F                  CRL (PEM) of the CA
  --auth MODE              ACSE authentication: certificate (IEC 62351-4; default with --tls),
                           password (--password), or none (default without --tls)
  --password TEXT          password for --auth password (sent in clear without --tls)
  --timeout MS             per-request timeout (default 10000)
  --json                   machine-readable output, one JSON document`;

export type AuthMode = "certificate" | "password" | "none";

export interface Credentials {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
  readonly crl: string | undefined;
}

export interface ConnectionSettings {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly auth: AuthMode;
  readonly password: string | undefined;
  readonly timeoutMs: number;
  readonly json: boolean;
  /** Loaded when TLS or certificate authentication needs them. */
  readonly credentials: Credentials | undefined;
}

interface RawConnectionValues {
  host?: string | undefined;
  port?: string | undefined;
  tls?: boolean | undefined;
  pki?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
  ca?: string | undefined;
  crl?: string | undefined;
  auth?: string | undefined;
  password?: string | undefined;
  timeout?: string | undefined;
  json?: boolean | undefined;
}

export function parsePort(text: string | undefined, fallback: number, option = "--port"): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw usageError(`${option} must be 0..65535`);
  return n;
}

export async function readPem(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    throw new CliError(ExitCode.file, "file", `cannot read the ${what} ${path}: ${(e as Error).message}`);
  }
}

/** Loads certificate, key, CA (and CRL) from `--pki DIR` (as `role`.pem/.key) or the explicit files. */
export async function loadCredentials(
  v: {
    pki?: string | undefined;
    cert?: string | undefined;
    key?: string | undefined;
    ca?: string | undefined;
    crl?: string | undefined;
  },
  role: "client" | "server",
): Promise<Credentials | undefined> {
  const explicit = v.cert !== undefined || v.key !== undefined || v.ca !== undefined;
  if (v.pki !== undefined && explicit)
    throw usageError("give either --pki DIR or --cert/--key/--ca, not both");
  if (v.pki !== undefined) {
    const crlPath = v.crl ?? join(v.pki, "crl.pem");
    let crl: string | undefined;
    try {
      crl = await readFile(crlPath, "utf8");
    } catch {
      if (v.crl !== undefined) throw new CliError(ExitCode.file, "file", `cannot read the CRL ${crlPath}`);
    }
    return {
      cert: await readPem(join(v.pki, `${role}.pem`), "certificate"),
      key: await readPem(join(v.pki, `${role}.key`), "private key"),
      ca: await readPem(join(v.pki, "ca.pem"), "CA certificate"),
      crl,
    };
  }
  if (!explicit) return undefined;
  if (v.cert === undefined || v.key === undefined || v.ca === undefined) {
    throw usageError("--cert, --key and --ca go together");
  }
  return {
    cert: await readPem(v.cert, "certificate"),
    key: await readPem(v.key, "private key"),
    ca: await readPem(v.ca, "CA certificate"),
    crl: v.crl === undefined ? undefined : await readPem(v.crl, "CRL"),
  };
}

export async function connectionSettings(v: RawConnectionValues): Promise<ConnectionSettings> {
  const tls = v.tls ?? false;
  const auth = (v.auth ?? (tls ? "certificate" : v.password !== undefined ? "password" : "none")) as AuthMode;
  if (!["certificate", "password", "none"].includes(auth))
    throw usageError("--auth must be certificate, password or none");
  if (auth === "password" && v.password === undefined) throw usageError("--auth password needs --password");
  if (auth !== "password" && v.password !== undefined) throw usageError("--password needs --auth password");
  const timeoutMs = Number(v.timeout ?? "10000");
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw usageError("--timeout must be a positive number of ms");
  const credentials = await loadCredentials(v, "client");
  if ((tls || auth === "certificate") && !credentials) {
    throw usageError(`${tls ? "--tls" : "--auth certificate"} needs --pki DIR or --cert/--key/--ca`);
  }
  return {
    host: v.host ?? "127.0.0.1",
    port: parsePort(v.port, tls ? 3782 : 102),
    tls,
    auth,
    password: v.password,
    timeoutMs,
    json: v.json ?? false,
    credentials,
  };
}
