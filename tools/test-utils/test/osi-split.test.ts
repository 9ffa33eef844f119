import { describe, expect, it } from "vitest";
import {
  fromHex,
  parseTpkt,
  presentationOf,
  reassembleTsdus,
  sessionUserData,
  toHex,
  vectorPpdus,
} from "../src/index";

describe("osi-split (test helper)", () => {
  it("splits a data frame after TPKT, COTP DT and session GT+DT", () => {
    const frame = fromHex("0300001602f0800100010061093007020103a0028c00"); // V42b
    const t = parseTpkt(frame);
    expect([t.kind, t.eot, toHex(t.userData)]).toEqual(["DT", true, "0100010061093007020103a0028c00"]);
    expect(toHex(presentationOf(frame)!)).toBe("61093007020103a0028c00");
  });

  it("finds the User Data PGI of FN / DN / AB", () => {
    const ab = fromHex("191511010bc110a00e610c300a020101a0056403800100"); // V45's SPDU
    const s = sessionUserData(ab);
    expect([s.spdu, s.offset, toHex(s.userData!)]).toEqual(["AB", 7, "a00e610c300a020101a0056403800100"]);
    expect(sessionUserData(fromHex("0900")).userData).toBeUndefined();
  });

  it("reads the 0xFF two-octet length indicator", () => {
    const params = new Uint8Array(302);
    const spdu = new Uint8Array([0x0d, 0xff, 0x01, 0x32, 0xc1, 0xff, 0x01, 0x2e, ...params]);
    const s = sessionUserData(spdu);
    expect([s.spdu, s.offset, s.userData!.length]).toEqual(["CN", 8, 302]);
  });

  it("reassembles segmented TSDUs and leaves CR/CC out", () => {
    const ppdus = vectorPpdus();
    const v47 = ppdus.find((p) => p.ids.join() === "V47a,V47b")!;
    const v05 = ppdus.find((p) => p.ids.join() === "V05")!;
    expect(toHex(v47.ppdu)).toBe(toHex(v05.ppdu));
    expect(ppdus.some((p) => p.ids.includes("V01"))).toBe(false);
    expect(() => reassembleTsdus([fromHex("0300000702f000")])).toThrow(/without EOT/);
  });
});
