import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base.ts";

// @mms/test-pki is private (a devDependency): bundle it so that `mms pki init` works from npm.
export default defineConfig({
  ...packageBuild({ index: "src/index.ts", main: "src/main.ts" }),
  noExternal: ["@mms/test-pki"],
});
