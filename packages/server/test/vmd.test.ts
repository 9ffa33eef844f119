import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConfirmedServiceRequest, ConfirmedServiceResponse, Data } from "@mms/pdu";
import { describe, expect, it } from "vitest";
import {
  type AssociationState,
  loadVmdModel,
  MmsModelError,
  MmsServiceFailure,
  mmsData,
  mmsTypes,
  selectAlternate,
  Vmd,
  vmdFromJson,
  vmdServices,
} from "../src/index";

const model = {
  identity: { vendorName: "ACME", modelName: "M", revision: "2" },
  domains: {
    LD0: {
      variables: {
        GGIO1: {
          components: {
            MX: {
              components: {
                AnIn1: { components: { mag: { components: { f: { type: "float32", value: 1.25 } } } } },
              },
            },
            DC: {
              components: {
                NamPlt: {
                  components: {
                    vendor: {
                      type: "visibleString",
                      size: 255,
                      value: "ACME",
                      access: { write: ["operator"] },
                    },
                  },
                },
              },
            },
          },
        },
        Arr: { type: "array", element: { type: "int16" }, count: 3, value: [1, 2, 3] },
        Bits: { type: "bitString", size: 2, value: "01" },
      },
      variableLists: { LLN0$DS: ["GGIO1$MX$AnIn1$mag$f", "Arr"] },
    },
  },
};

const state = (identity?: { mechanism: string; name: string }): AssociationState => ({
  associationId: 1,
  identity,
  aaLists: new Map(),
});
const limits = { maxPduSize: 200, maxAaLists: 1, maxListEntries: 10, maxDefinedLists: 10 };

function service(vmd: Vmd, st = state()) {
  const h = vmdServices(vmd, st, limits);
  return <S extends ConfirmedServiceResponse["service"]>(r: ConfirmedServiceRequest & { service: S }) =>
    h(r) as Extract<ConfirmedServiceResponse, { service: S }>;
}

const nameSpec = (itemId: string, domainId = "LD0") => ({
  kind: "listOfVariable" as const,
  list: [
    {
      variable: { kind: "name" as const, name: { scope: "domain" as const, domainId, itemId } },
      alternateAccess: undefined,
    },
  ],
});

