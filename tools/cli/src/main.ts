#!/usr/bin/env node
import { berToString } from "@mms/asn1";

// Placeholder entry until the full `mms` command lands: `demo` decodes a real MMS Read request.
const READ_REQUEST =
  "0300004e02f080010001006141303f020103a03aa038020105a433a131a02f302da02ba1291a1173696d706c65494f47656e65726963494f1a144747494f31244d5824416e496e31246d61672466";

function fromHex(h: string): Uint8Array {
  return Uint8Array.from(h.match(/../g) ?? [], (x) => Number.parseInt(x, 16));
}

const [command = "help", ...rest] = process.argv.slice(2);
if (command === "demo") {
  const frame = fromHex(READ_REQUEST);
  console.log("BER tree of the presentation PDU of a libiec61850 Read request:");
  console.log(berToString(frame.subarray(11)));
} else if (command === "decode") {
  console.log(berToString(fromHex(rest.join("").replace(/[^0-9a-fA-F]/g, ""))));
} else {
  console.log("usage: mms demo | mms decode HEX");
}
