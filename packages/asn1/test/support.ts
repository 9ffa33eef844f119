// @mms/test-utils is not resolvable by name from packages yet (no package or root depends on
// it); re-exported from source here so the switch to `from "@mms/test-utils"` is one line.
export * from "../../../tools/test-utils/src/index";
