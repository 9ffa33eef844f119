import { concatChain } from "@mms/io";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CotpEvent,
  CotpMachine,
  type CotpState,
  CotpUsageError,
  decodeTpdu,
  encodeConnect,
  encodeData,
  encodeDisconnect,
  encodeError,
  TpktFramer,
  TRANSITIONS,
  type Tpdu,
} from "../src/index";
import { fromHex } from "./support";

const body = (tpkt: Uint8Array): Uint8Array => tpkt.subarray(4);

const INPUTS = {
  CR: body(
    encodeConnect("CR", {
      dstRef: 0,
      srcRef: 9,
      tpduSize: 1024,
      callingTsap: fromHex("0001"),
      calledTsap: fromHex("0001"),
    }),
  ),
  CC: body(encodeConnect("CC", { dstRef: 1, srcRef: 9, tpduSize: 1024 })),
  DR: body(encodeDisconnect({ dstRef: 1, srcRef: 9, reason: 128 })),
  DT: body(encodeData(fromHex("0100010061"))),
  ER: body(encodeError({ dstRef: 1, cause: 2 })),
  garbage: fromHex("06c00000000100"),
} as const;
type InputName = keyof typeof INPUTS;

function machineIn(state: CotpState): CotpMachine {
  switch (state) {
    case "idle":
      return new CotpMachine({ role: "initiator" });
    case "wait-cr":
      return new CotpMachine({ role: "responder" });
    case "wait-cc": {
      const m = new CotpMachine({ role: "initiator" });
      m.connectRequest();
      m.takeOutgoing();
      return m;
    }
    case "open": {
      const m = new CotpMachine({ role: "responder" });
      m.receive(INPUTS.CR);
      m.takeOutgoing();
      return m;
    }
    case "closed": {
      const m = new CotpMachine({ role: "responder" });
      m.receive(INPUTS.DR);
      return m;
    }
  }
}

/** Decodes what a machine queued. */
function sent(m: CotpMachine): Tpdu[] {
  return new TpktFramer().push(concatChain(m.takeOutgoing())).map(decodeTpdu);
}

type Outcome =
  | "ER and close"
  | "CC and open"
  | "open"
  | "data"
  | "close"
  | "refused"
  | "peer error"
  | "ignored";

const TABLE: Record<CotpState, Record<InputName, Outcome>> = {
  idle: {
    CR: "ER and close",
    CC: "ER and close",
    DR: "ER and close",
    DT: "ER and close",
    ER: "ER and close",
    garbage: "ER and close",
  },
  "wait-cr": {
    CR: "CC and open",
    CC: "ER and close",
    DR: "close",
    DT: "ER and close",
    ER: "peer error",
    garbage: "ER and close",
  },
  "wait-cc": {
    CR: "ER and close",
    CC: "open",
    DR: "refused",
    DT: "ER and close",
    ER: "peer error",
    garbage: "ER and close",
  },
  open: {
    CR: "ER and close",
    CC: "ER and close",
    DR: "close",
    DT: "data",
    ER: "peer error",
    garbage: "ER and close",
  },
  closed: { CR: "ignored", CC: "ignored", DR: "ignored", DT: "ignored", ER: "ignored", garbage: "ignored" },
};

function disconnect(ev: readonly CotpEvent[]): Extract<CotpEvent, { type: "disconnectIndication" }> {
  const e = ev.find((x) => x.type === "disconnectIndication");
  if (e?.type !== "disconnectIndication") throw new Error(`no disconnect in ${JSON.stringify(ev)}`);
  return e;
}

