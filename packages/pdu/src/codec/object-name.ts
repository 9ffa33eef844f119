import {
  type BerReader,
  type BerWriter,
  type Codec,
  ctx,
  ctxC,
  readInteger,
  readOctetString,
  readVisibleString,
  UniversalTag,
  writeInteger,
  writeOctetString,
  writeVisibleString,
} from "@mms/asn1";
import { defaultPduLimits, type PduLimits } from "../limits";
import type { Address, ObjectName } from "../model/names";
import { checkUnsigned32, invalid, readIdentifier, writeIdentifier } from "./common";

const VMD = ctx(0);
const DOMAIN = ctxC(1);
const AA = ctx(2);
const ID = UniversalTag.VisibleString;

/**
 * ISO 9506-2 §7.5.1:
 *   ObjectName ::= CHOICE {
 *     vmd-specific    [0] IMPLICIT Identifier,
 *     domain-specific [1] IMPLICIT SEQUENCE { domainId Identifier, itemId Identifier },
 *     aa-specific     [2] IMPLICIT Identifier }
 */
export function readObjectName(r: BerReader, lim: PduLimits): ObjectName {
  const tag = r.peekTag();
  if (tag === VMD) return { scope: "vmd", itemId: readIdentifier(r, VMD, lim) };
  if (tag === DOMAIN) {
    const c = r.enter(DOMAIN);
    const domainId = readIdentifier(c, ID, lim);
    const itemId = readIdentifier(c, ID, lim);
    c.expectEnd();
    return { scope: "domain", domainId, itemId };
  }
  if (tag === AA) return { scope: "aa", itemId: readIdentifier(r, AA, lim) };
  return r.fail("unexpected-tag", "expected an ObjectName");
}

export function writeObjectName(w: BerWriter, n: ObjectName): void {
  switch (n.scope) {
    case "vmd":
      writeIdentifier(w, n.itemId, VMD);
      return;
    case "domain": {
      const m = w.begin(DOMAIN);
      writeIdentifier(w, n.domainId, ID);
      writeIdentifier(w, n.itemId, ID);
      w.end(m);
      return;
    }
    case "aa":
      writeIdentifier(w, n.itemId, AA);
      return;
    default:
      invalid("unknown ObjectName scope");
  }
}

/** Reads `[tag] ObjectName` (an explicit wrapper around the CHOICE). */
export function readWrappedObjectName(r: BerReader, tag: number, lim: PduLimits): ObjectName {
  const c = r.enter(tag);
  const n = readObjectName(c, lim);
  c.expectEnd();
  return n;
}
export function writeWrappedObjectName(w: BerWriter, tag: number, n: ObjectName): void {
  const m = w.begin(tag);
  writeObjectName(w, n);
  w.end(m);
}

export const objectNameCodec: Codec<ObjectName> = {
  encode: (value, w) => writeObjectName(w, value),
  decode: (r) => readObjectName(r, defaultPduLimits),
};

/**
 * ISO 9506-2 §14.4.4:
 *   Address ::= CHOICE { numericAddress [0] IMPLICIT Unsigned32,
 *     symbolicAddress [1] IMPLICIT VisibleString, unconstrainedAddress [2] IMPLICIT OCTET STRING }
 */
export function readAddress(r: BerReader): Address {
  const tag = r.peekTag();
  if (tag === ctx(0)) return { kind: "numeric", value: readInteger(r, tag, 0, 0xffffffff) };
  if (tag === ctx(1)) return { kind: "symbolic", value: readVisibleString(r, tag) };
  if (tag === ctx(2)) return { kind: "unconstrained", value: readOctetString(r, tag) };
  return r.fail("unexpected-tag", "expected an Address");
}

export function writeAddress(w: BerWriter, a: Address): void {
  if (a.kind === "numeric") writeInteger(w, checkUnsigned32(a.value, "numericAddress"), ctx(0));
  else if (a.kind === "symbolic") writeVisibleString(w, a.value, ctx(1));
  else if (a.kind === "unconstrained") writeOctetString(w, a.value, ctx(2));
  else invalid("unknown Address kind");
}
