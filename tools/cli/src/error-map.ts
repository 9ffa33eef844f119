import { ABRT_DIAG, ACSE_USER_DIAG } from "./decode/acse-mms";
import { CliError, type CliLayer, ExitCode } from "./exit-codes";

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly layer?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
  readonly diagnostic?: unknown;
  readonly drReason?: unknown;
  readonly source?: unknown;
}

/** Names the ACSE diagnostic numbers of association errors (ISO 8650-1 / X.227). */
function diagnosticText(err: ErrorLike, name: string): string | undefined {
  const d = err.diagnostic;
  if (typeof d !== "number") return str(d);
  if (name === "AssociationRejectedError") {
    if (err.source === "acse-service-user")
      return ACSE_USER_DIAG[d] ? `${ACSE_USER_DIAG[d]} (${d})` : String(d);
    if (err.source === "acse-service-provider") return d === 2 ? "no-common-acse-version (2)" : String(d);
    return `${str(err.source) ?? "reason"} ${d}`;
  }
  if (name === "AssociationAbortedError") return ABRT_DIAG[d] ? `${ABRT_DIAG[d]} (${d})` : String(d);
  return String(d);
}

const LAYERS: readonly CliLayer[] = ["tcp", "tls", "cotp", "session", "presentation", "acse", "mms"];
const TCP_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EADDRNOTAVAIL",
  "EPIPE",
  "EAI_AGAIN",
]);

function str(x: unknown): string | undefined {
  return typeof x === "string" ? x : typeof x === "number" ? String(x) : undefined;
}

/**
 * Maps an error of any @mms package (or node:net / node:tls) to a one-line CliError with the
 * layer it comes from and a distinct exit code. Packages are matched by their stable `code`,
 * `name` and `layer` fields, never by message text.
 */
export function mapError(e: unknown, what: string): CliError {
  if (e instanceof CliError) return e;
  const err = (typeof e === "object" && e !== null ? e : {}) as ErrorLike;
  const name = str(err.name) ?? "";
  const code = str(err.code) ?? "";
  const message = str(err.message) ?? String(e);
  const declared = str(err.layer);
  const layer: CliLayer | undefined = LAYERS.find((l) => l === declared);
  const diagnostic =
    diagnosticText(err, name) ?? (err.drReason !== undefined ? `DR reason ${str(err.drReason)}` : undefined);
  const make = (exit: ExitCode, l: CliLayer): CliError =>
    new CliError(exit, l, `${what}: ${message}`, diagnostic);

  if (code === "timeout" || code === "transport-timeout" || code === "ETIMEDOUT" || /Timeout/.test(name)) {
    return make(ExitCode.timeout, layer ?? "tcp");
  }
  if (
    name === "MmsServiceError" ||
    name === "MmsRejectError" ||
    code === "service-error" ||
    code === "reject"
  ) {
    return make(ExitCode.service, "mms");
  }
  if (name === "MmsInitiateError" || code === "initiate-refused") return make(ExitCode.association, "mms");
  if (
    name.startsWith("TlsConnectError") ||
    name === "TlsProfileError" ||
    code.startsWith("ERR_TLS") ||
    code.startsWith("ERR_SSL")
  ) {
    return make(ExitCode.transport, "tls");
  }
  if (TCP_CODES.has(code) || name === "TransportClosedError" || name === "MmsConnectionClosedError") {
    return make(ExitCode.transport, layer === "mms" ? "tcp" : (layer ?? "tcp"));
  }
  if (name.startsWith("Cotp")) return make(ExitCode.association, "cotp");
  if (layer && layer !== "mms") return make(ExitCode.association, layer);
  if (/Association|Acse|Authentication|Osi/.test(name)) return make(ExitCode.association, layer ?? "acse");
  if (name.startsWith("Mms")) return make(ExitCode.service, "mms");
  return new CliError(
    ExitCode.internal,
    "cli",
    `${what}: ${e instanceof Error ? (e.stack ?? message) : message}`,
  );
}
