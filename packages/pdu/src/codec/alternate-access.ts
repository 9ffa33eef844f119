import { type BerReader, type BerWriter, ctx, ctxC, UniversalTag, writeInteger } from "@mms/asn1";
import type { PduLimits } from "../limits";
import type {
  AccessSelector,
  AlternateAccess,
  AlternateAccessElement,
  AlternateAccessSelection,
} from "../model/types";
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

/**
 * ISO 9506-2 §14.4.3:
 *   AlternateAccess ::= SEQUENCE OF CHOICE {
 *     unnamed AlternateAccessSelection,
 *     named [5] IMPLICIT SEQUENCE { componentName [0] IMPLICIT Identifier, access AlternateAccessSelection } }
 *   AlternateAccessSelection ::= CHOICE {
 *     selectAlternateAccess [0] IMPLICIT SEQUENCE {
 *       accessSelection CHOICE { component [0] Identifier, index [1] Unsigned32,
 *         indexRange [2] SEQUENCE { lowIndex [0] Unsigned32, numberOfElements [1] Unsigned32 },
 *         allElements [3] NULL },
 *       alternateAccess AlternateAccess },
 *     selectAccess CHOICE { component [1] Identifier, index [2] Unsigned32,
 *       indexRange [3] SEQUENCE { lowIndex [0], numberOfElements [1] }, allElements [4] NULL } }
 *   (every tag IMPLICIT). `r` holds the elements; nesting is bounded by `lim.maxNestingLevel`.
 */
export function readAlternateAccessContent(r: BerReader, lim: PduLimits, level: number): AlternateAccess {
  if (level >= lim.maxNestingLevel) r.fail("depth-exceeded", "AlternateAccess nested too deep");
  return readList(r, lim, (c) => readElement(c, lim, level));
}

function readElement(r: BerReader, lim: PduLimits, level: number): AlternateAccessElement {
  if (r.isNext(ctxC(5))) {
    const c = r.enter(ctxC(5));
    const componentName = readIdentifier(c, ctx(0), lim);
    const selection = readSelection(c, lim, level);
    c.expectEnd();
    return { componentName, selection };
  }
  return { componentName: undefined, selection: readSelection(r, lim, level) };
}

function readSelection(r: BerReader, lim: PduLimits, level: number): AlternateAccessSelection {
  if (r.isNext(ctxC(0))) {
    const c = r.enter(ctxC(0));
    const selector = readSelector(c, lim, 0);
    const alternateAccess = readAlternateAccessContent(c.enter(UniversalTag.SEQUENCE), lim, level + 1);
    c.expectEnd();
    return { kind: "selectAlternateAccess", selector, alternateAccess };
  }
  return { kind: "selectAccess", selector: readSelector(r, lim, 1) };
}

/** The selector CHOICE; `base` is 0 inside selectAlternateAccess, 1 for selectAccess. */
function readSelector(r: BerReader, lim: PduLimits, base: number): AccessSelector {
  const tag = r.peekTag();
  if (tag === ctx(base)) return { kind: "component", component: readIdentifier(r, tag, lim) };
  if (tag === ctx(base + 1)) return { kind: "index", index: readUnsigned32(r, tag) };
  if (tag === ctxC(base + 2)) {
    const c = r.enter(tag);
    const lowIndex = readUnsigned32(c, ctx(0));
    const numberOfElements = readUnsigned32(c, ctx(1));
    c.expectEnd();
    return { kind: "indexRange", lowIndex, numberOfElements };
  }
  if (tag === ctx(base + 3)) {
    readNullTag(r, tag);
    return { kind: "allElements" };
  }
  return r.fail(tag === -1 ? "truncated" : "unexpected-tag", "expected an access selection");
}

/** Writes the elements of an AlternateAccess (the caller writes the enclosing tag). */
export function writeAlternateAccessContent(w: BerWriter, aa: AlternateAccess): void {
  for (const el of aa) {
    if (el.componentName !== undefined) {
      const m = w.begin(ctxC(5));
      writeIdentifier(w, el.componentName, ctx(0));
      writeSelection(w, el.selection);
      w.end(m);
    } else writeSelection(w, el.selection);
  }
}

function writeSelection(w: BerWriter, s: AlternateAccessSelection): void {
  if (s.kind === "selectAlternateAccess") {
    const m = w.begin(ctxC(0));
    writeSelector(w, s.selector, 0);
    const q = w.begin(UniversalTag.SEQUENCE);
    writeAlternateAccessContent(w, s.alternateAccess);
    w.end(q);
    w.end(m);
  } else if (s.kind === "selectAccess") writeSelector(w, s.selector, 1);
  else invalid("unknown AlternateAccessSelection");
}

function writeSelector(w: BerWriter, s: AccessSelector, base: number): void {
  switch (s.kind) {
    case "component":
      writeIdentifier(w, s.component, ctx(base));
      return;
    case "index":
      writeInteger(w, checkUnsigned32(s.index, "index"), ctx(base + 1));
      return;
    case "indexRange": {
      const m = w.begin(ctxC(base + 2));
      writeInteger(w, checkUnsigned32(s.lowIndex, "lowIndex"), ctx(0));
      writeInteger(w, checkUnsigned32(s.numberOfElements, "numberOfElements"), ctx(1));
      w.end(m);
      return;
    }
    case "allElements":
      writeNullTag(w, ctx(base + 3));
      return;
    default:
      invalid("unknown access selector");
  }
}
