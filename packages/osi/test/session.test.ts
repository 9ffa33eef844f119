import {
  decodeSpdu,
  encodeAB,
  encodeCN,
  encodeDN,
  encodeFN,
  encodeRF,
  concatChain,
  FU_DUPLEX,
  MAX_CN_USER_DATA,
  OsiProtocolError,
  OsiUsageError,
  PI,
  SESSION_TRANSITIONS,
  SessionMachine,
  VERSION_2,
} from "@mms/osi";
import { describe, expect, it } from "vitest";
import { hex, reassembled, toHex, tsduOf } from "./support";

const CONNECT_IDS = ["V05", "V08", "V10", "V12", "V12b"];
const ACCEPT_IDS = ["V06", "V07", "V09", "V11"];

describe("session SPDU decoding of real frames", () => {
  it.each(CONNECT_IDS)("%s decodes as CN with version 2, duplex and user data", (id) => {
    const s = decodeSpdu(tsduOf(id));
    expect(s.kind).toBe("CN");
    if (s.kind !== "CN") return;
    expect(s.params.versionNumber & VERSION_2).toBe(VERSION_2);
    expect(s.params.sessionUserRequirements).toBe(FU_DUPLEX);
    expect(toHex(s.params.callingSelector!)).toBe("0001");
    expect(s.userData?.[0]).toBe(0x31);
  });
  it.each(ACCEPT_IDS)("%s decodes as AC", (id) => {
    const s = decodeSpdu(tsduOf(id));
    expect(s.kind).toBe("AC");
    if (s.kind === "AC") expect(s.userData?.[0]).toBe(0x31);
  });
  it("V47a+b and V48a+b reassembled equal V05 and V06", () => {
    expect(toHex(reassembled("V47a", "V47b"))).toBe(toHex(tsduOf("V05")));
    expect(decodeSpdu(reassembled("V48a", "V48b")).kind).toBe("AC");
    expect(toHex(reassembled("V48a", "V48b"))).toBe(toHex(tsduOf("V06")));
  });
  it("V42a/V42b decode as GT+DT with the presentation user data", () => {
    for (const id of ["V42a", "V42b", "V17a"]) {
      const s = decodeSpdu(tsduOf(id));
      expect(s.kind).toBe("DT");
      if (s.kind === "DT") expect(s.userData[0]).toBe(0x61);
    }
  });
  it("V43 FN, V44 DN, V45 AB", () => {
    const fn = decodeSpdu(tsduOf("V43"));
    expect(fn.kind).toBe("FN");
    const dn = decodeSpdu(tsduOf("V44"));
    expect(dn.kind).toBe("DN");
    const ab = decodeSpdu(tsduOf("V45"));
    expect(ab).toMatchObject({ kind: "AB", transportDisconnect: 0x0b });
  });
});

describe("session SPDU encoding", () => {
  it("FN, DN and AB are byte-identical to libiec61850's (V43, V44, V45)", () => {
    const rlrqUd = hex`610c300a020101a0056203800100`;
    expect(toHex(concatChain(encodeFN([rlrqUd])))).toBe(toHex(tsduOf("V43")));
    expect(toHex(concatChain(encodeDN([hex`61093007020101a0026300`])))).toBe(toHex(tsduOf("V44")));
    expect(toHex(concatChain(encodeAB(0x0b, [hex`a00e610c300a020101a0056403800100`])))).toBe(
      toHex(tsduOf("V45")),
    );
  });

  it("uses the 0xFF two-octet length form from 255 octets on, and decodes it", () => {
    const ud = new Uint8Array(300).fill(0x30);
    const cn = concatChain(
      encodeCN(
        {
          protocolOptions: 0,
          versionNumber: VERSION_2,
          sessionUserRequirements: FU_DUPLEX,
          tsduMaximumSize: undefined,
          callingSelector: hex`0001`,
          calledSelector: hex`0001`,
        },
        [ud],
      ),
    );
    expect(cn[1]).toBe(0xff);
    expect((cn[2]! << 8) | cn[3]!).toBe(cn.length - 4);
    const back = decodeSpdu(cn);
    expect(back.kind === "CN" && back.userData?.length).toBe(300);
  });

  it("CN user data above 512 octets goes in Extended User Data (PI 194), up to 10240 (an 8 KiB AARQ fits)", () => {
    const params = {
      protocolOptions: 0,
      versionNumber: VERSION_2,
      sessionUserRequirements: FU_DUPLEX,
      tsduMaximumSize: undefined,
      callingSelector: hex`0001`,
      calledSelector: hex`0001`,
    };
    const small = concatChain(encodeCN(params, [new Uint8Array(MAX_CN_USER_DATA)]));
    expect(small.includes(PI.extendedUserData)).toBe(false);
    const big = concatChain(encodeCN(params, [new Uint8Array(9000).fill(7)]));
    // header: 0d ff hi lo | 05 06 .. | 14 02 .. | 33 02 .. | 34 02 .. | c2 ff hi lo
    expect(big[4 + 8 + 4 + 4 + 4]).toBe(PI.extendedUserData);
    const back = decodeSpdu(big);
    expect(back.kind === "CN" && back.userData?.length).toBe(9000);
    expect(() => encodeCN(params, [new Uint8Array(10241)])).toThrow(OsiUsageError);
    expect(() => encodeCN({ ...params, versionNumber: 1 }, [new Uint8Array(600)])).toThrow(OsiUsageError);
  });

  it("skips unknown PIs and PGI 1 (Connection Identifier)", () => {
    // CN with PGI 1 { PI 10 } and an unknown PI 0x7e before the user data.
    const cn = hex`0d1a 0106 0a0400000000 0506130100160102 14020002 7e01ff c10131`;
    cn[1] = cn.length - 2;
    const s = decodeSpdu(cn);
    expect(s.kind === "CN" && toHex(s.userData!)).toBe("31");
  });

  it("RF carries the SS-user data inside the Reason Code", () => {
    const rf = concatChain(encodeRF(2, [hex`3000`]));
    expect(toHex(rf)).toBe("0c08110101320302" + "3000");
    expect(decodeSpdu(rf)).toMatchObject({ kind: "RF", reason: 2 });
  });
});

