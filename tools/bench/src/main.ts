import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BenchResult, Suite } from "./harness";

// pnpm bench [--json] [suite-name-prefix ...]
const args = process.argv.slice(2);
const json = args.includes("--json");
const filters = args.filter((a) => !a.startsWith("--"));
const dir = join(dirname(fileURLToPath(import.meta.url)), "suites");

function fmt(n: number | undefined): string {
  if (n === undefined || Number.isNaN(n)) return "";
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString("en-US");
  return n.toPrecision(3);
}

const files = readdirSync(dir)
  .filter((f) => f.endsWith(".ts"))
  .sort();
const results: BenchResult[] = [];
if (!json) console.log(`node ${process.version}, ${process.platform}/${process.arch}, pid ${process.pid}`);
for (const f of files) {
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { suite?: Suite };
  const suite = mod.suite;
  if (!suite) continue;
  if (filters.length && !filters.some((p) => suite.name.startsWith(p))) continue;
  for (const r of await suite.run()) {
    results.push(r);
    if (json) console.log(JSON.stringify(r));
    else
      console.log(
        `${r.name.padEnd(28)} ${fmt(r.value).padStart(14)} ${r.unit.padEnd(10)} ${
          r.baseline ? `${r.baseline} ${fmt(r.baselineValue)} ratio ${fmt(r.ratio)}` : ""
        }${
          r.extra
            ? `  ${Object.entries(r.extra)
                .map(([k, v]) => `${k}=${typeof v === "number" ? fmt(v) : v}`)
                .join(" ")}`
            : ""
        }`,
      );
  }
}
if (!results.length && !json) console.log("no benchmark ran");
process.exit(0);
