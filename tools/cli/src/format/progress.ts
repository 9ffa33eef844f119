/** Where a progress bar is drawn (process.stderr, or a test double). */
export interface ProgressSink {
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
  write(text: string): unknown;
}

/** `1.5 MiB` style sizes. */
export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** `1:05` / `1:02:03` style durations (seconds). */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return "--:--";
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = String(t % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** One line of progress: bar, bytes, rate, ETA. */
export function progressLine(
  done: number,
  total: number | undefined,
  elapsedMs: number,
  width: number,
): string {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const rateText = `${formatBytes(Math.round(rate))}/s`;
  if (total === undefined || total <= 0) return `${formatBytes(done)}  ${rateText}`;
  const frac = Math.min(1, done / total);
  const eta = rate > 0 ? (total - done) / rate : Number.NaN;
  const tail = ` ${String(Math.floor(frac * 100)).padStart(3)}% ${formatBytes(done)}/${formatBytes(total)} ${rateText} ETA ${formatDuration(eta)}`;
  const barWidth = Math.max(10, Math.min(40, width - tail.length - 3));
  const filled = Math.round(frac * barWidth);
  return `[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}]${tail}`;
}

/**
 * A transfer progress bar on a terminal (redrawn at most every 100 ms with `\r`); nothing at all
 * when the sink is not a TTY or `enabled` is false (piped output, `--json`).
 */
export class ProgressBar {
  private readonly sink: ProgressSink;
  private readonly enabled: boolean;
  private readonly start = Date.now();
  private last = 0;
  private total: number | undefined;
  private drawn = false;

  constructor(sink: ProgressSink, enabled: boolean, total?: number) {
    this.sink = sink;
    this.enabled = enabled && sink.isTTY === true;
    this.total = total;
  }

  setTotal(total: number): void {
    this.total = total;
  }

  update(done: number, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    this.drawn = true;
    this.sink.write(`\r${progressLine(done, this.total, now - this.start, this.sink.columns ?? 80)}\u001b[K`);
  }

  /** Final state and a newline (only if something was drawn). */
  finish(done: number): void {
    if (!this.enabled) return;
    this.update(done, true);
    if (this.drawn) this.sink.write("\n");
  }
}
