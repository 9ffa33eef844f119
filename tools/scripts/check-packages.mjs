// Packaging checks for every published package: publint and @arethetypeswrong/cli on the built
// output. Private workspaces are skipped. Exits non-zero when any package fails.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const roots = ["packages", "tools"];
let failed = 0;
for (const root of roots) {
  for (const name of readdirSync(root)) {
    const dir = join(root, name);
    const file = join(dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8"));
    if (pkg.private) continue;
    for (const [cmd, args] of [
      ["publint", ["--strict"]],
      ["attw", ["--pack", ".", "--profile", "node16", "--format", "table-flipped"]],
    ]) {
      try {
        execFileSync("pnpm", ["exec", cmd, ...args], { cwd: dir, stdio: "inherit" });
      } catch {
        console.error(`${pkg.name}: ${cmd} failed`);
        failed++;
      }
    }
  }
}
if (failed) {
  console.error(`${failed} packaging check(s) failed`);
  process.exit(1);
}
console.log("packaging checks passed");
