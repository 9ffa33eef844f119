// @mms/test-utils is not linked into this package's node_modules: import it by path.
export {
  dissectCheck,
  fromHex,
  hasTshark,
  hex,
  loadVectors,
  toHex,
  vectorBytes,
} from "../../../tools/test-utils/src/index";
import { concatChain } from "@mms/osi";
import { vectorBytes } from "../../../tools/test-utils/src/index";

/** The TSDU of a single-TPDU vector: the bytes after TPKT (4) and COTP DT (3). */
export function tsduOf(id: string): Uint8Array {
  return vectorBytes(id).subarray(7);
}

/** Reassembles a segmented TSDU from its DT TPDUs (V47a+b, V48a+b). */
export function reassembled(...ids: string[]): Uint8Array {
  return concatChain(ids.map(tsduOf));
}

/** Wraps a TSDU as one TPKT + COTP DT (EOT) frame, for dissect-check. */
export function frame(tsdu: Uint8Array): Uint8Array {
  const n = tsdu.length + 7;
  const out = new Uint8Array(n);
  out.set([3, 0, n >> 8, n & 0xff, 2, 0xf0, 0x80]);
  out.set(tsdu, 7);
  return out;
}
