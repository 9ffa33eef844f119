export { runCli, HELP, VERSION, type CommandTable } from "./cli";
export { CliError, type CliLayer, ExitCode, formatCliError } from "./exit-codes";
export type { CliIo } from "./io";
export { decodeBytes, decodeCapture, parseHex, type DecodeLayer } from "./decode/decode-input";
export { parseCaptureFile, type CapturedFrame } from "./decode/capture-file";
export { renderUnit, type DecodedUnit, type LayerLine } from "./decode/layer-report";