describe("CotpMachine state table (ISO 8073 class 0)", () => {
  it("the exported TRANSITIONS table has exactly the non-error cells tested here", () => {
    for (const [state, row] of Object.entries(TABLE))
      for (const [input, outcome] of Object.entries(row)) {
        if (input === "garbage") continue;
        const cell = TRANSITIONS[state as CotpState][input as Tpdu["type"]];
        expect(cell === undefined, `${state} × ${input}`).toBe(outcome === "ER and close");
      }
  });

  for (const [state, row] of Object.entries(TABLE) as [CotpState, Record<InputName, Outcome>][])
    for (const [input, outcome] of Object.entries(row) as [InputName, Outcome][])
      it(`${state} × ${input} → ${outcome}`, () => {
        const m = machineIn(state);
        const ev = m.receive(INPUTS[input]);
        const out = sent(m);
        switch (outcome) {
          case "ER and close": {
            expect(out.map((t) => t.type)).toEqual(["ER"]);
            expect(m.state).toBe("closed");
            const d = disconnect(ev);
            expect(d.reason).toBe("error");
            expect(d.error?.name).toBe("CotpError");
            const er = out[0]!;
            if (er.type !== "ER") throw new Error();
            // The ER echoes the offending header (ISO 8073 §13.12.4).
            expect(er.invalidTpdu?.length).toBeGreaterThan(0);
            break;
          }
          case "CC and open":
            expect(out.map((t) => t.type)).toEqual(["CC"]);
            expect(m.state).toBe("open");
            expect(ev.map((e) => e.type)).toEqual(["connectIndication"]);
            break;
          case "open":
            expect(out).toEqual([]);
            expect(m.state).toBe("open");
            expect(ev.map((e) => e.type)).toEqual(["connectConfirm"]);
            expect(m.params?.tpduSize).toBe(1024);
            break;
          case "data":
            expect(out).toEqual([]);
            expect(ev).toEqual([{ type: "dataIndication", tsdu: INPUTS.DT.subarray(3) }]);
            break;
          case "close":
            expect(out).toEqual([]);
            expect(m.state).toBe("closed");
            expect(disconnect(ev).reason).toBe("remote");
            break;
          case "refused":
            expect(out).toEqual([]);
            expect(disconnect(ev).error?.code).toBe("refused");
            expect(disconnect(ev).error?.drReason).toBe(128);
            break;
          case "peer error":
            expect(out).toEqual([]);
            expect(m.state).toBe("closed");
            expect(disconnect(ev).error).toMatchObject({ code: "peer-error", erCause: 2 });
            break;
          case "ignored":
            expect(out).toEqual([]);
            expect(ev).toEqual([]);
            break;
        }
      });
});

