import {
  type BerReader,
  type BerWriter,
  type Codec,
  ctx,
  ctxC,
  readBoolean,
  readInteger,
  UniversalTag,
  writeBoolean,
  writeInteger,
} from "@mms/asn1";
import { defaultPduLimits, type PduLimits } from "../limits";
import type { TypeComponent, TypeSpecification } from "../model/types";
import {
  checkUnsigned32,
  invalid,
  readIdentifier,
  readList,
  readNullTag,
  readUnsigned32,
  writeIdentifier,
  writeNullTag,
} from "./common";
import { readWrappedObjectName, writeWrappedObjectName } from "./object-name";

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/**
 * ISO 9506-2 §14.3 (IEC 61850-8-1 additions mMSString [16], utc-time [17]):
 *   TypeSpecification ::= CHOICE {
 *     typeName [0] ObjectName,
 *     array [1] IMPLICIT SEQUENCE { packed [0] IMPLICIT BOOLEAN DEFAULT FALSE,
 *            numberOfElements [1] IMPLICIT Unsigned32, elementType [2] TypeSpecification },
 *     structure [2] IMPLICIT SEQUENCE { packed [0] IMPLICIT BOOLEAN DEFAULT FALSE,
 *            components [1] IMPLICIT SEQUENCE OF SEQUENCE {
 *              componentName [0] IMPLICIT Identifier OPTIONAL, componentType [1] TypeSpecification } },
 *     boolean [3] NULL, bit-string [4] Integer32, integer [5] Unsigned8, unsigned [6] Unsigned8,
 *     floating-point [7] SEQUENCE { format-width Unsigned8, exponent-width Unsigned8 },
 *     octet-string [9] Integer32, visible-string [10] Integer32, generalized-time [11] NULL,
 *     binary-time [12] BOOLEAN, bcd [13] Unsigned8, objId [15] NULL,
 *     mMSString [16] Integer32, utc-time [17] NULL }          (all simple ones IMPLICIT)
 * Nesting of arrays/structures is bounded by `lim.maxNestingLevel`.
 */
export function readTypeSpecification(r: BerReader, lim: PduLimits, level: number): TypeSpecification {
  const tag = r.peekTag();
  switch (tag) {
    case ctxC(0):
      return { type: "typeName", name: readWrappedObjectName(r, tag, lim) };
    case ctxC(1): {
      if (level >= lim.maxNestingLevel) r.fail("depth-exceeded", "TypeSpecification nested too deep");
      const c = r.enter(tag);
      const packed = c.isNext(ctx(0)) ? readBoolean(c, ctx(0)) : false;
      const numberOfElements = readUnsigned32(c, ctx(1));
      const e = c.enter(ctxC(2));
      const elementType = readTypeSpecification(e, lim, level + 1);
      e.expectEnd();
      c.expectEnd();
      return { type: "array", packed, numberOfElements, elementType };
    }
    case ctxC(2): {
      if (level >= lim.maxNestingLevel) r.fail("depth-exceeded", "TypeSpecification nested too deep");
      const c = r.enter(tag);
      const packed = c.isNext(ctx(0)) ? readBoolean(c, ctx(0)) : false;
      const components = readList(c.enter(ctxC(1)), lim, (l) => readComponent(l, lim, level + 1));
      c.expectEnd();
      return { type: "structure", packed, components };
    }
    case ctx(3):
      readNullTag(r, tag);
      return { type: "boolean" };
    case ctx(4):
      return { type: "bitString", size: readInteger(r, tag, INT32_MIN, INT32_MAX) };
    case ctx(5):
      return { type: "integer", bits: readInteger(r, tag, 0, 255) };
    case ctx(6):
      return { type: "unsigned", bits: readInteger(r, tag, 0, 255) };
    case ctxC(7): {
      const c = r.enter(tag);
      const formatWidth = readInteger(c, UniversalTag.INTEGER, 0, 255);
      const exponentWidth = readInteger(c, UniversalTag.INTEGER, 0, 255);
      c.expectEnd();
      return { type: "floatingPoint", formatWidth, exponentWidth };
    }
    case ctx(9):
      return { type: "octetString", size: readInteger(r, tag, INT32_MIN, INT32_MAX) };
    case ctx(10):
      return { type: "visibleString", size: readInteger(r, tag, INT32_MIN, INT32_MAX) };
    case ctx(11):
      readNullTag(r, tag);
      return { type: "generalizedTime" };
    case ctx(12):
      return { type: "binaryTime", withDate: readBoolean(r, tag) };
    case ctx(13):
      return { type: "bcd", digits: readInteger(r, tag, 0, 255) };
    case ctx(15):
      readNullTag(r, tag);
      return { type: "objectId" };
    case ctx(16):
      return { type: "mmsString", size: readInteger(r, tag, INT32_MIN, INT32_MAX) };
    case ctx(17):
      readNullTag(r, tag);
      return { type: "utcTime" };
    default:
      return r.fail(tag === -1 ? "truncated" : "unexpected-tag", "expected a TypeSpecification");
  }
}

