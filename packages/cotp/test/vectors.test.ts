import { concatChain } from "@mms/io";
import { dissectCheck, fromHex, hasTshark, loadVectors, toHex, vectorBytes } from "./support";
import { describe, expect, it } from "vitest";
import {
  CotpMachine,
  decodeTpdu,
  encodeConnect,
  encodeData,
  encodeDisconnect,
  TpktFramer,
} from "../src/index";

const tpduOf = (id: string): Uint8Array => {
  const frames = new TpktFramer().push(vectorBytes(id));
  expect(frames).toHaveLength(1);
  return frames[0]!;
};

describe("shared vectors", () => {
  it("every vector is exactly one TPKT and its TPDU decodes", () => {
    const vectors = loadVectors();
    expect(vectors.length).toBeGreaterThan(90);
    for (const v of vectors) {
      const bytes = fromHex(v.hex);
      const frames = new TpktFramer().push(bytes);
      expect(frames, v.id).toHaveLength(1);
      const t = decodeTpdu(frames[0]!);
      expect(["CR", "CC", "DT"], v.id).toContain(t.type);
    }
  });

  it("every DT vector is class 0 with LI 2 and carries the rest of the frame", () => {
    for (const v of loadVectors()) {
      const t = decodeTpdu(tpduOf(v.id));
      if (t.type !== "DT") continue;
      expect(t.data.length, v.id).toBe(fromHex(v.hex).length - 7);
    }
  });

  it("V01 libiec61850 CR: size 8192, called and calling TSAP 00 01", () => {
    const t = decodeTpdu(tpduOf("V01"));
    expect(t).toMatchObject({ type: "CR", dstRef: 0, srcRef: 1, classOption: 0, tpduSize: 8192 });
    if (t.type !== "CR") throw new Error();
    expect(toHex(t.callingTsap!)).toBe("0001");
    expect(toHex(t.calledTsap!)).toBe("0001");
  });

  it("V02 nmap CR: parameters in another order, size 1024, calling 00 00", () => {
    const t = decodeTpdu(tpduOf("V02"));
    if (t.type !== "CR") throw new Error(t.type);
    expect(t.tpduSize).toBe(1024);
    expect(toHex(t.callingTsap!)).toBe("0000");
    expect(toHex(t.calledTsap!)).toBe("0001");
  });

  it("V03 third-party CR: SRC-REF b001, called 00 02", () => {
    const t = decodeTpdu(tpduOf("V03"));
    if (t.type !== "CR") throw new Error(t.type);
    expect(t.srcRef).toBe(0xb001);
    expect(toHex(t.calledTsap!)).toBe("0002");
  });

  it("V04/V04b/V46b CC decode", () => {
    expect(decodeTpdu(tpduOf("V04"))).toMatchObject({ type: "CC", dstRef: 1, srcRef: 1, tpduSize: 8192 });
    expect(decodeTpdu(tpduOf("V04b"))).toMatchObject({ type: "CC", tpduSize: 1024 });
    expect(decodeTpdu(tpduOf("V46a"))).toMatchObject({ type: "CR", srcRef: 2, tpduSize: 128 });
    expect(decodeTpdu(tpduOf("V46b"))).toMatchObject({ type: "CC", dstRef: 2, tpduSize: 128 });
  });

  it("our responder answers V01 with exactly the libiec61850 CC (V04)", () => {
    const m = new CotpMachine({ role: "responder" });
    const ev = m.receive(tpduOf("V01"));
    expect(ev[0]?.type).toBe("connectIndication");
    expect(toHex(concatChain(m.takeOutgoing()))).toBe(toHex(vectorBytes("V04")));
  });

  it("our responder answers the nmap CR (V02) as libiec61850 does (V04b)", () => {
    const m = new CotpMachine({ role: "responder" });
    m.receive(tpduOf("V02"));
    expect(toHex(concatChain(m.takeOutgoing()))).toBe(toHex(vectorBytes("V04b")));
  });

  it("our responder capped at 128 answers V46a as V46b, modulo SRC-REF", () => {
    const m = new CotpMachine({ role: "responder", maxTpduSize: 128 });
    m.receive(tpduOf("V46a"));
    expect(toHex(concatChain(m.takeOutgoing()))).toBe(toHex(vectorBytes("V46b")));
  });

  it("our initiator sends exactly the libiec61850 CR (V01)", () => {
    const m = new CotpMachine({ role: "initiator" });
    m.connectRequest();
    expect(toHex(concatChain(m.takeOutgoing()))).toBe(toHex(vectorBytes("V01")));
  });

  for (const [name, segs, whole] of [
    ["V47 (client CN)", ["V47a", "V47b"], "V05"],
    ["V48 (server AC)", ["V48a", "V48b"], "V06"],
    ["V49 (read response)", ["V49b", "V49c"], undefined],
  ] as const) {
    it(`reassembles the segmented ${name} at TPDU size 128`, () => {
      const m = new CotpMachine({ role: "responder", maxTpduSize: 128 });
      m.receive(tpduOf("V46a"));
      m.takeOutgoing();
      const [first, second] = segs.map(tpduOf) as [Uint8Array, Uint8Array];
      expect(decodeTpdu(first)).toMatchObject({ type: "DT", eot: false });
      expect(m.receive(first)).toEqual([]);
      const ev = m.receive(second);
      expect(ev).toHaveLength(1);
      const e = ev[0]!;
      if (e.type !== "dataIndication") throw new Error(e.type);
      expect(e.tsdu.length).toBe(first.length - 3 + second.length - 3);
      if (whole) expect(toHex(e.tsdu)).toBe(toHex(vectorBytes(whole).subarray(7)));
      expect(m.takeOutgoing()).toEqual([]);
    });
  }

  it("segmenting V05's TSDU at size 128 reproduces V47a + V47b byte for byte", () => {
    const m = new CotpMachine({ role: "initiator", maxTpduSize: 128, localRef: 2 });
    m.connectRequest();
    m.takeOutgoing();
    m.receive(tpduOf("V46b"));
    m.dataRequest([vectorBytes("V05").subarray(7)]);
    expect(toHex(concatChain(m.takeOutgoing()))).toBe(
      toHex(vectorBytes("V47a")) + toHex(vectorBytes("V47b")),
    );
  });
});

