/**
 * Exit codes of the `mms` command. Scripts rely on these values: never renumber them.
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success |
 * | 1 | unexpected internal error (a bug: please report it) |
 * | 2 | usage error (unknown command, bad option or argument) |
 * | 3 | transport failure (TCP connect refused, TLS handshake or certificate rejected, connection lost) |
 * | 4 | association refused or authentication failed (COTP / session / presentation / ACSE / MMS initiate) |
 * | 5 | MMS service error or reject from the peer (unknown name, access denied, type mismatch …) |
 * | 6 | timeout (the peer did not answer in time) |
 * | 7 | malformed input given to `mms decode` |
 * | 8 | local file or PKI problem (missing or unreadable certificate, key, model file) |
 * | 9 | a requested capability is not available in this build |
 */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  transport: 3,
  association: 4,
  service: 5,
  timeout: 6,
  decode: 7,
  file: 8,
  unavailable: 9,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The layer an error comes from, printed in the one-line error message. */
export type CliLayer =
  | "usage"
  | "file"
  | "tcp"
  | "tls"
  | "cotp"
  | "session"
  | "presentation"
  | "acse"
  | "mms"
  | "decode"
  | "cli";

/** An error the CLI prints as one line `mms: [<layer>] <message>[ (peer: <diagnostic>)]` and exits with. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly layer: CliLayer;
  readonly diagnostic: string | undefined;
  constructor(exitCode: ExitCode, layer: CliLayer, message: string, diagnostic?: string) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
    this.layer = layer;
    this.diagnostic = diagnostic;
  }
}

export function usageError(message: string): CliError {
  return new CliError(ExitCode.usage, "usage", message);
}

/** One line for stderr. */
export function formatCliError(e: CliError): string {
  const diag = e.diagnostic ? ` (peer: ${e.diagnostic})` : "";
  return `mms: [${e.layer}] ${e.message}${diag}`;
}
