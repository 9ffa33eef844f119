import type { Options } from "tsup";

/** Shared tsup settings: dual ESM + CJS with declarations, for Node 20. */
export function packageBuild(entry: Record<string, string>): Options {
  return {
    entry,
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node20",
    splitting: false,
    treeshake: true,
  };
}
