import { describe, expect, it } from "vitest";
import { DEMO_DOMAIN } from "../src/model/demo-model";
import { createDemoDevice } from "../src/model/demo-vmd";

const ctx = (associationId: number) => ({ associationId, identity: undefined });
const name = (itemId: string) => ({ scope: "domain" as const, domainId: DEMO_DOMAIN, itemId });

describe("demo model (server_example_basic_io names)", () => {
  it("has the names tools written for server_example_basic_io look for", () => {
    const d = createDemoDevice(Date.UTC(2026, 0, 1));
    const names = d.vmd.domain(DEMO_DOMAIN).variableNames();
    for (const n of [
      "LLN0",
      "LPHD1",
      "GGIO1",
      "GGIO1$MX$AnIn1$mag$f",
      "GGIO1$MX$AnIn4$q",
      "GGIO1$MX$AnIn2$t",
      "GGIO1$ST$SPCSO3$stVal",
      "GGIO1$ST$Ind4$stVal",
      "GGIO1$DC$NamPlt$vendor",
      "LLN0$RP$EventsRCB01$RptEna",
      "LPHD1$DC$PhyNam$vendor",
    ]) {
      expect(names, n).toContain(n);
    }
    expect([...d.vmd.domain(DEMO_DOMAIN).lists.keys()].sort()).toEqual([
      "LLN0$Events",
      "LLN0$Events2",
      "LLN0$Measurements",
    ]);
  });

  it("values change on every tick; NamPlt vendor is writable, other values are not", () => {
    const d = createDemoDevice(0);
    const f = name("GGIO1$MX$AnIn1$mag$f");
    const before = d.vmd.getValue(f);
    d.tick(7_000);
    expect(d.vmd.getValue(f)).not.toEqual(before);
    const vendor = d.vmd.findVariable(name("GGIO1$DC$NamPlt$vendor"));
    const mag = d.vmd.findVariable(f);
    expect(vendor && d.vmd.canWrite(vendor, ctx(1))).toBe(true);
    expect(mag && d.vmd.canWrite(mag, ctx(1))).toBe(false);
  });

  it("the URCB sends a GI report to its owner and data-change reports after enabling", () => {
    const d = createDemoDevice(0);
    const rcb = d.rcbs[1];
    if (!rcb) throw new Error("no rcb");
    const en = d.vmd.findVariable(name("LLN0$RP$MeasurementsRCB01$RptEna"));
    const gi = d.vmd.findVariable(name("LLN0$RP$MeasurementsRCB01$GI"));
    expect(en?.write({ type: "boolean", value: true }, ctx(7))).toBeUndefined();
    expect(rcb.owner).toBe(7);
    // Another association cannot take it over.
    expect(en?.write({ type: "boolean", value: false }, ctx(8))).toBe(2);
    expect(gi?.write({ type: "boolean", value: true }, ctx(7))).toBeUndefined();
    const giReports = d.takeReports();
    expect(giReports).toHaveLength(1);
    expect(giReports[0]?.associationId).toBe(7);
    expect(giReports[0]?.results[0]).toEqual({
      success: true,
      data: { type: "visibleString", value: "Measurements" },
    });
    const changes = d.tick(1000);
    expect(changes.length).toBeGreaterThan(0);
    d.released(7);
    expect(rcb.owner).toBeUndefined();
    expect(d.tick(2000)).toEqual([]);
  });

  it("direct control: writing GGIO1$CO$SPCSO2$Oper sets the status and reports it on LLN0$Events", () => {
    const d = createDemoDevice(0);
    const en = d.vmd.findVariable(name("LLN0$RP$EventsRCB01$RptEna"));
    expect(en?.write({ type: "boolean", value: true }, ctx(3))).toBeUndefined();
    const oper = d.vmd.findVariable(name("GGIO1$CO$SPCSO2$Oper"));
    if (!oper) throw new Error("no Oper");
    expect(d.vmd.canWrite(oper, ctx(3))).toBe(true);
    const value = oper.read(ctx(3));
    if (value.type !== "structure") throw new Error("Oper is not a structure");
    const operate = {
      type: "structure" as const,
      value: [{ type: "boolean" as const, value: true }, ...value.value.slice(1)],
    };
    expect(oper.write(operate, ctx(3))).toBeUndefined();
    expect(d.vmd.getValue(name("GGIO1$ST$SPCSO2$stVal"))).toEqual({ type: "boolean", value: true });
    const reports = d.takeReports();
    expect(reports).toHaveLength(1);
    // RptID, OptFlds, SqNum, TimeOfEntry, DatSet, ConfRev, inclusion (member 2 only), value, reason.
    expect(reports[0]?.results[6]).toMatchObject({
      success: true,
      data: { type: "bitString", value: { bitLength: 4 } },
    });
    expect(reports[0]?.results[7]).toEqual({ success: true, data: { type: "boolean", value: true } });
  });
});
