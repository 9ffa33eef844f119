// @mms/test-utils is not linked into this package's node_modules (no package depends on it):
// re-exported from source here so the switch to `from "@mms/test-utils"` is one line.
export * from "../../../tools/test-utils/src/index";
