/**
 * @mms/asn1 against asn1js 4 on the same bytes, in the same run:
 * - `asn1.read-request`: decode + encode of the presentation PPDU of V17a (an MMS Read request
 *   for one domain-specific variable) with a small hand-written codec on our reader/writer,
 *   versus asn1js `fromBER` + `toBER` of the same octets;
 * - `asn1.read-response-100f`: the same for a Read response carrying 100 floating-point values
 *   (MMS FloatingPoint = [7] IMPLICIT OCTET STRING: exponent width 0x08 then IEEE 754 single).
 * Each side must reproduce the input octets exactly (checked once before measuring).
 */
import {
  app,
  BerDecodeError,
  type BerReader,
  BerWriter,
  type Codec,
  ctx,
  ctxC,
  decode,
  readBoolean,
  readInteger,
  readVisibleString,
  UniversalTag,
  writeBoolean,
  writeInteger,
  writeVisibleString,
} from "@mms/asn1";
import { fromBER } from "asn1js";
import { type Suite, versusInterleaved } from "../harness";

const FULLY_ENCODED = app(1); // ISO 8823 user-data fully-encoded-data [APPLICATION 1]
const PDV_LIST = UniversalTag.SEQUENCE;
const SINGLE_ASN1 = ctxC(0); // presentation-data-values single-ASN1-type [0]
const CONFIRMED_REQUEST = ctxC(0);
const CONFIRMED_RESPONSE = ctxC(1);
const READ = ctxC(4);
const SPEC_WITH_RESULT = ctx(0);
const VARIABLE_ACCESS_SPEC = ctxC(1);
const LIST_OF_VARIABLE = ctxC(0);
const OBJECT_NAME = ctxC(0);
const DOMAIN_SPECIFIC = ctxC(1);
const LIST_OF_ACCESS_RESULT = ctxC(1);
const FLOATING_POINT = ctx(7);

interface ReadRequest {
  readonly contextId: number;
  readonly invokeId: number;
  readonly specificationWithResult: boolean | undefined;
  readonly variables: readonly { readonly domainId: string; readonly itemId: string }[];
}

interface ReadResponse {
  readonly contextId: number;
  readonly invokeId: number;
  readonly floats: Float32Array;
}

/** Enters `user-data / PDV-list`, returning the reader positioned at single-ASN1-type. */
function enterPdv(r: BerReader): { pdv: BerReader; contextId: number } {
  const pdv = r.enter(FULLY_ENCODED).enter(PDV_LIST);
  return { pdv, contextId: readInteger(pdv, UniversalTag.INTEGER, 1, 127) };
}

const readSpecWithResult = (r: BerReader): boolean => readBoolean(r, SPEC_WITH_RESULT);

function readVariable(r: BerReader): { domainId: string; itemId: string } {
  const d = r.enter(UniversalTag.SEQUENCE).enter(OBJECT_NAME).enter(DOMAIN_SPECIFIC);
  const domainId = readVisibleString(d);
  const itemId = readVisibleString(d);
  return { domainId, itemId };
}

const readRequestCodec: Codec<ReadRequest> = {
  decode(r) {
    const { pdv, contextId } = enterPdv(r);
    const req = pdv.enter(SINGLE_ASN1).enter(CONFIRMED_REQUEST);
    const invokeId = readInteger(req, UniversalTag.INTEGER, 0, 0xffffffff);
    const read = req.enter(READ);
    const specificationWithResult = read.optional(SPEC_WITH_RESULT, readSpecWithResult);
    const list = read.enter(VARIABLE_ACCESS_SPEC).enter(LIST_OF_VARIABLE);
    const variables = list.items(readVariable, 1000);
    return { contextId, invokeId, specificationWithResult, variables };
  },
  encode(v, w) {
    const a = w.begin(FULLY_ENCODED);
    const b = w.begin(PDV_LIST);
    writeInteger(w, v.contextId);
    const c = w.begin(SINGLE_ASN1);
    const d = w.begin(CONFIRMED_REQUEST);
    writeInteger(w, v.invokeId);
    const e = w.begin(READ);
    if (v.specificationWithResult !== undefined) writeBoolean(w, v.specificationWithResult, SPEC_WITH_RESULT);
    const f = w.begin(VARIABLE_ACCESS_SPEC);
    const g = w.begin(LIST_OF_VARIABLE);
    for (const x of v.variables) {
      const h = w.begin(UniversalTag.SEQUENCE);
      const i = w.begin(OBJECT_NAME);
      const j = w.begin(DOMAIN_SPECIFIC);
      writeVisibleString(w, x.domainId);
      writeVisibleString(w, x.itemId);
      w.end(j);
      w.end(i);
      w.end(h);
    }
    w.end(g);
    w.end(f);
    w.end(e);
    w.end(d);
    w.end(c);
    w.end(b);
    w.end(a);
  },
};

