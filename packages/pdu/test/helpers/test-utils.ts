// @mms/test-utils is not linked into this package's node_modules (no package depends on it):
// re-exported from source here so the switch to `from "@mms/test-utils"` is one line.
export { dissectCheck, hasTshark } from "../../../../tools/test-utils/src/dissect";
export { fromHex, hex, toHex } from "../../../../tools/test-utils/src/hex";
export { loadVectors, vectorBytes } from "../../../../tools/test-utils/src/vectors";
