import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toHex } from "./hex";
import { sharedDir } from "./vectors";

export interface DissectResult {
  readonly ok: boolean;
  readonly output: string;
}

export function hasTshark(): boolean {
  return spawnSync("tshark", ["--version"], { stdio: "ignore" }).status === 0;
}

/**
 * Runs ../shared/tools/dissect-check (Wireshark's dissectors) over whole plain-profile TCP
 * payloads; `>` frames go client to server, `<` server to client.
 */
export function dissectCheck(frames: ReadonlyArray<{ dir: ">" | "<"; bytes: Uint8Array }>): DissectResult {
  const dir = mkdtempSync(join(tmpdir(), "dissect-"));
  try {
    const file = join(dir, "frames.txt");
    writeFileSync(file, frames.map((f) => `${f.dir} ${toHex(f.bytes)}`).join("\n") + "\n");
    const r = spawnSync(join(sharedDir(), "tools", "dissect-check"), [file], { encoding: "utf8" });
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