/** IEEE 754 single from 4 big-endian octets, without a DataView. */
function float32At(b: Uint8Array, p: number): number {
  const bits = ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  const sign = bits >>> 31 ? -1 : 1;
  const exp = (bits >>> 23) & 0xff;
  const frac = bits & 0x7fffff;
  if (exp === 0xff) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  if (exp === 0) return sign * frac * 2 ** -149;
  return sign * (1 + frac / 0x800000) * 2 ** (exp - 127);
}

function makeReadResponseCodec(): Codec<ReadResponse> {
  // Per-codec scratch for the float → octets conversion on encode.
  const f32 = new Float32Array(1);
  const u8 = new Uint8Array(f32.buffer);
  return {
    decode(r) {
      const { pdv, contextId } = enterPdv(r);
      const rsp = pdv.enter(SINGLE_ASN1).enter(CONFIRMED_RESPONSE);
      const invokeId = readInteger(rsp, UniversalTag.INTEGER, 0, 0xffffffff);
      const list = rsp.enter(READ).enter(LIST_OF_ACCESS_RESULT);
      // Each result takes at least 7 octets: one allocation bounded by the input.
      const floats = new Float32Array((list.end - list.pos) / 7);
      let n = 0;
      while (list.hasMore()) {
        // MMS FloatingPoint: exponent width 8 + 4 octets of IEEE 754 single (ISO 9506-2 §14.4.1).
        if (list.readPrimitive(FLOATING_POINT) !== 5 || list.bytes[list.contentStart] !== 8)
          throw new BerDecodeError(
            "invalid-value",
            "not a single-precision FloatingPoint",
            list.contentStart,
          );
        floats[n++] = float32At(list.bytes, list.contentStart + 1);
      }
      return { contextId, invokeId, floats: floats.subarray(0, n) };
    },
    encode(v, w) {
      const a = w.begin(FULLY_ENCODED);
      const b = w.begin(PDV_LIST);
      writeInteger(w, v.contextId);
      const c = w.begin(SINGLE_ASN1);
      const d = w.begin(CONFIRMED_RESPONSE);
      writeInteger(w, v.invokeId);
      const e = w.begin(READ);
      const f = w.begin(LIST_OF_ACCESS_RESULT);
      w.ensure(7 * v.floats.length);
      const buf = w.buf;
      let p = w.pos;
      for (let i = 0; i < v.floats.length; i++) {
        f32[0] = v.floats[i]!;
        buf[p] = 0x87;
        buf[p + 1] = 5;
        buf[p + 2] = 8;
        buf[p + 3] = u8[3]!;
        buf[p + 4] = u8[2]!;
        buf[p + 5] = u8[1]!;
        buf[p + 6] = u8[0]!;
        p += 7;
      }
      w.pos = p;
      w.end(f);
      w.end(e);
      w.end(d);
      w.end(c);
      w.end(b);
      w.end(a);
    },
  };
}

function hexBytes(h: string): Uint8Array {
  return Uint8Array.from(h.match(/../g)!.map((x) => Number.parseInt(x, 16)));
}

/** V17a's presentation PPDU (the frame minus TPKT, COTP DT and session GT+DT). */
const V17A_PPDU = hexBytes(
  "6141303f020103a03aa038020105a433a131a02f302da02ba1291a1173696d706c65494f47656e65726963494f1a144747494f31244d5824416e496e31246d61672466",
);

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Measures our decode+encode and asn1js's fromBER+toBER on `bytes`. */
function compare<T>(name: string, codec: Codec<T>, bytes: Uint8Array) {
  const w = new BerWriter(512);
  const ours = (): Uint8Array => {
    const v = decode(codec, bytes);
    w.reset();
    codec.encode(v, w);
    return w.view();
  };
  const theirs = (): ArrayBuffer => {
    const r = fromBER(bytes);
    return r.result.toBER(false);
  };
  if (!sameBytes(ours(), bytes)) throw new Error(`${name}: our codec does not reproduce the input`);
  if (!sameBytes(new Uint8Array(theirs()), bytes))
    throw new Error(`${name}: asn1js does not reproduce the input`);
  return versusInterleaved(name, ours, "asn1js", theirs, { bytes: bytes.length });
}

export const suite: Suite = {
  name: "asn1",
  async run() {
    const responseCodec = makeReadResponseCodec();
    const floats = Float32Array.from({ length: 100 }, (_, i) => (i - 50) * 1.25 + 0.5);
    const w = new BerWriter();
    responseCodec.encode({ contextId: 3, invokeId: 5, floats }, w);
    const response = w.toBytes();
    return [
      compare("asn1.read-request", readRequestCodec, V17A_PPDU),
      compare("asn1.read-response-100f", responseCodec, response),
    ];
  },
};
