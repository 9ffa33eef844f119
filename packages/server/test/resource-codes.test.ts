import { describe, expect, it } from "vitest";
import { type AssociationState, MmsServiceFailure, mmsTypes, Vmd, vmdServices } from "../src/index";

const state = (): AssociationState => ({ associationId: 1, identity: undefined, aaLists: new Map() });

function define(vmd: Vmd, st: AssociationState, limits: { maxAaLists: number; maxDefinedLists: number }) {
  const h = vmdServices(vmd, st, { maxPduSize: 1000, maxListEntries: 10, ...limits });
  return (scope: "aa" | "domain", itemId: string) =>
    h({
      service: "defineNamedVariableList",
      variableListName: scope === "aa" ? { scope, itemId } : { scope, domainId: "LD0", itemId },
      listOfVariable: [
        {
          variable: { kind: "name", name: { scope: "domain", domainId: "LD0", itemId: "V" } },
          alternateAccess: undefined,
        },
      ],
    });
}

function failureOf(f: () => unknown): MmsServiceFailure {
  try {
    f();
  } catch (e) {
    if (e instanceof MmsServiceFailure) return e;
    throw e;
  }
  throw new Error("no service failure");
}

describe("ServiceError resource codes (ISO 9506-2 §7.4: 4 = capability-unavailable)", () => {
  const vmd = () => {
    const v = new Vmd({ vendorName: "A", modelName: "B", revision: "1" });
    v.domain("LD0").defineVariable("V", { type: mmsTypes.int32() });
    return v;
  };

  it("too many association-specific lists answers resource/capability-unavailable (4), not mass-storage (3)", () => {
    const d = define(vmd(), state(), { maxAaLists: 1, maxDefinedLists: 10 });
    d("aa", "a");
    const e = failureOf(() => d("aa", "b"));
    expect([e.serviceError.errorClass, e.serviceError.code]).toEqual(["resource", 4]);
  });

  it("too many defined lists answers resource/capability-unavailable (4)", () => {
    const d = define(vmd(), state(), { maxAaLists: 1, maxDefinedLists: 1 });
    d("domain", "L1");
    const e = failureOf(() => d("domain", "L2"));
    expect([e.serviceError.errorClass, e.serviceError.code]).toEqual(["resource", 4]);
  });
});
