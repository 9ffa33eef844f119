import type { BerReader } from "../reader";
import { ctx, ctxC, type Tag, UniversalTag } from "../tag";
import type { BerWriter } from "../writer";
import { type BitString, readBitString, writeBitString } from "./bit-string";
import { readInteger, writeInteger } from "./integer";
import { readOctetString, writeOctetString } from "./octet-string";
import { type Oid, readOid, writeOid } from "./oid";
import { readOctetCharString, writeOctetCharString } from "./strings";

/**
 * EXTERNAL, X.680 §8.18 / X.690 §8.18 (the 1990 form used by ACSE user-information and
 * authentication values):
 *
 * ```asn1
 * EXTERNAL ::= [UNIVERSAL 8] IMPLICIT SEQUENCE {
 *   direct-reference      OBJECT IDENTIFIER OPTIONAL,
 *   indirect-reference    INTEGER OPTIONAL,
 *   data-value-descriptor ObjectDescriptor OPTIONAL,
 *   encoding CHOICE {
 *     single-ASN1-type [0] ANY,
 *     octet-aligned    [1] IMPLICIT OCTET STRING,
 *     arbitrary        [2] IMPLICIT BIT STRING } }
 * ```
 *
 * `single-ASN1-type` keeps the embedded value as its raw TLV (a view), so the layer that owns
 * its abstract syntax decodes it, and signatures can be checked over the received octets.
 */
export type ExternalEncoding =
  | { readonly type: "single-ASN1-type"; readonly value: Uint8Array }
  | { readonly type: "octet-aligned"; readonly value: Uint8Array }
  | { readonly type: "arbitrary"; readonly value: BitString };

export interface External {
  readonly directReference: Oid | undefined;
  readonly indirectReference: number | undefined;
  readonly dataValueDescriptor: string | undefined;
  readonly encoding: ExternalEncoding;
}

const SINGLE = ctxC(0);
const OCTET_ALIGNED = ctx(1);
const ARBITRARY = ctx(2);

export function readExternal(r: BerReader, tag: Tag = UniversalTag.EXTERNAL): External {
  const s = r.enter(tag);
  const directReference = s.isNext(UniversalTag.OBJECT_IDENTIFIER) ? readOid(s) : undefined;
  const indirectReference = s.isNext(UniversalTag.INTEGER)
    ? readInteger(s, UniversalTag.INTEGER, -0x80000000, 0x7fffffff)
    : undefined;
  const dataValueDescriptor = s.isNext(UniversalTag.OBJECT_DESCRIPTOR)
    ? readOctetCharString(s, UniversalTag.OBJECT_DESCRIPTOR)
    : undefined;
  let encoding: ExternalEncoding;
  const t = s.peekTag();
  if (t === SINGLE) {
    const inner = s.enter(SINGLE);
    encoding = { type: "single-ASN1-type", value: inner.readTlv() };
    inner.expectEnd();
  } else if (t === OCTET_ALIGNED) {
    encoding = { type: "octet-aligned", value: readOctetString(s, OCTET_ALIGNED) };
  } else if (t === ARBITRARY) {
    encoding = { type: "arbitrary", value: readBitString(s, ARBITRARY) };
  } else if (t === -1) {
    return s.fail("truncated", "EXTERNAL without an encoding");
  } else {
    return s.fail("unexpected-tag", "EXTERNAL encoding must be [0], [1] or [2]");
  }
  s.expectEnd();
  return { directReference, indirectReference, dataValueDescriptor, encoding };
}

export function writeExternal(w: BerWriter, value: External, tag: Tag = UniversalTag.EXTERNAL): void {
  const mark = w.begin(tag);
  if (value.directReference !== undefined) writeOid(w, value.directReference);
  if (value.indirectReference !== undefined) writeInteger(w, value.indirectReference);
  if (value.dataValueDescriptor !== undefined)
    writeOctetCharString(w, value.dataValueDescriptor, UniversalTag.OBJECT_DESCRIPTOR);
  const e = value.encoding;
  if (e.type === "single-ASN1-type") {
    const m = w.begin(SINGLE);
    w.raw(e.value);
    w.end(m);
  } else if (e.type === "octet-aligned") writeOctetString(w, e.value, OCTET_ALIGNED);
  else writeBitString(w, e.value, ARBITRARY);
  w.end(mark);
}