describe("session machine state table (ISO 8327-1 Annex A)", () => {
  it("initiator: STA01C -SCONreq-> STA02A -AC-> STA713 -SRELreq-> STA03 -DN-> STA01", () => {
    const m = new SessionMachine("initiator");
    m.connectRequest({}, [hex`31`]);
    expect(m.state).toBe("STA02A");
    expect(m.receive(tsduOf("V06")).type).toBe("connect-confirm");
    expect(m.state).toBe("STA713");
    m.releaseRequest([hex`00`]);
    expect(m.state).toBe("STA03");
    expect(m.receive(tsduOf("V44")).type).toBe("release-confirm");
    expect(m.state).toBe("STA01");
  });

  it("responder: STA01C -CN-> STA08 -SCONrsp+-> STA713 -FN-> STA09 -SRELrsp+-> STA01", () => {
    const m = new SessionMachine("responder");
    expect(m.receive(tsduOf("V05")).type).toBe("connect-indication");
    expect(m.state).toBe("STA08");
    m.acceptResponse([hex`31`]);
    expect(m.state).toBe("STA713");
    expect(m.receive(tsduOf("V42a")).type).toBe("data-indication");
    expect(m.receive(tsduOf("V43")).type).toBe("release-indication");
    expect(m.state).toBe("STA09");
    m.releaseResponse();
    expect(m.state).toBe("STA01");
  });

  it("cell STA713 × CN is missing: a duplicated CN is a protocol error answered with AB", () => {
    const m = new SessionMachine("responder");
    m.receive(tsduOf("V05"));
    m.acceptResponse([hex`31`]);
    const ev = m.receive(tsduOf("V05"));
    expect(ev.type).toBe("protocol-error");
    if (ev.type !== "protocol-error") return;
    expect(ev.error).toBeInstanceOf(OsiProtocolError);
    expect(toHex(concatChain(ev.error.reply!))).toBe("190311010" + "5");
    expect(m.state).toBe("STA01");
  });

  it("cell STA02A × DT is missing: data before AC is answered with AB", () => {
    const m = new SessionMachine("initiator");
    m.connectRequest({}, [hex`31`]);
    const ev = m.receive(tsduOf("V42b"));
    expect(ev.type).toBe("protocol-error");
  });

  it("cell STA01C × DN is missing; every table cell that is absent is refused", () => {
    const inputs = ["CN", "AC", "RF", "DT", "FN", "DN", "AB"] as const;
    const frames: Record<(typeof inputs)[number], Uint8Array> = {
      CN: tsduOf("V05"),
      AC: tsduOf("V06"),
      RF: hex`0c03320100`,
      DT: tsduOf("V42a"),
      FN: tsduOf("V43"),
      DN: tsduOf("V44"),
      AB: tsduOf("V45"),
    };
    const m = new SessionMachine("responder");
    for (const i of inputs) {
      const fresh = new SessionMachine("responder");
      const ev = fresh.receive(frames[i]);
      const allowed = SESSION_TRANSITIONS.STA01C[i] !== undefined;
      expect(ev.type === "protocol-error", `STA01C × ${i}`).toBe(!allowed);
    }
    expect(m.state).toBe("STA01C");
  });

  it("service primitives not in the table are usage errors", () => {
    const m = new SessionMachine("initiator");
    expect(() => m.releaseRequest()).toThrow(OsiUsageError);
    expect(() => m.dataRequest([hex`00`])).toThrow(OsiUsageError);
  });

  it("refuses a CN without version 2 (RF reason 132) or without duplex (RF 134)", () => {
    const v1 = hex`0d0e 0506130100160101 14020002 c10131`;
    v1[1] = v1.length - 2;
    const ev = new SessionMachine("responder").receive(v1);
    expect(ev.type === "protocol-error" && toHex(concatChain(ev.error.reply!))).toBe("0c0611010132018" + "4");
    const hd = hex`0d0e 0506130100160102 14020001 c10131`;
    hd[1] = hd.length - 2;
    const ev2 = new SessionMachine("responder").receive(hd);
    expect(ev2.type === "protocol-error" && toHex(concatChain(ev2.error.reply!))).toBe(
      "0c0611010132018" + "6",
    );
  });

  it("an AB that keeps the transport is answered with AA", () => {
    const m = new SessionMachine("responder");
    const ev = m.receive(hex`190311010a`);
    expect(ev.type === "abort-indication" && toHex(concatChain(ev.reply!))).toBe("1a00");
  });
});
