// Test helpers from @mms/test-utils (a devDependency of this package).
export { dissectCheck, fromHex, hasTshark, hex, loadVectors, toHex, vectorBytes } from "@mms/test-utils";
