import type { Data, TypeSpecification } from "@mms/pdu";
import { MmsModelError } from "../errors";
import type { AccessMatcher, AccessRights } from "./access";
import { mmsTypes } from "./values";
import type { VariableDefinition } from "./variable";
import { Vmd } from "./vmd";

/**
 * The JSON model file (what `vmdFromJson` accepts):
 *
 * ```json
 * { "identity": { "vendorName": "ACME", "modelName": "IED", "revision": "1" },
 *   "defaultAccess": { "read": "any", "write": "none" },
 *   "domains": { "LD0": {
 *       "variables": { "GGIO1": { "components": {
 *           "MX": { "components": { "AnIn1": { "components": {
 *               "mag": { "components": { "f": { "type": "float32", "value": 1.5 } } },
 *               "q": { "type": "quality" }, "t": { "type": "utcTime" } } } } },
 *           "DC": { "components": { "NamPlt": { "components": {
 *               "vendor": { "type": "visibleString", "size": 255, "value": "ACME",
 *                           "access": { "write": "authenticated" } } } } } } } } },
 *       "variableLists": { "LLN0$Measurements": ["GGIO1$MX$AnIn1$mag$f"] } } },
 *   "variables": {}, "variableLists": {} }
 * ```
 *
 * Leaf types: boolean, int8/16/32/64, uint8/16/32, float32, float64, visibleString, mmsString,
 * octetString (with `size`; value as hex), bitString (`size` bits; value as "0101…"), quality,
 * utcTime (value: ISO date or epoch ms), binaryTime, generalizedTime, array (`element`,
 * `count`, `value` list). Access: "any" | "none" | "authenticated" | [identity names].
 */
export type JsonModel = unknown;

type Obj = Record<string, unknown>;

const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);

function fail(path: string, msg: string): never {
  throw new MmsModelError(`model ${path}: ${msg}`);
}

function entries(x: unknown, path: string): [string, unknown][] {
  if (x === undefined) return [];
  if (!isObj(x)) fail(path, "expected an object");
  return Object.entries(x);
}

function matcher(x: unknown, path: string): AccessMatcher {
  if (x === "any" || x === "none" || x === "authenticated") return x;
  if (Array.isArray(x) && x.every((s) => typeof s === "string")) return x as string[];
  fail(path, `access must be "any", "none", "authenticated" or a list of names`);
}

function rights(x: unknown, path: string): AccessRights | undefined {
  if (x === undefined) return undefined;
  if (!isObj(x)) fail(path, "access must be an object");
  return {
    ...(x["read"] !== undefined ? { read: matcher(x["read"], `${path}.read`) } : {}),
    ...(x["write"] !== undefined ? { write: matcher(x["write"], `${path}.write`) } : {}),
  };
}

function leafType(x: Obj, path: string): TypeSpecification {
  const size = typeof x["size"] === "number" ? x["size"] : undefined;
  const need = (): number => size ?? fail(path, `type ${String(x["type"])} needs a numeric "size"`);
  switch (x["type"]) {
    case "boolean":
    case "int8":
    case "int16":
    case "int32":
    case "int64":
    case "uint8":
    case "uint16":
    case "uint32":
    case "float32":
    case "float64":
    case "quality":
    case "utcTime":
    case "generalizedTime":
      return mmsTypes[x["type"]]();
    case "binaryTime":
      return mmsTypes.binaryTime(x["withDate"] !== false);
    case "visibleString":
      return mmsTypes.visibleString(need());
    case "mmsString":
      return mmsTypes.mmsString(need());
    case "octetString":
      return mmsTypes.octetString(need());
    case "bitString":
      return mmsTypes.bitString(need());
    case "array": {
      if (!isObj(x["element"])) fail(path, `array needs an "element" type`);
      const count = x["count"];
      if (typeof count !== "number" || !Number.isInteger(count) || count < 0)
        fail(path, `array needs a "count"`);
      return mmsTypes.array(leafType(x["element"], `${path}.element`), count);
    }
    default:
      fail(path, `unknown type ${JSON.stringify(x["type"])}`);
  }
}

