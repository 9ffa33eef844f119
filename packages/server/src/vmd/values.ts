import type { Data, TypeSpecification } from "@mms/pdu";

/** Does `value` fit `type` (ISO 9506-2 §14.4: the value of a variable matches its type description)? */
export function conforms(value: Data, type: TypeSpecification): boolean {
  switch (type.type) {
    case "structure": {
      if (value.type !== "structure" || value.value.length !== type.components.length) return false;
      for (let i = 0; i < type.components.length; i++) {
        if (!conforms(value.value[i]!, type.components[i]!.type)) return false;
      }
      return true;
    }
    case "array": {
      if (value.type !== "array" || value.value.length !== type.numberOfElements) return false;
      for (const v of value.value) if (!conforms(v, type.elementType)) return false;
      return true;
    }
    case "bitString": {
      if (value.type !== "bitString") return false;
      const n = value.value.bitLength;
      return type.size < 0 ? n <= -type.size : n === type.size;
    }
    case "integer":
      return value.type === "integer" && fitsSigned(value.value, type.bits);
    case "unsigned":
      return value.type === "unsigned" && fitsUnsigned(value.value, type.bits);
    case "octetString":
      return value.type === "octetString" && fitsSize(value.value.length, type.size);
    case "visibleString":
      return value.type === "visibleString" && fitsSize(value.value.length, type.size);
    case "mmsString":
      return value.type === "mmsString" && fitsSize(value.value.length, type.size);
    case "binaryTime":
      return value.type === "binaryTime";
    case "typeName":
      return false;
    default:
      return value.type === type.type;
  }
}

function fitsSize(n: number, size: number): boolean {
  return size < 0 ? n <= -size : n <= size;
}

function fitsSigned(v: number | bigint, bits: number): boolean {
  if (bits >= 64 || bits <= 0) return true;
  const b = BigInt(v);
  const lim = 1n << BigInt(bits - 1);
  return b >= -lim && b < lim;
}

function fitsUnsigned(v: number | bigint, bits: number): boolean {
  const b = BigInt(v);
  if (b < 0n) return false;
  if (bits >= 64 || bits <= 0) return true;
  return b < 1n << BigInt(bits);
}

/** The zero value of a type (used when a model gives no initial value). */
export function defaultValue(type: TypeSpecification): Data {
  switch (type.type) {
    case "structure":
      return { type: "structure", value: type.components.map((c) => defaultValue(c.type)) };
    case "array":
      return {
        type: "array",
        value: Array.from({ length: type.numberOfElements }, () => defaultValue(type.elementType)),
      };
    case "boolean":
      return { type: "boolean", value: false };
    case "bitString": {
      const bits = Math.abs(type.size); // variable-length: the maximum (Quality is 13 bits)
      return { type: "bitString", value: { bytes: new Uint8Array((bits + 7) >> 3), bitLength: bits } };
    }
    case "integer":
      return { type: "integer", value: 0 };
    case "unsigned":
      return { type: "unsigned", value: 0 };
    case "floatingPoint":
      return { type: "floatingPoint", value: 0, width: type.formatWidth > 32 ? 64 : 32 };
    case "octetString":
      return { type: "octetString", value: new Uint8Array(Math.max(0, type.size)) };
    case "visibleString":
      return { type: "visibleString", value: "" };
    case "mmsString":
      return { type: "mmsString", value: "" };
    case "generalizedTime":
      return { type: "generalizedTime", value: new Date(0) };
    case "binaryTime":
      return { type: "binaryTime", value: { msSinceMidnight: 0, days: type.withDate ? 0 : undefined } };
    case "bcd":
      return { type: "bcd", value: 0 };
    case "objectId":
      return { type: "objectId", value: "0.0" };
    case "utcTime":
      return { type: "utcTime", value: { secondsSinceEpoch: 0, fraction: 0, quality: 0 } };
    case "typeName":
      return { type: "structure", value: [] };
  }
}

/** Type descriptions of the usual IEC 61850 basic types (IEC 61850-8-1 Table 21). */
export const mmsTypes = {
  boolean: (): TypeSpecification => ({ type: "boolean" }),
  int8: (): TypeSpecification => ({ type: "integer", bits: 8 }),
  int16: (): TypeSpecification => ({ type: "integer", bits: 16 }),
  int32: (): TypeSpecification => ({ type: "integer", bits: 32 }),
  int64: (): TypeSpecification => ({ type: "integer", bits: 64 }),
  uint8: (): TypeSpecification => ({ type: "unsigned", bits: 8 }),
  uint16: (): TypeSpecification => ({ type: "unsigned", bits: 16 }),
  uint32: (): TypeSpecification => ({ type: "unsigned", bits: 32 }),
  float32: (): TypeSpecification => ({ type: "floatingPoint", formatWidth: 32, exponentWidth: 8 }),
  float64: (): TypeSpecification => ({ type: "floatingPoint", formatWidth: 64, exponentWidth: 11 }),
  /** Variable-length VisibleString of at most `max` characters (VisString64 → 64). */
  visibleString: (max: number): TypeSpecification => ({ type: "visibleString", size: -max }),
  mmsString: (max: number): TypeSpecification => ({ type: "mmsString", size: -max }),
  octetString: (max: number): TypeSpecification => ({ type: "octetString", size: -max }),
  /** Fixed-size bit string (Quality is 13 bits, Dbpos 2). */
  bitString: (bits: number): TypeSpecification => ({ type: "bitString", size: bits }),
  quality: (): TypeSpecification => ({ type: "bitString", size: -13 }),
  utcTime: (): TypeSpecification => ({ type: "utcTime" }),
  binaryTime: (withDate = true): TypeSpecification => ({ type: "binaryTime", withDate }),
  generalizedTime: (): TypeSpecification => ({ type: "generalizedTime" }),
  array: (elementType: TypeSpecification, numberOfElements: number): TypeSpecification => ({
    type: "array",
    packed: false,
    numberOfElements,
    elementType,
  }),
} as const;

/** Data constructors matching `mmsTypes`. */
export const mmsData = {
  boolean: (value: boolean): Data => ({ type: "boolean", value }),
  integer: (value: number | bigint): Data => ({ type: "integer", value }),
  unsigned: (value: number | bigint): Data => ({ type: "unsigned", value }),
  float32: (value: number): Data => ({ type: "floatingPoint", value, width: 32 }),
  float64: (value: number): Data => ({ type: "floatingPoint", value, width: 64 }),
  visibleString: (value: string): Data => ({ type: "visibleString", value }),
  mmsString: (value: string): Data => ({ type: "mmsString", value }),
  octetString: (value: Uint8Array): Data => ({ type: "octetString", value }),
  bitString: (bitLength: number, bytes: Uint8Array = new Uint8Array((bitLength + 7) >> 3)): Data => ({
    type: "bitString",
    value: { bytes, bitLength },
  }),
  /** IEC 61850-8-1 UtcTime from epoch milliseconds (TimeQuality: accuracy 10 bits unless given). */
  utcTime: (epochMs: number, quality = 0x0a): Data => {
    const seconds = Math.floor(epochMs / 1000);
    const fraction = Math.floor(((epochMs - seconds * 1000) / 1000) * 0x1000000);
    return { type: "utcTime", value: { secondsSinceEpoch: seconds, fraction, quality } };
  },
  structure: (value: readonly Data[]): Data => ({ type: "structure", value }),
  array: (value: readonly Data[]): Data => ({ type: "array", value }),
} as const;
