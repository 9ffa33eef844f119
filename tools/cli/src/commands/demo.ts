import { berToString } from "@mms/asn1";
import { ExitCode } from "../exit-codes";
import type { CliIo } from "../io";
import { parseHex } from "../decode/decode-input";

// Placeholder until @mms/client and @mms/server land: decodes a real MMS Read request.
const READ_REQUEST =
  "0300004e02f080010001006141303f020103a03aa038020105a433a131a02f302da02ba1291a1173696d706c65494f47656e65726963494f1a144747494f31244d5824416e496e31246d61672466";

export async function demoCommand(_args: string[], io: CliIo): Promise<number> {
  const frame = parseHex(READ_REQUEST);
  io.out("BER tree of the presentation PDU of a libiec61850 Read request:");
  io.out(berToString(frame.subarray(11)));
  return ExitCode.ok;
}
