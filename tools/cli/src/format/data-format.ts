import type { AccessResult, Data, TypeSpecification } from "@mms/pdu";
import { CliError, ExitCode } from "../exit-codes";

const DATA_ACCESS_ERRORS = [
  "object-invalidated",
  "hardware-fault",
  "temporarily-unavailable",
  "object-access-denied",
  "object-undefined",
  "invalid-address",
  "type-unsupported",
  "type-inconsistent",
  "object-attribute-inconsistent",
  "object-access-unsupported",
  "object-non-existent",
  "object-value-invalid",
];

export function dataAccessErrorName(code: number): string {
  return DATA_ACCESS_ERRORS[code] ?? `data-access-error-${code}`;
}

function bitsText(bytes: Uint8Array, bitLength: number): string {
  let s = "";
  for (let i = 0; i < bitLength; i++) s += ((bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1 ? "1" : "0";
  return s;
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");

/** The shortest decimal that reads back as the same 32-bit float (108.707, not 108.70700073242188). */
export function shortestFloat32(v: number): number {
  if (!Number.isFinite(v)) return v;
  for (let p = 1; p <= 9; p++) {
    const x = Number(v.toPrecision(p));
    if (Math.fround(x) === v) return x;
  }
  return v;
}

/** A JSON-friendly form of an MMS Data value: `{ type, value }`, nested for structures and arrays. */
export type JsonData =
  | { readonly type: "structure" | "array"; readonly value: readonly JsonData[] }
  | { readonly type: string; readonly value: string | number | boolean };

export function dataToJson(d: Data): JsonData {
  switch (d.type) {
    case "structure":
    case "array":
      return { type: d.type, value: d.value.map(dataToJson) };
    case "bitString":
    case "booleanArray":
      return { type: d.type, value: bitsText(d.value.bytes, d.value.bitLength) };
    case "integer":
    case "unsigned":
      return { type: d.type, value: typeof d.value === "bigint" ? d.value.toString() : d.value };
    case "floatingPoint":
      return { type: d.type, value: d.width === 32 ? shortestFloat32(d.value) : d.value };
    case "octetString":
      return { type: d.type, value: hex(d.value) };
    case "generalizedTime":
      return { type: d.type, value: d.value.toISOString() };
    case "binaryTime":
      return { type: d.type, value: `${d.value.days ?? "-"}d+${d.value.msSinceMidnight}ms` };
    case "utcTime": {
      const ms = d.value.secondsSinceEpoch * 1000 + Math.floor((d.value.fraction / 2 ** 24) * 1000);
      return { type: d.type, value: new Date(ms).toISOString() };
    }
    default:
      return { type: d.type, value: d.value };
  }
}

/** One-line human form: `1.5`, `true`, `"text"`, `{1.5, 0000000000000, 2024-…}`. */
export function dataToText(d: Data): string {
  const j = dataToJson(d);
  const render = (x: JsonData): string =>
    Array.isArray(x.value)
      ? `${x.type === "array" ? "[" : "{"}${(x.value as JsonData[]).map(render).join(", ")}${x.type === "array" ? "]" : "}"}`
      : x.type === "visibleString" || x.type === "mmsString"
        ? JSON.stringify(x.value)
        : String(x.value);
  return render(j);
}

export function accessResultToText(r: AccessResult): string {
  return r.success ? dataToText(r.data) : `error ${dataAccessErrorName(r.error)}`;
}

/** Types accepted by `mms write --type`. */
export const WRITE_TYPES = [
  "boolean",
  "integer",
  "unsigned",
  "float",
  "double",
  "visible-string",
  "mms-string",
  "octet-string",
  "bit-string",
  "utc-time",
] as const;
export type WriteType = (typeof WRITE_TYPES)[number];

function bad(message: string): never {
  throw new CliError(ExitCode.usage, "usage", message);
}

/** Parses a command-line value into MMS Data of the given type. */
export function parseValue(text: string, type: WriteType): Data {
  switch (type) {
    case "boolean":
      if (text === "true" || text === "1") return { type: "boolean", value: true };
      if (text === "false" || text === "0") return { type: "boolean", value: false };
      return bad(`"${text}" is not a boolean (true/false)`);
    case "integer":
    case "unsigned": {
      if (!/^-?\d+$/.test(text)) bad(`"${text}" is not an integer`);
      const n = BigInt(text);
      if (type === "unsigned" && n < 0n) bad(`"${text}" is negative`);
      const v = n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
      return { type, value: v };
    }
    case "float":
    case "double": {
      const v = Number(text);
      if (text.trim() === "" || Number.isNaN(v)) bad(`"${text}" is not a number`);
      return {
        type: "floatingPoint",
        value: type === "float" ? Math.fround(v) : v,
        width: type === "float" ? 32 : 64,
      };
    }
    case "visible-string":
      if (!/^[\x20-\x7e]*$/.test(text)) bad("a visible-string holds printable ASCII only");
      return { type: "visibleString", value: text };
    case "mms-string":
      return { type: "mmsString", value: text };
    case "octet-string": {
      const clean = text.replace(/[\s:]/g, "");
      if (!/^([0-9a-fA-F]{2})*$/.test(clean)) bad(`"${text}" is not hex octets`);
      return { type: "octetString", value: new Uint8Array(Buffer.from(clean, "hex")) };
    }
    case "bit-string": {
      if (!/^[01]*$/.test(text)) bad(`"${text}" is not a string of 0 and 1`);
      const bytes = new Uint8Array(Math.ceil(text.length / 8));
      for (let i = 0; i < text.length; i++) if (text[i] === "1") bytes[i >> 3]! |= 0x80 >> (i & 7);
      return { type: "bitString", value: { bytes, bitLength: text.length } };
    }
    case "utc-time": {
      const ms = Date.parse(text);
      if (Number.isNaN(ms)) bad(`"${text}" is not a date`);
      return {
        type: "utcTime",
        value: {
          secondsSinceEpoch: Math.floor(ms / 1000),
          fraction: Math.floor(((ms % 1000) / 1000) * 2 ** 24),
          quality: 0,
        },
      };
    }
  }
}

/** The write type matching a variable's TypeSpecification, when it is a simple one. */
export function writeTypeFor(t: TypeSpecification): WriteType | undefined {
  switch (t.type) {
    case "boolean":
      return "boolean";
    case "integer":
      return "integer";
    case "unsigned":
      return "unsigned";
    case "floatingPoint":
      return t.formatWidth > 32 ? "double" : "float";
    case "visibleString":
      return "visible-string";
    case "mmsString":
      return "mms-string";
    case "octetString":
      return "octet-string";
    case "bitString":
      return "bit-string";
    case "utcTime":
      return "utc-time";
    default:
      return undefined;
  }
}

/** Short type text for `ls -l`: `FLOAT32`, `VisibleString(255)`, `{mag, q, t}`. */
export function typeText(t: TypeSpecification): string {
  switch (t.type) {
    case "structure":
      return `{${t.components.map((c) => c.name ?? "?").join(", ")}}`;
    case "array":
      return `array[${t.numberOfElements}] of ${typeText(t.elementType)}`;
    case "floatingPoint":
      return t.formatWidth > 32 ? "FLOAT64" : "FLOAT32";
    case "integer":
      return `INT${t.bits}`;
    case "unsigned":
      return `INT${t.bits}U`;
    case "visibleString":
      return `VisibleString(${Math.abs(t.size)})`;
    case "mmsString":
      return `MMSString(${Math.abs(t.size)})`;
    case "octetString":
      return `OctetString(${Math.abs(t.size)})`;
    case "bitString":
      return `BitString(${Math.abs(t.size)})`;
    case "typeName":
      return "typeName";
    default:
      return t.type;
  }
}
