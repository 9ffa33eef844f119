import { defineConfig } from "vitest/config";

// One root run over every package. Tests import sibling packages from source through the
// "@mms/source" export condition, so no build is needed before `pnpm test`.
export default defineConfig({
  resolve: { conditions: ["@mms/source"] },
  ssr: { resolve: { conditions: ["@mms/source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "tools/*/test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ["default"],
  },
});
