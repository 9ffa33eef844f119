// One-off scaffolder used to lay out packages with the same shape. Kept for adding packages later:
//   node tools/scripts/scaffold.mjs <dir> <name> "<description>" [dep ...]
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [dir, name, description, ...deps] = process.argv.slice(2);
if (!dir || !name || !description) {
  console.error("usage: scaffold.mjs <dir> <name> <description> [dep ...]");
  process.exit(2);
}
mkdirSync(join(dir, "src"), { recursive: true });
mkdirSync(join(dir, "test"), { recursive: true });
const dependencies = {};
for (const d of deps) dependencies[d] = d.startsWith("@mms/") ? "workspace:^" : "*";
const pkg = {
  name,
  version: "0.0.0",
  description,
  license: "Apache-2.0",
  type: "module",
  sideEffects: false,
  engines: { node: ">=20.19" },
  exports: {
    ".": {
      "@mms/source": "./src/index.ts",
      import: { types: "./dist/index.d.ts", default: "./dist/index.js" },
      require: { types: "./dist/index.d.cts", default: "./dist/index.cjs" },
    },
    "./package.json": "./package.json",
  },
  main: "./dist/index.cjs",
  module: "./dist/index.js",
  types: "./dist/index.d.cts",
  files: ["dist", "src", "!src/**/*.test.ts", "README.md", "CHANGELOG.md"],
  scripts: { build: "tsup", transit: "true" },
  dependencies,
};
if (!existsSync(join(dir, "package.json")))
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
if (!existsSync(join(dir, "tsup.config.ts")))
  writeFileSync(
    join(dir, "tsup.config.ts"),
    `import { defineConfig } from "tsup";\nimport { packageBuild } from "../../tsup.base.ts";\n\nexport default defineConfig(packageBuild({ index: "src/index.ts" }));\n`,
  );
if (!existsSync(join(dir, "src/index.ts"))) writeFileSync(join(dir, "src/index.ts"), "export {};\n");
if (!existsSync(join(dir, "README.md")))
  writeFileSync(join(dir, "README.md"), `# ${name}\n\n${description}\n`);