function readComponent(r: BerReader, lim: PduLimits, level: number): TypeComponent {
  const c = r.enter(UniversalTag.SEQUENCE);
  const name = c.isNext(ctx(0)) ? readIdentifier(c, ctx(0), lim) : undefined;
  const t = c.enter(ctxC(1));
  const type = readTypeSpecification(t, lim, level);
  t.expectEnd();
  c.expectEnd();
  return { name, type };
}

function int32(v: number, what: string): number {
  if (!Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX) invalid(`${what} ${v} is not an Integer32`);
  return v;
}
function u8(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 255) invalid(`${what} ${v} is not an Unsigned8`);
  return v;
}

export function writeTypeSpecification(w: BerWriter, t: TypeSpecification): void {
  switch (t.type) {
    case "typeName":
      writeWrappedObjectName(w, ctxC(0), t.name);
      return;
    case "array": {
      const m = w.begin(ctxC(1));
      if (t.packed) writeBoolean(w, true, ctx(0));
      writeInteger(w, checkUnsigned32(t.numberOfElements, "numberOfElements"), ctx(1));
      const e = w.begin(ctxC(2));
      writeTypeSpecification(w, t.elementType);
      w.end(e);
      w.end(m);
      return;
    }
    case "structure": {
      const m = w.begin(ctxC(2));
      if (t.packed) writeBoolean(w, true, ctx(0));
      const l = w.begin(ctxC(1));
      for (const comp of t.components) {
        const s = w.begin(UniversalTag.SEQUENCE);
        if (comp.name !== undefined) writeIdentifier(w, comp.name, ctx(0));
        const ct = w.begin(ctxC(1));
        writeTypeSpecification(w, comp.type);
        w.end(ct);
        w.end(s);
      }
      w.end(l);
      w.end(m);
      return;
    }
    case "boolean":
      writeNullTag(w, ctx(3));
      return;
    case "bitString":
      writeInteger(w, int32(t.size, "bit-string size"), ctx(4));
      return;
    case "integer":
      writeInteger(w, u8(t.bits, "integer size"), ctx(5));
      return;
    case "unsigned":
      writeInteger(w, u8(t.bits, "unsigned size"), ctx(6));
      return;
    case "floatingPoint": {
      const m = w.begin(ctxC(7));
      writeInteger(w, u8(t.formatWidth, "format-width"));
      writeInteger(w, u8(t.exponentWidth, "exponent-width"));
      w.end(m);
      return;
    }
    case "octetString":
      writeInteger(w, int32(t.size, "octet-string size"), ctx(9));
      return;
    case "visibleString":
      writeInteger(w, int32(t.size, "visible-string size"), ctx(10));
      return;
    case "generalizedTime":
      writeNullTag(w, ctx(11));
      return;
    case "binaryTime":
      writeBoolean(w, t.withDate, ctx(12));
      return;
    case "bcd":
      writeInteger(w, u8(t.digits, "bcd digits"), ctx(13));
      return;
    case "objectId":
      writeNullTag(w, ctx(15));
      return;
    case "mmsString":
      writeInteger(w, int32(t.size, "mMSString size"), ctx(16));
      return;
    case "utcTime":
      writeNullTag(w, ctx(17));
      return;
    default:
      invalid("unknown TypeSpecification");
  }
}

export const typeSpecificationCodec: Codec<TypeSpecification> = {
  encode: (value, w) => writeTypeSpecification(w, value),
  decode: (r) => readTypeSpecification(r, defaultPduLimits, 0),
};