describe("Wireshark accepts what we build", () => {
  it.skipIf(!hasTshark())("CR, CC, DT (single and segmented), DR, ER pass dissect-check", () => {
    const client = new CotpMachine({ role: "initiator", maxTpduSize: 128 });
    client.connectRequest();
    const cr = concatChain(client.takeOutgoing());
    const server = new CotpMachine({ role: "responder" });
    server.receive(new TpktFramer().push(cr)[0]!);
    const cc = concatChain(server.takeOutgoing());
    client.receive(new TpktFramer().push(cc)[0]!);
    client.dataRequest([vectorBytes("V05").subarray(7)]);
    const segmented = client.takeOutgoing();
    const dts = new TpktFramer().push(concatChain(segmented)).map((t) => {
      const out = new Uint8Array(t.length + 4);
      out.set([3, 0, (t.length + 4) >> 8, (t.length + 4) & 0xff]);
      out.set(t, 4);
      return out;
    });
    expect(dts.length).toBe(2);
    // The ER our machine sends for a CR in the data phase.
    server.receive(new TpktFramer().push(cr)[0]!);
    const erFromMachine = concatChain(server.takeOutgoing());
    expect(decodeTpdu(erFromMachine.subarray(4)).type).toBe("ER");
    const frames = [
      { dir: ">" as const, bytes: cr },
      { dir: "<" as const, bytes: cc },
      ...dts.map((bytes) => ({ dir: ">" as const, bytes })),
      { dir: "<" as const, bytes: encodeData(vectorBytes("V06").subarray(7)) },
      { dir: ">" as const, bytes: encodeDisconnect({ dstRef: 1, srcRef: 1, reason: 128 }) },
      { dir: "<" as const, bytes: erFromMachine },
      {
        dir: ">" as const,
        bytes: encodeConnect("CR", {
          dstRef: 0,
          srcRef: 7,
          tpduSize: 1024,
          callingTsap: fromHex("0000"),
          calledTsap: fromHex("0001"),
        }),
      },
    ];
    const r = dissectCheck(frames);
    expect(r.ok, r.output).toBe(true);
    // Every frame must be dissected as COTP (a frame Wireshark does not recognise is not an error
    // for dissect-check), with the TPDU type we meant.
    const lines = r.output.split("\n").filter((l) => /^\s+\d+\s/.test(l));
    expect(lines.length, r.output).toBe(frames.length);
    for (const l of lines) expect(l, r.output).toMatch(/cotp/);
    const summary = lines.join("\n");
    for (const t of ["CR TPDU", "CC TPDU", "DR TPDU", "ER TPDU"]) expect(summary, r.output).toContain(t);
  });
});
