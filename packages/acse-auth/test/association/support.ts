export {
  dissectCheck,
  fromHex,
  hasTshark,
  hex,
  loadVectors,
  toHex,
  vectorBytes,
} from "../../../../tools/test-utils/src/index";
import { concatChain } from "@mms/osi";
import { vectorBytes } from "../../../../tools/test-utils/src/index";

export function tsduOf(id: string): Uint8Array {
  return vectorBytes(id).subarray(7);
}

export function reassembled(...ids: string[]): Uint8Array {
  return concatChain(ids.map(tsduOf));
}

/** Wraps a TSDU as one TPKT + COTP DT (EOT) frame. */
export function frame(tsdu: Uint8Array): Uint8Array {
  const n = tsdu.length + 7;
  const out = new Uint8Array(n);
  out.set([3, 0, n >> 8, n & 0xff, 2, 0xf0, 0x80]);
  out.set(tsdu, 7);
  return out;
}

/** The MMS initiate-RequestPDU of V05 and the initiate-ResponsePDU of V06. */
export const INITIATE_REQUEST: Uint8Array = tsduOf("V05").subarray(tsduOf("V05").length - 40);
export const INITIATE_RESPONSE: Uint8Array = tsduOf("V06").subarray(tsduOf("V06").length - 40);
