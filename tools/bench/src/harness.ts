/**
 * The benchmark harness. A suite is a module in `suites/` exporting `suite: Suite`; `main.ts`
 * runs every suite (or those named on the command line) and prints a table, or one JSON object
 * a line with `--json`. Figures are never asserted in tests: this is where they are measured.
 */
export interface BenchResult {
  /** Stable name from the issues, e.g. `asn1.read-request`. */
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** What ran in the same process as the reference, e.g. `asn1js`. */
  readonly baseline?: string;
  readonly baselineValue?: number;
  /** value / baselineValue (or the stated ratio). */
  readonly ratio?: number;
  /** Anything else worth reporting (bytes allocated per op, p99…). */
  readonly extra?: Readonly<Record<string, number | string>>;
}

export interface Suite {
  readonly name: string;
  run(): Promise<BenchResult[]>;
}

export interface OpsMeasurement {
  readonly opsPerSec: number;
  /** Median bytes of heap allocated per operation (approximate: heap growth with GC off-path). */
  readonly bytesPerOp: number;
}

export interface MeasureOptions {
  readonly warmupMs?: number;
  readonly samples?: number;
  readonly sampleMs?: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Runs a synchronous operation in timed samples after a warm-up; reports the median. */
export function measureOps(fn: () => unknown, options: MeasureOptions = {}): OpsMeasurement {
  const { warmupMs = 300, samples = 7, sampleMs = 200 } = options;
  let sink: unknown;
  const t0 = performance.now();
  while (performance.now() - t0 < warmupMs) for (let i = 0; i < 100; i++) sink = fn();
  // Calibrate a batch size that takes ~sampleMs.
  let batch = 100;
  for (;;) {
    const s = performance.now();
    for (let i = 0; i < batch; i++) sink = fn();
    const el = performance.now() - s;
    if (el > sampleMs / 4) {
      batch = Math.max(1, Math.round((batch * sampleMs) / el));
      break;
    }
    batch *= 4;
  }
  const rates: number[] = [];
  const allocs: number[] = [];
  for (let k = 0; k < samples; k++) {
    const s = performance.now();
    for (let i = 0; i < batch; i++) sink = fn();
    const el = performance.now() - s;
    rates.push((batch * 1000) / el);
  }
  // Allocation is measured apart, in batches small enough that no scavenge runs inside them
  // (heap growth across a long timed batch undercounts: the young generation is collected).
  // Size the batch from a first estimate so that it allocates about 2 MB.
  let allocBatch = Math.min(batch, 100);
  if (gc) {
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < allocBatch; i++) sink = fn();
    const estimate = Math.max(1, (process.memoryUsage().heapUsed - before) / allocBatch);
    allocBatch = Math.max(10, Math.min(batch, Math.round(2_000_000 / estimate)));
  }
  for (let k = 0; gc && k < samples; k++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < allocBatch; i++) sink = fn();
    const after = process.memoryUsage().heapUsed;
    allocs.push(Math.max(0, (after - before) / allocBatch));
  }
  if (sink === Symbol.for("never")) console.log(sink);
  return { opsPerSec: median(rates), bytesPerOp: allocs.length ? median(allocs) : Number.NaN };
}

/** Runs an async operation sequentially for about `durationMs`; reports the median of samples. */
export async function measureAsync(
  fn: () => Promise<unknown>,
  options: MeasureOptions = {},
): Promise<{ opsPerSec: number; medianMs: number }> {
  const { warmupMs = 300, samples = 5, sampleMs = 400 } = options;
  const t0 = performance.now();
  while (performance.now() - t0 < warmupMs) await fn();
  const rates: number[] = [];
  const lat: number[] = [];
  for (let k = 0; k < samples; k++) {
    const s = performance.now();
    let n = 0;
    while (performance.now() - s < sampleMs) {
      const a = performance.now();
      await fn();
      lat.push(performance.now() - a);
      n++;
    }
    rates.push((n * 1000) / (performance.now() - s));
  }
  return { opsPerSec: median(rates), medianMs: median(lat) };
}

/** A result compared to a baseline measured in the same run. */
export function versus(
  name: string,
  unit: string,
  value: number,
  baseline: string,
  baselineValue: number,
  extra?: BenchResult["extra"],
): BenchResult {
  return {
    name,
    value,
    unit,
    baseline,
    baselineValue,
    ratio: value / baselineValue,
    ...(extra ? { extra } : {}),
  };
}

/**
 * Compares `ours` with a `baseline` operation on a shared machine: alternate short rounds of each
 * side so that a change of load hits both, and report the medians (ratio = median of the
 * per-round ratios), with bytes allocated per operation on each side.
 */
export function versusInterleaved(
  name: string,
  ours: () => unknown,
  baseline: string,
  theirs: () => unknown,
  extra: Readonly<Record<string, number | string>> = {},
): BenchResult {
  const rounds = 5;
  const opts = { warmupMs: 150, samples: 3, sampleMs: 120 };
  const a: OpsMeasurement[] = [];
  const b: OpsMeasurement[] = [];
  for (let i = 0; i < rounds; i++) {
    a.push(measureOps(ours, opts));
    b.push(measureOps(theirs, opts));
  }
  const result = versus(
    name,
    "ops/s",
    median(a.map((x) => x.opsPerSec)),
    baseline,
    median(b.map((x) => x.opsPerSec)),
    {
      ...extra,
      "B/op": Math.round(median(a.map((x) => x.bytesPerOp))),
      [`${baseline} B/op`]: Math.round(median(b.map((x) => x.bytesPerOp))),
    },
  );
  return { ...result, ratio: median(a.map((x, i) => x.opsPerSec / b[i]!.opsPerSec)) };
}