function hexBytes(s: string, path: string): Uint8Array {
  if (!/^([0-9a-fA-F]{2})*$/.test(s)) fail(path, "octet string values are hex");
  return Uint8Array.from(s.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
}

/** Converts a JSON value to Data of the given type. */
export function jsonToData(v: unknown, type: TypeSpecification, path: string): Data {
  const bad = (): never => fail(path, `value ${JSON.stringify(v)} does not fit ${type.type}`);
  switch (type.type) {
    case "boolean":
      return typeof v === "boolean" ? { type: "boolean", value: v } : bad();
    case "integer":
      return typeof v === "number" && Number.isInteger(v) ? { type: "integer", value: v } : bad();
    case "unsigned":
      return typeof v === "number" && Number.isInteger(v) && v >= 0 ? { type: "unsigned", value: v } : bad();
    case "floatingPoint":
      return typeof v === "number"
        ? { type: "floatingPoint", value: v, width: type.formatWidth > 32 ? 64 : 32 }
        : bad();
    case "visibleString":
      return typeof v === "string" ? { type: "visibleString", value: v } : bad();
    case "mmsString":
      return typeof v === "string" ? { type: "mmsString", value: v } : bad();
    case "octetString":
      return typeof v === "string" ? { type: "octetString", value: hexBytes(v, path) } : bad();
    case "bitString": {
      if (typeof v !== "string" || !/^[01]*$/.test(v)) return bad();
      const bytes = new Uint8Array((v.length + 7) >> 3);
      for (let i = 0; i < v.length; i++) if (v[i] === "1") bytes[i >> 3]! |= 0x80 >> (i & 7);
      return { type: "bitString", value: { bytes, bitLength: v.length } };
    }
    case "utcTime": {
      const ms = typeof v === "number" ? v : typeof v === "string" ? Date.parse(v) : Number.NaN;
      if (!Number.isFinite(ms)) return bad();
      const s = Math.floor(ms / 1000);
      return {
        type: "utcTime",
        value: {
          secondsSinceEpoch: s,
          fraction: Math.floor(((ms - s * 1000) / 1000) * 0x1000000),
          quality: 0x0a,
        },
      };
    }
    case "generalizedTime": {
      const ms = typeof v === "number" ? v : typeof v === "string" ? Date.parse(v) : Number.NaN;
      return Number.isFinite(ms) ? { type: "generalizedTime", value: new Date(ms) } : bad();
    }
    case "array":
      if (!Array.isArray(v) || v.length !== type.numberOfElements) return bad();
      return { type: "array", value: v.map((e, i) => jsonToData(e, type.elementType, `${path}[${i}]`)) };
    default:
      return bad();
  }
}

function variable(x: unknown, path: string): VariableDefinition {
  if (!isObj(x)) fail(path, "a variable is an object");
  const access = rights(x["access"], `${path}.access`);
  if (x["components"] !== undefined) {
    const components = entries(x["components"], `${path}.components`).map(
      ([n, c]) => [n, variable(c, `${path}.${n}`)] as const,
    );
    if (components.length === 0) fail(path, "a structure needs components");
    return { components, ...(access ? { access } : {}) };
  }
  const type = leafType(x, path);
  const value = x["value"] === undefined ? undefined : jsonToData(x["value"], type, `${path}.value`);
  return { type, ...(value ? { value } : {}), ...(access ? { access } : {}) };
}

function lists(x: unknown, path: string): [string, string[]][] {
  return entries(x, path).map(([n, l]) => {
    if (!Array.isArray(l) || !l.every((s) => typeof s === "string"))
      fail(`${path}.${n}`, "a list is an array of names");
    return [n, l as string[]];
  });
}

/** Builds a VMD from a parsed JSON model (see `JsonModel`); throws `MmsModelError` with the path. */
export function vmdFromJson(model: JsonModel): Vmd {
  if (!isObj(model)) fail("$", "the model is an object");
  const id = isObj(model["identity"]) ? model["identity"] : {};
  const str = (k: string) => (typeof id[k] === "string" ? { [k]: id[k] as string } : {});
  const defaultAccess = rights(model["defaultAccess"], "$.defaultAccess");
  const vmd = new Vmd({
    ...str("vendorName"),
    ...str("modelName"),
    ...str("revision"),
    ...(defaultAccess ? { defaultAccess } : {}),
  });
  for (const [n, v] of entries(model["variables"], "$.variables"))
    vmd.defineVariable(n, variable(v, `$.variables.${n}`));
  const domainLists: [string, [string, string[]][]][] = [];
  for (const [d, dv] of entries(model["domains"], "$.domains")) {
    if (!isObj(dv)) fail(`$.domains.${d}`, "a domain is an object");
    const domain = vmd.domain(d);
    for (const [n, v] of entries(dv["variables"], `$.domains.${d}.variables`)) {
      domain.defineVariable(n, variable(v, `$.domains.${d}.variables.${n}`));
    }
    domainLists.push([d, lists(dv["variableLists"], `$.domains.${d}.variableLists`)]);
  }
  // Lists last: they may name variables of any domain.
  for (const [n, l] of lists(model["variableLists"], "$.variableLists"))
    vmd.defineVariableList({ scope: "vmd", itemId: n }, l);
  for (const [d, ls] of domainLists) {
    for (const [n, l] of ls) vmd.defineVariableList({ scope: "domain", domainId: d, itemId: n }, l);
  }
  return vmd;
}