describe("VMD model", () => {
  it("loads a JSON model with structures, arrays, bit strings, lists and access rights", () => {
    const vmd = vmdFromJson(model);
    expect(vmd.identity).toEqual({ vendorName: "ACME", modelName: "M", revision: "2" });
    expect(vmd.getValue("LD0/GGIO1$MX$AnIn1$mag$f")).toEqual(mmsData.float32(1.25));
    expect(vmd.getValue("LD0/Arr")).toEqual({
      type: "array",
      value: [1, 2, 3].map((v) => ({ type: "integer", value: v })),
    });
    expect(vmd.domains.get("LD0")!.variableNames()).toEqual([
      "Arr",
      "Bits",
      "GGIO1",
      "GGIO1$DC",
      "GGIO1$DC$NamPlt",
      "GGIO1$DC$NamPlt$vendor",
      "GGIO1$MX",
      "GGIO1$MX$AnIn1",
      "GGIO1$MX$AnIn1$mag",
      "GGIO1$MX$AnIn1$mag$f",
    ]);
  });

  it("reports model errors with their JSON path", () => {
    expect(() => vmdFromJson({ domains: { D: { variables: { x: { type: "float99" } } } } })).toThrow(
      /\$\.domains\.D\.variables\.x/,
    );
    expect(() => vmdFromJson({ domains: { D: { variables: { x: { type: "int8", value: "1" } } } } })).toThrow(
      MmsModelError,
    );
    expect(() => vmdFromJson({ domains: { D: { variableLists: { L: ["nope"] } } } })).toThrow(MmsModelError);
    expect(() => new Vmd().domain("D").defineVariable("a$b", { type: mmsTypes.int8() })).toThrow(
      MmsModelError,
    );
  });

  it("loads a model file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mms-model-"));
    const file = join(dir, "model.json");
    writeFileSync(file, JSON.stringify(model));
    const vmd = await loadVmdModel(file);
    expect(vmd.domains.has("LD0")).toBe(true);
    writeFileSync(file, "{");
    await expect(loadVmdModel(file)).rejects.toBeInstanceOf(MmsModelError);
  });

  it("checks write rights per identity and types, and runs hooks", () => {
    const vmd = vmdFromJson(model);
    const writes: Data[] = [];
    let live = 0;
    vmd.domain("LD0").defineVariable("Live", {
      type: mmsTypes.int32(),
      onRead: () => mmsData.integer(++live),
      onWrite: (v) => {
        writes.push(v);
        return v.type === "integer" && v.value === 13 ? 11 : undefined;
      },
      access: { write: "any" },
    });
    const anon = service(vmd);
    const op = service(vmd, state({ mechanism: "password", name: "operator" }));
    const write = (s: typeof anon, itemId: string, value: Data) =>
      s({ service: "write", variableAccessSpecification: nameSpec(itemId), listOfData: [value] }).results[0];
    expect(write(anon, "GGIO1$DC$NamPlt$vendor", mmsData.visibleString("x"))).toEqual({
      success: false,
      error: 3,
    });
    expect(write(op, "GGIO1$DC$NamPlt$vendor", mmsData.integer(1))).toEqual({ success: false, error: 7 });
    expect(write(op, "GGIO1$DC$NamPlt$vendor", mmsData.visibleString("y".repeat(256)))).toEqual({
      success: false,
      error: 7,
    });
    expect(write(op, "GGIO1$DC$NamPlt$vendor", mmsData.visibleString("New"))).toEqual({
      success: true,
      error: undefined,
    });
    expect(write(anon, "Live", mmsData.integer(13))).toEqual({ success: false, error: 11 });
    expect(write(anon, "Nope", mmsData.integer(1))).toEqual({ success: false, error: 10 });
    expect(writes).toHaveLength(1);
    const read = anon({
      service: "read",
      specificationWithResult: false,
      variableAccessSpecification: nameSpec("Live"),
    });
    expect(read.results).toEqual([{ success: true, data: mmsData.integer(1) }]);
    expect(vmd.getValue("LD0/GGIO1$DC$NamPlt$vendor")).toEqual(mmsData.visibleString("New"));
  });

  it("pages GetNameList to the PDU size and continues after the last name", () => {
    const vmd = new Vmd();
    const d = vmd.domain("D");
    for (let i = 0; i < 50; i++)
      d.defineVariable(`Variable${String(i).padStart(2, "0")}`, { type: mmsTypes.int8() });
    const s = service(vmd);
    const all: string[] = [];
    let continueAfter: string | undefined;
    for (let pages = 1; ; pages++) {
      const r = s({
        service: "getNameList",
        objectClass: 0,
        scope: { kind: "domain", domainId: "D" },
        continueAfter,
      });
      all.push(...r.identifiers);
      if (!r.moreFollows) {
        expect(pages).toBeGreaterThan(1);
        break;
      }
      continueAfter = r.identifiers.at(-1);
    }
    expect(all).toEqual([...d.variableNames()]);
    expect(() =>
      s({
        service: "getNameList",
        objectClass: 0,
        scope: { kind: "domain", domainId: "X" },
        continueAfter: undefined,
      }),
    ).toThrow(MmsServiceFailure);
  });

  it("limits association-specific lists and refuses lists of unknown variables", () => {
    const vmd = vmdFromJson(model);
    const s = service(vmd);
    const def = (itemId: string, member: string) =>
      s({
        service: "defineNamedVariableList",
        variableListName: { scope: "aa", itemId },
        listOfVariable: nameSpec(member).list,
      });
    def("a", "Arr");
    expect(() => def("b", "Arr")).toThrow(MmsServiceFailure); // maxAaLists 1
    expect(() => def("a", "Arr")).toThrow(/definition\/5/);
    const s2 = service(vmd);
    expect(() =>
      s2({
        service: "defineNamedVariableList",
        variableListName: { scope: "aa", itemId: "x" },
        listOfVariable: nameSpec("Nope").list,
      }),
    ).toThrow(/definition\/1/);
  });

  it("applies alternate access (component, index, index range)", () => {
    const vmd = vmdFromJson(model);
    const t = vmd.typeOf("LD0/Arr");
    const v = vmd.getValue("LD0/Arr");
    expect(
      selectAlternate(v, t, [
        {
          componentName: undefined,
          selection: { kind: "selectAccess", selector: { kind: "index", index: 1 } },
        },
      ])?.data,
    ).toEqual(mmsData.integer(2));
    expect(
      selectAlternate(v, t, [
        {
          componentName: undefined,
          selection: {
            kind: "selectAccess",
            selector: { kind: "indexRange", lowIndex: 1, numberOfElements: 2 },
          },
        },
      ])?.data,
    ).toEqual({ type: "array", value: [mmsData.integer(2), mmsData.integer(3)] });
    expect(
      selectAlternate(v, t, [
        {
          componentName: undefined,
          selection: { kind: "selectAccess", selector: { kind: "index", index: 3 } },
        },
      ]),
    ).toBeUndefined();
    const g = vmd.getValue("LD0/GGIO1");
    const gt = vmd.typeOf("LD0/GGIO1");
    expect(
      selectAlternate(g, gt, [
        {
          componentName: undefined,
          selection: {
            kind: "selectAlternateAccess",
            selector: { kind: "component", component: "MX" },
            alternateAccess: [
              {
                componentName: undefined,
                selection: { kind: "selectAccess", selector: { kind: "component", component: "AnIn1" } },
              },
            ],
          },
        },
      ])?.data,
    ).toEqual({ type: "structure", value: [{ type: "structure", value: [mmsData.float32(1.25)] }] });
  });
});
