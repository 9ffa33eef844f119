/** Where the CLI writes: stdout lines, stderr lines. Tests pass their own. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Aborted by Ctrl-C (serve, watch) or by a test. */
  readonly signal?: AbortSignal;
}

export const processIo: CliIo = {
  out: (line) => {
    process.stdout.write(`${line}\n`);
  },
  err: (line) => {
    process.stderr.write(`${line}\n`);
  },
};
