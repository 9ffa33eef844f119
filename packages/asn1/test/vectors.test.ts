/**
 * Every frame of ../shared/vectors/vectors.json: the BER part, from the presentation layer
 * inward, decodes as a tree and re-encodes byte-exact (all of them are canonical except V50c,
 * which is malformed).
 */
import { BerDecodeError, BerWriter, berToString, decodeTree, writeNode } from "@mms/asn1";
import { describe, expect, it } from "vitest";
import { loadVectors, toHex, vectorPpdus } from "./support";

/** Frames whose BER part is not canonical, and why (asserted below, so the list stays true). */
const NOT_CANONICAL: Record<string, { code: string; offset: number; why: string }> = {
  // Hand-built getAlarmSummary request: confirmed-RequestPDU [0] claims 7 content octets where
  // its enclosing presentation-data-values [0] leaves 6 (a0 08 a0 07 02 01 23 bf 3f 00). The
  // inner length overruns the outer one by one octet: peers.md §5 class 1.
  V50c: { code: "length-overflow", offset: 9, why: "inner length 7 > 6 octets left in the outer" },
};

describe("real frames (vectors.json)", () => {
  const ppdus = vectorPpdus();

  it("covers every frame that carries a presentation PPDU", () => {
    const covered = new Set(ppdus.flatMap((p) => p.ids));
    const noBer = loadVectors()
      .map((v) => v.id)
      .filter((id) => !covered.has(id));
    // CR/CC transport frames only: everything else carries BER.
    expect(noBer).toEqual(["V01", "V02", "V03", "V04", "V04b", "V46a", "V46b"]);
    expect(ppdus.map((p) => p.ids.join("+"))).toEqual(
      expect.arrayContaining(["V47a+V47b", "V48a+V48b", "V49b+V49c", "V43", "V44", "V45"]),
    );
    expect(new Set(ppdus.map((p) => p.spdu))).toEqual(new Set(["CN", "AC", "DT", "FN", "DN", "AB"]));
  });

  for (const { ids, spdu, ppdu } of vectorPpdus()) {
    const id = ids.join("+");
    const bad = NOT_CANONICAL[id];
    it(`${id} (${spdu}, ${ppdu.length} octets) ${bad ? `is refused: ${bad.why}` : "decodes and re-encodes byte-exact"}`, () => {
      if (bad) {
        let e: unknown;
        try {
          decodeTree(ppdu);
        } catch (x) {
          e = x;
        }
        expect(e).toBeInstanceOf(BerDecodeError);
        expect([(e as BerDecodeError).code, (e as BerDecodeError).offset]).toEqual([bad.code, bad.offset]);
        expect(berToString(ppdu)).toContain(`!! ${bad.code} at offset ${bad.offset}`);
        return;
      }
      const tree = decodeTree(ppdu);
      expect(tree).toHaveLength(1);
      const w = new BerWriter(16);
      for (const n of tree) writeNode(w, n);
      expect(toHex(w.view())).toBe(toHex(ppdu));
      expect(berToString(ppdu)).not.toContain("!!");
    });
  }
});