describe("CotpMachine negotiation", () => {
  it("responder accepts the proposed size when below its cap, and caps it otherwise", () => {
    for (const [proposed, cap, expected] of [
      [1024, 8192, 1024],
      [8192, 2048, 2048],
      [128, 128, 128],
    ] as const) {
      const m = new CotpMachine({ role: "responder", maxTpduSize: cap });
      m.receive(body(encodeConnect("CR", { dstRef: 0, srcRef: 1, tpduSize: proposed })));
      const [cc] = sent(m);
      expect(cc).toMatchObject({ type: "CC", tpduSize: expected });
      expect(m.params?.tpduSize).toBe(expected);
    }
  });

  it("a CR without size parameter means 128 and the CC says so", () => {
    const m = new CotpMachine({ role: "responder" });
    m.receive(fromHex("06e00000000100"));
    expect(sent(m)[0]).toMatchObject({ type: "CC", tpduSize: 128, callingTsap: undefined });
  });

  it("initiator proposes 8192 and honours a lower CC answer", () => {
    const m = new CotpMachine({ role: "initiator" });
    m.connectRequest();
    expect(sent(m)[0]).toMatchObject({ type: "CR", tpduSize: 8192 });
    m.receive(body(encodeConnect("CC", { dstRef: 1, srcRef: 3, tpduSize: 256 })));
    expect(m.params).toMatchObject({ tpduSize: 256, remoteRef: 3 });
    m.dataRequest([new Uint8Array(600)]);
    const dts = sent(m);
    expect(dts.map((t) => (t.type === "DT" ? t.data.length : -1))).toEqual([253, 253, 94]);
  });

  it("a CC without size parameter means 128", () => {
    const m = new CotpMachine({ role: "initiator" });
    m.connectRequest();
    m.takeOutgoing();
    m.receive(fromHex("06d00001000300"));
    expect(m.params?.tpduSize).toBe(128);
  });

  it("a CC raising the size above the proposal → ER and close (negotiation failed)", () => {
    const m = new CotpMachine({ role: "initiator", maxTpduSize: 1024 });
    m.connectRequest();
    m.takeOutgoing();
    const ev = m.receive(body(encodeConnect("CC", { dstRef: 1, srcRef: 1, tpduSize: 2048 })));
    expect(disconnect(ev).error?.code).toBe("negotiation-failed");
    expect(sent(m)[0]).toMatchObject({ type: "ER", cause: 3 });
  });

  it("a CC selecting class 2 → ER and close", () => {
    const m = new CotpMachine({ role: "initiator" });
    m.connectRequest();
    m.takeOutgoing();
    const ev = m.receive(
      body(encodeConnect("CC", { dstRef: 1, srcRef: 1, tpduSize: 1024, classOption: 0x20 })),
    );
    expect(disconnect(ev).error?.code).toBe("negotiation-failed");
    expect(sent(m)[0]?.type).toBe("ER");
  });

  it("a CR proposing class 2 → DR reason 130 (negotiation failed)", () => {
    const m = new CotpMachine({ role: "responder" });
    const ev = m.receive(
      body(encodeConnect("CR", { dstRef: 0, srcRef: 4, tpduSize: 1024, classOption: 0x20 })),
    );
    expect(sent(m)).toEqual([{ type: "DR", dstRef: 4, srcRef: 1, reason: 130, additionalInfo: undefined }]);
    expect(disconnect(ev).error?.code).toBe("negotiation-failed");
  });

  it("the accept policy refuses a CR with the DR reason it returns", () => {
    const m = new CotpMachine({
      role: "responder",
      accept: (r) => (r.calledTsap?.[1] === 1 ? undefined : 2),
    });
    const ev = m.receive(body(encodeConnect("CR", { dstRef: 0, srcRef: 4, calledTsap: fromHex("0002") })));
    expect(sent(m)[0]).toMatchObject({ type: "DR", reason: 2 });
    expect(disconnect(ev).error).toMatchObject({ code: "refused", drReason: 2 });
  });

  it("refuses bad options and misuse with CotpUsageError", () => {
    expect(() => new CotpMachine({ role: "initiator", maxTpduSize: 100 })).toThrow(CotpUsageError);
    expect(() => new CotpMachine({ role: "initiator", maxTpduSize: 16384 })).toThrow(CotpUsageError);
    expect(() => new CotpMachine({ role: "responder" }).connectRequest()).toThrow(
      expect.objectContaining({ code: "wrong-role" }),
    );
    expect(() => new CotpMachine({ role: "initiator" }).dataRequest([new Uint8Array(1)])).toThrow(
      expect.objectContaining({ code: "not-connected" }),
    );
  });
});

