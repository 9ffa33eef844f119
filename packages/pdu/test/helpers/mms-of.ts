/**
 * Test helper: the MMS PDU inside each captured vector. A trusting walker for known-good frames
 * (TPKT → COTP DT with reassembly → session GT+DT or CN/AC user data → presentation
 * fully-encoded-data or CP/CPA → ACSE user-information EXTERNAL → MMS). Throws plain errors.
 */
import { app, BerReader, ctxC, UniversalTag } from "@mms/asn1";
import { fromHex, loadVectors } from "./test-utils";

export interface MmsVector {
  /** Ids of the frames the TSDU came from (several for segmented vectors). */
  readonly ids: readonly string[];
  readonly title: string;
  /** The MMS PDU (a view of the reassembled TSDU). */
  readonly mms: Uint8Array;
  /** The prefix before the MMS PDU in the presentation data (for rebuilding frames). */
  readonly where: "data" | "connect";
}

function tsdus(): { ids: string[]; title: string; tsdu: Uint8Array }[] {
  const out: { ids: string[]; title: string; tsdu: Uint8Array }[] = [];
  let parts: Uint8Array[] = [];
  let ids: string[] = [];
  for (const v of loadVectors()) {
    const f = fromHex(v.hex);
    if (f.length < 7 || f[0] !== 3 || f[5] !== 0xf0) continue; // DT only (ISO 8073 §13.7)
    parts.push(f.subarray(7));
    ids.push(v.id);
    if ((f[6]! & 0x80) === 0) continue;
    const tsdu = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      tsdu.set(p, o);
      o += p.length;
    }
    out.push({ ids, title: v.title, tsdu });
    parts = [];
    ids = [];
  }
  return out;
}

function li(b: Uint8Array, p: number): [number, number] {
  return b[p] === 0xff ? [(b[p + 1]! << 8) | b[p + 2]!, p + 3] : [b[p]!, p + 1];
}

function sessionUserData(t: Uint8Array): Uint8Array | undefined {
  if (t[0] === 1 && t[1] === 0 && t[2] === 1 && t[3] === 0) return t.subarray(4);
  if (t[0] !== 0x0d && t[0] !== 0x0e) return undefined; // CN, AC only
  let [len, p] = li(t, 1);
  const end = p + len;
  while (p < end) {
    const code = t[p++]!;
    const [pl, q] = li(t, p);
    if (code === 0xc1 || code === 0xc2) return t.subarray(q, q + pl);
    p = q + pl;
  }
  return undefined;
}

/** MMS inside presentation user data `61 { 30 { 02 ctx, a0 { pdu } } }` when ctx is not ACSE (1). */
function fromFullyEncoded(r: BerReader): { mms: Uint8Array; acse: boolean } {
  const pdv = r.enter(app(1)).enter(UniversalTag.SEQUENCE);
  const ctxId = pdv.readContent(UniversalTag.INTEGER)[0];
  // The whole content of single-ASN1-type: a malformed PDU inside (V50c) stays malformed.
  const inner = pdv.readContent(ctxC(0));
  return { mms: inner, acse: ctxId === 1 };
}

/** The initiate PDU inside an AARQ/AARE: user-information [30] → EXTERNAL → single-ASN1-type [0]. */
function fromAcse(acse: Uint8Array): Uint8Array | undefined {
  const r = new BerReader(acse);
  const a = r.enterAny();
  while (a.hasMore()) {
    if (a.isNext(ctxC(30))) {
      const ext = a.enter(ctxC(30)).enter(UniversalTag.EXTERNAL);
      while (ext.hasMore()) {
        if (ext.isNext(ctxC(0))) return ext.readContent(ctxC(0));
        ext.skip();
      }
    }
    a.skip();
  }
  return undefined;
}

export function mmsVectors(): MmsVector[] {
  const out: MmsVector[] = [];
  for (const t of tsdus()) {
    const ppdu = sessionUserData(t.tsdu);
    if (!ppdu) continue;
    const r = new BerReader(ppdu);
    if (r.isNext(app(1))) {
      const { mms, acse } = fromFullyEncoded(r);
      if (!acse) out.push({ ids: t.ids, title: t.title, mms, where: "data" });
      continue;
    }
    // CP-type / CPA-PPDU (SET): normal-mode-parameters [2] → user-data fully-encoded-data.
    const set = r.enter(UniversalTag.SET);
    while (set.hasMore()) {
      if (set.isNext(ctxC(2))) {
        const nm = set.enter(ctxC(2));
        while (nm.hasMore()) {
          if (nm.isNext(app(1))) {
            const mms = fromAcse(fromFullyEncoded(nm).mms);
            if (mms) out.push({ ids: t.ids, title: t.title, mms, where: "connect" });
          } else nm.skip();
        }
      } else set.skip();
    }
  }
  return out;
}

/** Wraps an MMS PDU the way libiec61850 does on an established association (stack.md §10). */
export function dataFrame(mms: Uint8Array): Uint8Array {
  const enc = (tag: number, content: Uint8Array): Uint8Array => {
    const n = content.length;
    const hdr = n < 0x80 ? [tag, n] : n < 0x100 ? [tag, 0x81, n] : [tag, 0x82, n >> 8, n & 0xff];
    const out = new Uint8Array(hdr.length + n);
    out.set(hdr);
    out.set(content, hdr.length);
    return out;
  };
  const single = enc(0xa0, mms);
  const pdv = new Uint8Array(3 + single.length);
  pdv.set([0x02, 0x01, 0x03]);
  pdv.set(single, 3);
  const ppdu = enc(0x61, enc(0x30, pdv));
  const tpktLen = 4 + 3 + 4 + ppdu.length;
  const frame = new Uint8Array(tpktLen);
  frame.set([0x03, 0x00, tpktLen >> 8, tpktLen & 0xff, 0x02, 0xf0, 0x80, 0x01, 0x00, 0x01, 0x00]);
  frame.set(ppdu, 11);
  return frame;
}
