import { BerReader, BerWriter, ctx, ctxC, readInteger, UniversalTag, writeInteger } from "@mms/asn1";
import type { AbortPpdu } from "./ppdu";
import { FULLY_ENCODED_DATA, readUserData, type UserDataValue, writeUserData } from "./user-data";

/** ARU-PPDU normal-mode-parameters [0] IMPLICIT SEQUENCE (ISO 8823-1 §8.5). */
const ARU_NORMAL = ctxC(0);
const CONTEXT_ID_LIST = ctxC(0);

/** Decodes the PPDU carried in a session AB: ARU-PPDU (`a0`) or ARP-PPDU (`30`). Throws `BerDecodeError`. */
export function decodeAbortPpdu(bytes: Uint8Array): AbortPpdu {
  const r = new BerReader(bytes);
  const t = r.peekTag();
  let out: AbortPpdu;
  if (t === ARU_NORMAL) {
    const s = r.enter(ARU_NORMAL);
    let contextIds: number[] = [];
    let userData: ReturnType<typeof readUserData> = [];
    while (s.hasMore()) {
      const u = s.peekTag();
      if (u === CONTEXT_ID_LIST)
        contextIds = s.sequenceOf(
          CONTEXT_ID_LIST,
          (i) => {
            const item = i.enter(UniversalTag.SEQUENCE);
            const id = readInteger(item, UniversalTag.INTEGER, 1, 0x7fffffff);
            item.skip(); // transfer-syntax-name
            item.expectEnd();
            return id;
          },
          32,
        );
      else if (u === FULLY_ENCODED_DATA) userData = readUserData(s);
      else s.skip();
    }
    out = { kind: "ARU", contextIds, userData };
  } else if (t === UniversalTag.SEQUENCE) {
    const s = r.enter(UniversalTag.SEQUENCE);
    const reason = s.isNext(ctx(0)) ? readInteger(s, ctx(0), 0, 0x7fffffff) : undefined;
    const eventIdentifier = s.isNext(ctx(1)) ? readInteger(s, ctx(1), 0, 0x7fffffff) : undefined;
    s.expectEnd();
    out = { kind: "ARP", reason, eventIdentifier };
  } else {
    return r.fail("unexpected-tag", "abort PPDU must be an ARU-PPDU [0] or an ARP-PPDU");
  }
  r.expectEnd();
  return out;
}

/** ARU-PPDU carrying the ABRT in the ACSE context (`a0 L 61 L 30 L 02 01 01 a0 L <ABRT>`). */
export function encodeAru(userData: readonly UserDataValue[]): Uint8Array {
  const w = new BerWriter(64);
  const m = w.begin(ARU_NORMAL);
  if (userData.length) writeUserData(w, userData);
  w.end(m);
  return w.view();
}

/** ARP-PPDU (provider abort, ISO 8823-1 §8.6). */
export function encodeArp(reason: number, eventIdentifier?: number): Uint8Array {
  const w = new BerWriter(16);
  const m = w.begin(UniversalTag.SEQUENCE);
  writeInteger(w, reason, ctx(0));
  if (eventIdentifier !== undefined) writeInteger(w, eventIdentifier, ctx(1));
  w.end(m);
  return w.view();
}
