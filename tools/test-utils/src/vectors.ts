import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fromHex } from "./hex";

export interface Vector {
  readonly id: string;
  readonly title: string;
  readonly source: string;
  readonly hex: string;
}

/** The project's ../shared directory (beside the repository root, as on every machine and CI). */
export function sharedDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return resolve(dir, "..", "shared");
    dir = dirname(dir);
  }
  throw new Error("repository root not found");
}

let cache: readonly Vector[] | undefined;

/** The 95 real frames of ../shared/vectors/vectors.json. */
export function loadVectors(): readonly Vector[] {
  cache ??= JSON.parse(readFileSync(join(sharedDir(), "vectors", "vectors.json"), "utf8")) as Vector[];
  return cache;
}

/** The bytes of vector `id` (a whole TCP payload, TPKT first). */
export function vectorBytes(id: string): Uint8Array {
  const v = loadVectors().find((x) => x.id === id);
  if (!v) throw new Error(`no vector ${id}`);
  return fromHex(v.hex);
}
