export { fromHex, hex, toHex } from "./hex";
export { loadVectors, sharedDir, type Vector, vectorBytes } from "./vectors";
export { dissectCheck, type DissectResult, hasTshark } from "./dissect";
export {
  parseTpkt,
  presentationOf,
  reassembleTsdus,
  type SessionSplit,
  sessionUserData,
  type Tpdu,
  type VectorPpdu,
  vectorPpdus,
} from "./osi-split";
