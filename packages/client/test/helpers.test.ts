import { describe, expect, it } from "vitest";
import {
  fromMmsName,
  Iec61850NameError,
  objectName,
  parseDomainItem,
  ReportBuffer,
  toMmsName,
} from "../src/index";

describe("IEC 61850 naming (IEC 61850-8-1 §8.1.3)", () => {
  it("maps LD/LN.DO.DA + FC to domain and LN$FC$DO$DA and back", () => {
    const n = toMmsName("simpleIOGenericIO/GGIO1.AnIn1.mag.f", "MX");
    expect(n).toEqual({ domainId: "simpleIOGenericIO", itemId: "GGIO1$MX$AnIn1$mag$f" });
    expect(fromMmsName(n.domainId, n.itemId)).toEqual({
      ld: "simpleIOGenericIO",
      ln: "GGIO1",
      fc: "MX",
      path: ["AnIn1", "mag", "f"],
      reference: "simpleIOGenericIO/GGIO1.AnIn1.mag.f",
    });
    expect(toMmsName("LD/LLN0.Events")).toEqual({ domainId: "LD", itemId: "LLN0$Events" });
    expect(fromMmsName("LD", "LLN0$Events").fc).toBeUndefined();
    expect(parseDomainItem("LD/GGIO1$ST")).toEqual({ domainId: "LD", itemId: "GGIO1$ST" });
  });

  it("refuses malformed references with a typed error", () => {
    for (const bad of ["nodomain", "/x", "LD/", "LD/LN..x", "LD/A$B"]) {
      expect(() => toMmsName(bad, "MX")).toThrow(Iec61850NameError);
    }
    expect(() => toMmsName("LD/LN.DO", "mx")).toThrow(Iec61850NameError);
  });

  it("parses the text form of ObjectNames", () => {
    expect(objectName("D/I")).toEqual({ scope: "domain", domainId: "D", itemId: "I" });
    expect(objectName("@L")).toEqual({ scope: "aa", itemId: "L" });
    expect(objectName("V")).toEqual({ scope: "vmd", itemId: "V" });
  });
});

describe("ReportBuffer overflow policies", () => {
  it("drop-oldest keeps the newest", async () => {
    const b = new ReportBuffer<number>(2, "drop-oldest");
    for (const i of [1, 2, 3]) b.push(i);
    b.end();
    const got: number[] = [];
    for await (const x of b) got.push(x);
    expect(got).toEqual([2, 3]);
    expect(b.dropped).toBe(1);
  });

  it("drop-newest keeps the oldest", async () => {
    const b = new ReportBuffer<number>(2, "drop-newest");
    for (const i of [1, 2, 3]) b.push(i);
    b.end();
    const got: number[] = [];
    for await (const x of b) got.push(x);
    expect(got).toEqual([1, 2]);
  });

  it("error ends the iteration with report-overflow", async () => {
    const b = new ReportBuffer<number>(1, "error");
    b.push(1);
    b.push(2);
    await expect(b.next()).rejects.toMatchObject({ code: "report-overflow" });
  });

  it("hands a report straight to a waiting reader", async () => {
    const b = new ReportBuffer<number>(1, "error");
    const p = b.next();
    b.push(7);
    expect(await p).toEqual({ value: 7, done: false });
  });
});