describe("CotpMachine data phase", () => {
  const open = (size: number, maxTsduSize?: number): CotpMachine => {
    const m = new CotpMachine({
      role: "responder",
      maxTpduSize: size,
      ...(maxTsduSize ? { maxTsduSize } : {}),
    });
    m.receive(body(encodeConnect("CR", { dstRef: 0, srcRef: 1, tpduSize: size })));
    m.takeOutgoing();
    return m;
  };

  it("segmentation and reassembly round-trip any TSDU over any TPDU size", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 7, max: 13 }),
        fc.array(fc.uint8Array({ maxLength: 3000 }), { minLength: 1, maxLength: 4 }),
        (code, parts) => {
          const size = 1 << code;
          const tx = new CotpMachine({ role: "initiator", maxTpduSize: size });
          tx.connectRequest();
          const rx = new CotpMachine({ role: "responder" });
          rx.receive(new TpktFramer().push(concatChain(tx.takeOutgoing()))[0]!);
          tx.receive(new TpktFramer().push(concatChain(rx.takeOutgoing()))[0]!);
          tx.dataRequest(parts);
          const chain = tx.takeOutgoing();
          const tpdus = new TpktFramer().push(concatChain(chain));
          const total = parts.reduce((n, p) => n + p.length, 0);
          expect(tpdus.length).toBe(Math.max(1, Math.ceil(total / (size - 3))));
          let tsdu: Uint8Array | undefined;
          tpdus.forEach((t, i) => {
            expect(t.length).toBeLessThanOrEqual(size);
            const ev = rx.receive(t);
            if (i < tpdus.length - 1) expect(ev).toEqual([]);
            else tsdu = ev[0]?.type === "dataIndication" ? ev[0].tsdu : undefined;
          });
          expect(tsdu && [...tsdu]).toEqual([...concatChain(parts)]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("a small TSDU goes out as [TPKT+DT header, ...chunks] with the chunks themselves (no copy)", () => {
    const m = open(8192);
    const a = new Uint8Array([1, 2]);
    const b = new Uint8Array([3]);
    m.dataRequest([a, b]);
    const out = m.takeOutgoing();
    expect(out.length).toBe(3);
    expect(out[0]!.length).toBe(7);
    expect(out[1]).toBe(a);
    expect(out[2]).toBe(b);
  });

  it("a single-DT TSDU is delivered as a view of the TPDU (no copy)", () => {
    const m = open(1024);
    const t = INPUTS.DT;
    const ev = m.receive(t);
    expect(ev[0]?.type === "dataIndication" && ev[0].tsdu.buffer).toBe(t.buffer);
  });

  it("a DT longer than the negotiated size → ER and close (tpdu-too-large)", () => {
    const m = open(128);
    const ev = m.receive(body(encodeData(new Uint8Array(126))));
    expect(disconnect(ev).error?.code).toBe("tpdu-too-large");
    expect(sent(m)[0]?.type).toBe("ER");
  });

  it("a TSDU beyond maxTsduSize → ER and close (tsdu-too-large), including a never-ending EOT=0 stream", () => {
    const m = open(1024, 3000);
    const seg = body(encodeData(new Uint8Array(1021), false));
    expect(m.receive(seg)).toEqual([]);
    expect(m.receive(seg)).toEqual([]);
    const ev = m.receive(seg);
    expect(disconnect(ev).error?.code).toBe("tsdu-too-large");
    expect(sent(m)[0]?.type).toBe("ER");
    expect(m.receive(seg)).toEqual([]);
  });

  it("a TSDU of exactly maxTsduSize is delivered", () => {
    const m = open(1024, 2042);
    m.receive(body(encodeData(new Uint8Array(1021), false)));
    const ev = m.receive(body(encodeData(new Uint8Array(1021), true)));
    expect(ev[0]?.type === "dataIndication" && ev[0].tsdu.length).toBe(2042);
  });

  it("disconnectRequest in the data phase sends DR reason 128 and closes locally", () => {
    const m = open(1024);
    const ev = m.disconnectRequest();
    expect(sent(m)).toEqual([{ type: "DR", dstRef: 1, srcRef: 1, reason: 128, additionalInfo: undefined }]);
    expect(disconnect(ev).reason).toBe("local");
    expect(m.disconnectRequest()).toEqual([]);
  });

  it("a framing error in the data phase → ER (cause 0) and close", () => {
    const m = open(1024);
    try {
      new TpktFramer().push(fromHex("16030100"));
    } catch (e) {
      const ev = m.receiveFramingError(e as never);
      expect(disconnect(ev).error?.code).toBe("tpkt-version");
    }
    expect(sent(m)[0]).toMatchObject({ type: "ER", cause: 0 });
  });

  it("an ER is never answered with an ER (no error ping-pong)", () => {
    for (const s of ["wait-cr", "wait-cc", "open", "closed"] as const) {
      const m = machineIn(s);
      m.receive(INPUTS.ER);
      expect(
        sent(m).filter((t) => t.type === "ER"),
        s,
      ).toEqual([]);
    }
  });
});
