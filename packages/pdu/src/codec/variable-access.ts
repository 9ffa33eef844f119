import { type BerReader, type BerWriter, type Codec, ctx, ctxC, UniversalTag } from "@mms/asn1";
import { defaultPduLimits, type PduLimits } from "../limits";
import type { VariableAccessSpecification, VariableListItem, VariableSpecification } from "../model/types";
import { readAlternateAccessContent, writeAlternateAccessContent } from "./alternate-access";
import { invalid, readList, readNullTag, writeNullTag } from "./common";
import { readAddress, readWrappedObjectName, writeAddress, writeWrappedObjectName } from "./object-name";
import { readTypeSpecification, writeTypeSpecification } from "./type-spec";

const LIST_OF_VARIABLE = ctxC(0);
const VARIABLE_LIST_NAME = ctxC(1);
const ALTERNATE_ACCESS = ctxC(5);

/**
 * ISO 9506-2 §14.4.5:
 *   VariableSpecification ::= CHOICE { name [0] ObjectName, address [1] Address,
 *     variableDescription [2] IMPLICIT SEQUENCE { address Address, typeSpecification TypeSpecification },
 *     scatteredAccessDescription [3] IMPLICIT ScatteredAccessDescription, invalidated [4] IMPLICIT NULL }
 */
export function readVariableSpecification(r: BerReader, lim: PduLimits): VariableSpecification {
  const tag = r.peekTag();
  if (tag === ctxC(0)) return { kind: "name", name: readWrappedObjectName(r, tag, lim) };
  if (tag === ctxC(1)) {
    const c = r.enter(tag);
    const address = readAddress(c);
    c.expectEnd();
    return { kind: "address", address };
  }
  if (tag === ctxC(2)) {
    const c = r.enter(tag);
    const address = readAddress(c);
    const typeSpecification = readTypeSpecification(c, lim, 0);
    c.expectEnd();
    return { kind: "variableDescription", address, typeSpecification };
  }
  if (tag === ctxC(3)) return { kind: "scatteredAccessDescription", content: r.readContent(tag) };
  if (tag === ctx(4)) {
    readNullTag(r, tag);
    return { kind: "invalidated" };
  }
  return r.fail(tag === -1 ? "truncated" : "unexpected-tag", "expected a VariableSpecification");
}

export function writeVariableSpecification(w: BerWriter, v: VariableSpecification): void {
  switch (v.kind) {
    case "name":
      writeWrappedObjectName(w, ctxC(0), v.name);
      return;
    case "address": {
      const m = w.begin(ctxC(1));
      writeAddress(w, v.address);
      w.end(m);
      return;
    }
    case "variableDescription": {
      const m = w.begin(ctxC(2));
      writeAddress(w, v.address);
      writeTypeSpecification(w, v.typeSpecification);
      w.end(m);
      return;
    }
    case "scatteredAccessDescription":
      w.primitive(ctxC(3), v.content);
      return;
    case "invalidated":
      writeNullTag(w, ctx(4));
      return;
    default:
      invalid("unknown VariableSpecification");
  }
}

/**
 * One listOfVariable entry:
 *   SEQUENCE { variableSpecification VariableSpecification, alternateAccess [5] IMPLICIT AlternateAccess OPTIONAL }
 */
function readListItem(r: BerReader, lim: PduLimits): VariableListItem {
  const c = r.enter(UniversalTag.SEQUENCE);
  const variable = readVariableSpecification(c, lim);
  const alternateAccess = c.isNext(ALTERNATE_ACCESS)
    ? readAlternateAccessContent(c.enter(ALTERNATE_ACCESS), lim, 0)
    : undefined;
  c.expectEnd();
  return { variable, alternateAccess };
}

/** The items of a listOfVariable (content of `r`). */
export function readVariableList(r: BerReader, lim: PduLimits): VariableListItem[] {
  return readList(r, lim, (c) => readListItem(c, lim));
}

/** Writes `[tag] IMPLICIT SEQUENCE OF SEQUENCE { variableSpecification, alternateAccess }`. */
export function writeVariableList(w: BerWriter, tag: number, list: readonly VariableListItem[]): void {
  const m = w.begin(tag);
  for (const item of list) {
    const s = w.begin(UniversalTag.SEQUENCE);
    writeVariableSpecification(w, item.variable);
    if (item.alternateAccess !== undefined) {
      const a = w.begin(ALTERNATE_ACCESS);
      writeAlternateAccessContent(w, item.alternateAccess);
      w.end(a);
    }
    w.end(s);
  }
  w.end(m);
}

/**
 * ISO 9506-2 §14.4.6:
 *   VariableAccessSpecification ::= CHOICE {
 *     listOfVariable [0] IMPLICIT SEQUENCE OF SEQUENCE { variableSpecification, alternateAccess [5] OPTIONAL },
 *     variableListName [1] ObjectName }
 */
export function readVariableAccessSpecification(r: BerReader, lim: PduLimits): VariableAccessSpecification {
  const tag = r.peekTag();
  if (tag === LIST_OF_VARIABLE) return { kind: "listOfVariable", list: readVariableList(r.enter(tag), lim) };
  if (tag === VARIABLE_LIST_NAME)
    return { kind: "variableListName", name: readWrappedObjectName(r, tag, lim) };
  return r.fail(tag === -1 ? "truncated" : "unexpected-tag", "expected a VariableAccessSpecification");
}

export function writeVariableAccessSpecification(w: BerWriter, v: VariableAccessSpecification): void {
  if (v.kind === "listOfVariable") writeVariableList(w, LIST_OF_VARIABLE, v.list);
  else if (v.kind === "variableListName") writeWrappedObjectName(w, VARIABLE_LIST_NAME, v.name);
  else invalid("unknown VariableAccessSpecification");
}

export const variableAccessSpecificationCodec: Codec<VariableAccessSpecification> = {
  encode: (value, w) => writeVariableAccessSpecification(w, value),
  decode: (r) => readVariableAccessSpecification(r, defaultPduLimits),
};
