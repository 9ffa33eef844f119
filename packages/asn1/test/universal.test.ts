import {
  BerDecodeError,
  BerEncodeError,
  BerReader,
  BerWriter,
  bitAt,
  bitStringEquals,
  bitStringFromBits,
  bitStringToBits,
  ctx,
  decodeLimits,
  type External,
  formatGeneralizedTime,
  formatUtcTime,
  oidContent,
  parseGeneralizedTime,
  parseUtcTime,
  readBigInt,
  readBitString,
  readBoolean,
  readEnumerated,
  readExternal,
  readGeneralizedTime,
  readInteger,
  readIntegerOrBigInt,
  readNull,
  readOctetCharString,
  readOctetString,
  readOid,
  readUtcTime,
  readUtf8String,
  readVisibleString,
  UniversalTag,
  writeBitString,
  writeBoolean,
  writeEnumerated,
  writeExternal,
  writeGeneralizedTime,
  writeInteger,
  writeNull,
  writeOctetCharString,
  writeOctetString,
  writeOid,
  writeUnsigned,
  writeUtcTime,
  writeUtf8String,
  writeVisibleString,
} from "@mms/asn1";
import { describe, expect, it } from "vitest";
import { hex, toHex } from "./support";

function enc(write: (w: BerWriter) => void): string {
  const w = new BerWriter(16);
  write(w);
  return toHex(w.view());
}
function rd(bytes: Uint8Array, strict = false): BerReader {
  return new BerReader(bytes, 0, bytes.length, decodeLimits({ strict }));
}
function err(fn: () => unknown): [string, number] {
  try {
    fn();
  } catch (e) {
    if (e instanceof BerDecodeError) return [e.code, e.offset];
    throw e;
  }
  throw new Error("expected a BerDecodeError");
}

describe("BOOLEAN", () => {
  it("writes FF / 00 and reads any non-zero octet as TRUE", () => {
    expect(enc((w) => writeBoolean(w, true))).toBe("0101ff");
    expect(enc((w) => writeBoolean(w, false))).toBe("010100");
    expect(enc((w) => writeBoolean(w, true, ctx(3)))).toBe("8301ff");
    expect(readBoolean(rd(hex`01 01 ff`))).toBe(true);
    expect(readBoolean(rd(hex`01 01 00`))).toBe(false);
    expect(readBoolean(rd(hex`01 01 01`))).toBe(true);
    expect(readBoolean(rd(hex`83 01 01`), ctx(3))).toBe(true);
  });
  it("refuses DER-invalid values only when strict", () => {
    expect(err(() => readBoolean(rd(hex`01 01 01`, true)))).toEqual(["invalid-encoding", 2]);
  });
  it("refuses any length but one", () => {
    expect(err(() => readBoolean(rd(hex`01 00`)))).toEqual(["invalid-encoding", 2]);
    expect(err(() => readBoolean(rd(hex`01 02 ff ff`)))).toEqual(["invalid-encoding", 2]);
  });
});

describe("INTEGER", () => {
  const cases: [number | bigint, string][] = [
    [0, "020100"],
    [1, "020101"],
    [-1, "0201ff"],
    [127, "02017f"],
    [128, "02020080"],
    [-128, "020180"],
    [-129, "0202ff7f"],
    [255, "020200ff"],
    [256, "02020100"],
    [32767, "02027fff"],
    [32768, "0203008000"],
    [-32768, "02028000"],
    [-32769, "0203ff7fff"],
    [0x7fffff, "02037fffff"],
    [0x800000, "020400800000"],
    [0x7fffffff, "02047fffffff"],
    [-0x80000000, "020480000000"],
    [0x80000000, "02050080000000"],
    [-0x80000001, "0205ff7fffffff"],
    [2 ** 40, "02060100000000" + "00"],
    [Number.MAX_SAFE_INTEGER, "02071fffffffffffff"],
    [Number.MIN_SAFE_INTEGER, "0207e0000000000001"],
    [2n ** 63n - 1n, "02087fffffffffffffff"],
    [-(2n ** 63n), "02088000000000000000"],
    [2n ** 64n, "0209010000000000000000"],
    [-(2n ** 64n) - 1n, "0209feffffffffffffffff"],
  ];
  for (const [v, e] of cases) {
    it(`${String(v)} ⇄ ${e}`, () => {
      expect(enc((w) => writeInteger(w, v))).toBe(e);
      const bytes = hex`${e}`;
      expect(readIntegerOrBigInt(rd(bytes))).toBe(
        typeof v === "bigint" && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(v)
          : v,
      );
      expect(readBigInt(rd(bytes))).toBe(BigInt(v));
      if (typeof v === "number") expect(readInteger(rd(bytes, true))).toBe(v);
      else expect(err(() => readInteger(rd(bytes)))[0]).toBe("integer-overflow");
    });
  }
  it("writes bigints in the safe range minimally too", () => {
    expect(enc((w) => writeInteger(w, 5n))).toBe("020105");
    expect(enc((w) => writeInteger(w, -1n))).toBe("0201ff");
  });
  it("applies the range bounds", () => {
    expect(readInteger(rd(hex`02 01 05`), UniversalTag.INTEGER, 0, 5)).toBe(5);
    expect(err(() => readInteger(rd(hex`02 01 06`), UniversalTag.INTEGER, 0, 5))).toEqual([
      "integer-overflow",
      2,
    ]);
    expect(err(() => readInteger(rd(hex`02 01 ff`), UniversalTag.INTEGER, 0, 5))).toEqual([
      "integer-overflow",
      2,
    ]);
  });
  it("reads padded integers leniently and refuses them strictly (X.690 §8.3.2)", () => {
    expect(readInteger(rd(hex`02 03 00 00 05`))).toBe(5);
    expect(readInteger(rd(hex`02 03 ff ff 80`))).toBe(-128);
    expect(readBigInt(rd(hex`02 0a 00 00 00 00 00 00 00 00 00 07`))).toBe(7n);
    expect(readInteger(rd(hex`02 0a ff ff ff ff ff ff ff ff ff fe`))).toBe(-2);
    expect(err(() => readInteger(rd(hex`02 02 00 05`, true)))).toEqual(["invalid-encoding", 2]);
    expect(err(() => readInteger(rd(hex`02 02 ff 80`, true)))).toEqual(["invalid-encoding", 2]);
  });
  it("fails fast on an INTEGER far too wide for a number", () => {
    const bytes = new Uint8Array(5 + 100_000);
    bytes.set([0x02, 0x83, 0x01, 0x86, 0xa0]);
    bytes[5] = 0x7f;
    expect(err(() => readInteger(rd(bytes)))).toEqual(["integer-overflow", 5]);
    // readBigInt reads any width in linear time.
    const v = readBigInt(rd(bytes));
    expect(v > 0n).toBe(true);
    expect(v.toString(16).length).toBe(200_000);
  });
  it("refuses an empty INTEGER (X.690 §8.3.1)", () => {
    expect(err(() => readInteger(rd(hex`02 00`)))).toEqual(["invalid-encoding", 2]);
    expect(err(() => readBigInt(rd(hex`02 00`)))).toEqual(["invalid-encoding", 2]);
  });
  it("refuses values that are not safe integers on write", () => {
    expect(() => enc((w) => writeInteger(w, 1.5))).toThrow(BerEncodeError);
    expect(() => enc((w) => writeInteger(w, 2 ** 53))).toThrow(BerEncodeError);
    expect(() => enc((w) => writeUnsigned(w, -1))).toThrow(BerEncodeError);
  });
  it("writes unsigned values with a leading zero when the top bit is set", () => {
    expect(enc((w) => writeUnsigned(w, 0xff, ctx(6)))).toBe("860200ff");
    expect(enc((w) => writeUnsigned(w, 0xffffffff, ctx(6)))).toBe("860500ffffffff");
    expect(enc((w) => writeUnsigned(w, 2n ** 64n - 1n))).toBe("020900ffffffffffffffff");
  });
});

describe("ENUMERATED", () => {
  it("round-trips and is non-negative", () => {
    expect(enc((w) => writeEnumerated(w, 3))).toBe("0a0103");
    expect(readEnumerated(rd(hex`0a 01 03`))).toBe(3);
    expect(readEnumerated(rd(hex`85 01 02`), ctx(5))).toBe(2);
    expect(err(() => readEnumerated(rd(hex`0a 01 ff`)))).toEqual(["integer-overflow", 2]);
    expect(err(() => readEnumerated(rd(hex`0a 01 09`), UniversalTag.ENUMERATED, 8))).toEqual([
      "integer-overflow",
      2,
    ]);
  });
});

describe("BIT STRING", () => {
  it("writes canonical padding and reads the bit length", () => {
    expect(enc((w) => writeBitString(w, { bytes: new Uint8Array(0), bitLength: 0 }))).toBe("030100");
    expect(enc((w) => writeBitString(w, { bytes: hex`ff ff`, bitLength: 13 }))).toBe("030303fff8");
    expect(enc((w) => writeBitString(w, { bytes: hex`80`, bitLength: 1 }, ctx(4)))).toBe("84020780");
    const v = readBitString(rd(hex`03 03 03 ff f8`));
    expect(v.bitLength).toBe(13);
    expect(toHex(v.bytes)).toBe("fff8");
    expect(readBitString(rd(hex`03 01 00`)).bitLength).toBe(0);
  });
  it("compares by bits, never by padding", () => {
    const a = readBitString(rd(hex`03 02 03 a8`)); // 10101 + padding 000
    const b = readBitString(rd(hex`03 02 03 af`)); // 10101 + padding 111 (BER allows)
    expect(toHex(a.bytes)).not.toBe(toHex(b.bytes));
    expect(bitStringEquals(a, b)).toBe(true);
    expect(bitStringEquals(a, { bytes: hex`a8`, bitLength: 6 })).toBe(false);
    expect(bitStringEquals(a, { bytes: hex`b0`, bitLength: 5 })).toBe(false);
    expect(bitStringToBits(a)).toEqual([true, false, true, false, true]);
    expect(bitStringEquals(bitStringFromBits([true, false, true, false, true]), b)).toBe(true);
    expect(bitAt(a, 0)).toBe(true);
    expect(bitAt(a, 1)).toBe(false);
    expect(bitAt(b, 6)).toBe(false); // padding reads as absent
    expect(bitAt(b, -1)).toBe(false);
    // Writing normalises the padding.
    expect(enc((w) => writeBitString(w, b))).toBe("030203a8");
  });
  it("validates the unused-bits octet (X.690 §8.6.2.2)", () => {
    expect(err(() => readBitString(rd(hex`03 00`)))).toEqual(["invalid-encoding", 2]);
    expect(err(() => readBitString(rd(hex`03 02 08 00`)))).toEqual(["invalid-encoding", 2]);
    expect(err(() => readBitString(rd(hex`03 01 03`)))).toEqual(["invalid-encoding", 2]);
  });
  it("refuses to write fewer bytes than bits", () => {
    expect(() => enc((w) => writeBitString(w, { bytes: hex`ff`, bitLength: 9 }))).toThrow(BerEncodeError);
  });
});

describe("OCTET STRING", () => {
  it("reads a view of the input, without copying", () => {
    const bytes = hex`04 03 01 02 03`;
    const v = readOctetString(rd(bytes));
    expect(toHex(v)).toBe("010203");
    expect(v.buffer).toBe(bytes.buffer);
    expect(v.byteOffset).toBe(2);
    expect(readOctetString(rd(hex`04 00`)).length).toBe(0);
    expect(enc((w) => writeOctetString(w, hex`aa bb`, ctx(9)))).toBe("8902aabb");
  });
  it("refuses the constructed form (not used by MMS or ACSE)", () => {
    expect(err(() => readOctetString(rd(hex`24 04 04 02 aa bb`)))).toEqual(["unexpected-tag", 0]);
  });
});

describe("NULL", () => {
  it("has no content", () => {
    expect(enc((w) => writeNull(w))).toBe("0500");
    expect(enc((w) => writeNull(w, ctx(12)))).toBe("8c00");
    expect(readNull(rd(hex`05 00`))).toBe(null);
    expect(err(() => readNull(rd(hex`05 01 00`)))).toEqual(["invalid-encoding", 2]);
  });
});

describe("OBJECT IDENTIFIER", () => {
  const cases: [string, string][] = [
    ["1.0.9506.2.3", "060528ca220203"],
    ["1.0.9506.2.1", "060528ca220201"],
    ["2.2.1.0.1", "0604520100 01".replace(" ", "")],
    ["2.1.1", "0602510 1".replace(" ", "")],
    ["1.2.840.113549.1.1.11", "06092a864886f70d01010b"],
    ["0.0", "060100"],
    ["0.39", "060127"],
    ["1.39", "06014f"],
    ["2.999.3", "0603883703"],
    ["1.3.6.1.4.1.9007199254740991", "060d2b060104018fffffffffffff7f"],
  ];
  for (const [oid, e] of cases) {
    it(`${oid} ⇄ ${e}`, () => {
      const bytes = hex`${e}`;
      const w = new BerWriter();
      writeOid(w, oid);
      expect(toHex(w.view().subarray(2))).toBe(toHex(bytes.subarray(2)));
      expect(toHex(oidContent(oid))).toBe(toHex(bytes.subarray(2)));
      expect(readOid(rd(w.view()))).toBe(oid);
    });
  }
  it("refuses malformed content", () => {
    expect(err(() => readOid(rd(hex`06 00`)))).toEqual(["invalid-encoding", 2]);
    expect(err(() => readOid(rd(hex`06 02 2a 80`)))).toEqual(["invalid-encoding", 3]);
    expect(err(() => readOid(rd(hex`06 03 2a 80 01`)))).toEqual(["invalid-encoding", 3]);
    expect(err(() => readOid(rd(hex`06 0a 2a ff ff ff ff ff ff ff ff 7f`)))).toEqual([
      "integer-overflow",
      10,
    ]);
  });
  it("refuses OIDs that cannot be encoded", () => {
    for (const bad of ["", "1", "3.1", "1.40", "1..2", "1.2.x", "1.2.", "1.-2"])
      expect(() => oidContent(bad), bad).toThrow(BerEncodeError);
  });
});

describe("character strings", () => {
  it("VisibleString: ASCII graphic characters only", () => {
    expect(enc((w) => writeVisibleString(w, "LLN0$ST"))).toBe("1a074c4c4e302453 54".replace(" ", ""));
    expect(readVisibleString(rd(hex`1a 03 61 62 63`))).toBe("abc");
    expect(readVisibleString(rd(hex`1a 00`))).toBe("");
    expect(err(() => readVisibleString(rd(hex`1a 03 61 0a 63`)))).toEqual(["invalid-string", 3]);
    expect(err(() => readVisibleString(rd(hex`1a 02 61 80`)))).toEqual(["invalid-string", 3]);
    expect(() => enc((w) => writeVisibleString(w, "a\nb"))).toThrow(BerEncodeError);
    expect(() => enc((w) => writeVisibleString(w, "é"))).toThrow(BerEncodeError);
  });
  it("VisibleString: long values take the chunked path", () => {
    const s = "x".repeat(10_000);
    const w = new BerWriter();
    writeVisibleString(w, s, ctx(0));
    expect(readVisibleString(rd(w.view()), ctx(0))).toBe(s);
  });
  it("GraphicString and friends keep every octet (ISO 8859-1)", () => {
    expect(readOctetCharString(rd(hex`19 03 41 e9 0a`))).toBe("A\u00e9\n");
    expect(enc((w) => writeOctetCharString(w, "A\u00e9"))).toBe("190241e9");
    expect(() => enc((w) => writeOctetCharString(w, "\u20ac"))).toThrow(BerEncodeError);
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const w = new BerWriter();
    w.primitive(UniversalTag.GraphicString, all);
    const s = readOctetCharString(rd(w.view()));
    const w2 = new BerWriter();
    writeOctetCharString(w2, s);
    expect(toHex(w2.view())).toBe(toHex(w.view()));
  });
  it("UTF8String: decodes strictly", () => {
    expect(enc((w) => writeUtf8String(w, "é€"))).toBe("0c05c3a9e282ac");
    expect(readUtf8String(rd(hex`0c 05 c3 a9 e2 82 ac`))).toBe("é€");
    expect(err(() => readUtf8String(rd(hex`0c 02 c3 28`)))).toEqual(["invalid-string", 2]);
    expect(err(() => readUtf8String(rd(hex`0c 01 ff`)))).toEqual(["invalid-string", 2]);
  });
});

describe("GeneralizedTime (X.680 §46)", () => {
  const at = (s: string): number => Date.parse(s);
  it("parses leniently", () => {
    const cases: [string, number][] = [
      ["20240101000000Z", at("2024-01-01T00:00:00Z")],
      ["20240101000000.5Z", at("2024-01-01T00:00:00.500Z")],
      ["20240101000000,25Z", at("2024-01-01T00:00:00.250Z")],
      ["20240101000000.123456Z", at("2024-01-01T00:00:00.123Z")],
      ["20240101000000", at("2024-01-01T00:00:00Z")], // local time read as UTC (documented)
      ["202401011230Z", at("2024-01-01T12:30:00Z")],
      ["2024010112Z", at("2024-01-01T12:00:00Z")],
      ["2024010112.5Z", at("2024-01-01T12:30:00Z")],
      ["202401011230.5Z", at("2024-01-01T12:30:30Z")],
      ["20240101120000+0130", at("2024-01-01T10:30:00Z")],
      ["20240101120000-05", at("2024-01-01T17:00:00Z")],
      ["20240229235959Z", at("2024-02-29T23:59:59Z")],
      ["20161231235960Z", at("2017-01-01T00:00:00Z")], // leap second
      ["00500101000000Z", yearMs(50)],
    ];
    for (const [s, ms] of cases) expect(parseGeneralizedTime(s), s).toBe(ms);
  });
  it("refuses malformed values", () => {
    for (const s of [
      "",
      "2024",
      "20240101",
      "20241301000000Z",
      "20240230000000Z",
      "20230229000000Z",
      "20240101240000Z",
      "20240101006000Z",
      "20240101000061Z",
      "20240101000000+2400",
      "20240101000000+0060",
      "20240101000000.Z",
      "2024-01-01T00:00:00Z",
      "20240101000000ZZ",
      " 20240101000000Z",
    ])
      expect(parseGeneralizedTime(s), s).toBeUndefined();
  });
  it("emits the canonical form (X.690 §11.7)", () => {
    expect(formatGeneralizedTime(at("2024-01-01T00:00:00Z"))).toBe("20240101000000Z");
    expect(formatGeneralizedTime(new Date(at("2024-01-01T00:00:00.500Z")))).toBe("20240101000000.5Z");
    expect(formatGeneralizedTime(at("2024-01-01T00:00:00.120Z"))).toBe("20240101000000.12Z");
    expect(formatGeneralizedTime(at("2024-01-01T00:00:00.001Z"))).toBe("20240101000000.001Z");
    expect(formatGeneralizedTime(yearMs(50))).toBe("00500101000000Z");
    expect(() => formatGeneralizedTime(Number.NaN)).toThrow(BerEncodeError);
    expect(() => formatGeneralizedTime(Date.UTC(10000, 0, 1))).toThrow(BerEncodeError);
  });
  it("round-trips through the codec", () => {
    const t = at("2026-11-25T17:00:00.250Z");
    const w = new BerWriter();
    writeGeneralizedTime(w, t, ctx(1));
    expect(toHex(w.view())).toBe(`8112${toHex(new TextEncoder().encode("20261125170000.25Z"))}`);
    expect(readGeneralizedTime(rd(w.view()), ctx(1)).getTime()).toBe(t);
    // A lenient encoding decodes to the same instant and re-encodes canonically.
    const lenient = new TextEncoder().encode("20261125180000.250+0100");
    const w2 = new BerWriter();
    w2.primitive(UniversalTag.GeneralizedTime, lenient);
    const d = readGeneralizedTime(rd(w2.view()));
    expect(d.getTime()).toBe(t);
    expect(formatGeneralizedTime(d)).toBe("20261125170000.25Z");
  });
  it("refuses non-ASCII, malformed and oversized content", () => {
    expect(err(() => readGeneralizedTime(rd(hex`18 02 32 00`)))).toEqual(["invalid-time", 3]);
    expect(err(() => readGeneralizedTime(rd(hex`18 02 32 30`)))).toEqual(["invalid-time", 2]);
    const big = new Uint8Array(2 + 100).fill(0x30);
    big[0] = 0x18;
    big[1] = 100;
    expect(err(() => readGeneralizedTime(rd(big)))).toEqual(["invalid-time", 2]);
  });
});

function yearMs(y: number): number {
  const d = new Date(0);
  d.setUTCFullYear(y, 0, 1);
  return d.getTime();
}

describe("UTCTime (X.680 §47)", () => {
  it("parses leniently with the 1950..2049 window", () => {
    expect(parseUtcTime("240101000000Z")).toBe(Date.UTC(2024, 0, 1));
    expect(parseUtcTime("490101000000Z")).toBe(Date.UTC(2049, 0, 1));
    expect(parseUtcTime("500101000000Z")).toBe(Date.UTC(1950, 0, 1));
    expect(parseUtcTime("2401011230Z")).toBe(Date.UTC(2024, 0, 1, 12, 30));
    expect(parseUtcTime("240101123000+0100")).toBe(Date.UTC(2024, 0, 1, 11, 30));
    for (const s of ["240101000000", "24010100000Z", "241301000000Z", "240101000000+01"])
      expect(parseUtcTime(s), s).toBeUndefined();
  });
  it("emits YYMMDDhhmmssZ", () => {
    expect(formatUtcTime(Date.UTC(2024, 0, 1, 12, 30, 5, 999))).toBe("240101123005Z");
    expect(() => formatUtcTime(Date.UTC(2050, 0, 1))).toThrow(BerEncodeError);
    expect(() => formatUtcTime(Date.UTC(1949, 11, 31))).toThrow(BerEncodeError);
    const w = new BerWriter();
    writeUtcTime(w, Date.UTC(2024, 0, 1));
    expect(toHex(w.view())).toBe("170d3234303130313030303030305a");
    expect(readUtcTime(rd(w.view())).getTime()).toBe(Date.UTC(2024, 0, 1));
    expect(err(() => readUtcTime(rd(hex`17 02 32 34`)))).toEqual(["invalid-time", 2]);
  });
});

describe("EXTERNAL (X.690 §8.18)", () => {
  const single: External = {
    directReference: "2.1.1",
    indirectReference: 3,
    dataValueDescriptor: undefined,
    encoding: { type: "single-ASN1-type", value: hex`a8 03 80 01 05` },
  };
  it("single-ASN1-type keeps the raw TLV as a view", () => {
    const w = new BerWriter();
    writeExternal(w, single);
    const bytes = w.toBytes();
    expect(toHex(bytes)).toBe("280e06025101020103a005a803800105");
    const v = readExternal(rd(bytes));
    expect(v.directReference).toBe("2.1.1");
    expect(v.indirectReference).toBe(3);
    expect(v.dataValueDescriptor).toBeUndefined();
    expect(v.encoding.type).toBe("single-ASN1-type");
    expect(toHex(v.encoding.value as Uint8Array)).toBe("a803800105");
    expect((v.encoding.value as Uint8Array).buffer).toBe(bytes.buffer);
  });
  it("octet-aligned [1] and arbitrary [2], with a descriptor", () => {
    const oa: External = {
      directReference: undefined,
      indirectReference: 1,
      dataValueDescriptor: "desc",
      encoding: { type: "octet-aligned", value: hex`01 02` },
    };
    const w = new BerWriter();
    writeExternal(w, oa);
    expect(toHex(w.view())).toBe("280d020101070464657363810 20102".replace(" ", ""));
    const v = readExternal(rd(w.toBytes()));
    expect(v).toMatchObject({ indirectReference: 1, dataValueDescriptor: "desc" });
    expect(v.encoding.type).toBe("octet-aligned");
    expect(toHex(v.encoding.value as Uint8Array)).toBe("0102");

    const ar: External = {
      directReference: "1.0.9506.2.1",
      indirectReference: undefined,
      dataValueDescriptor: undefined,
      encoding: { type: "arbitrary", value: { bytes: hex`f0`, bitLength: 4 } },
    };
    w.reset();
    writeExternal(w, ar);
    expect(toHex(w.view())).toBe("280b0605 28ca220201 820204f0".replace(/ /g, ""));
    const a = readExternal(rd(w.toBytes()));
    expect(a.directReference).toBe("1.0.9506.2.1");
    expect(a.encoding.type).toBe("arbitrary");
    if (a.encoding.type === "arbitrary")
      expect(bitStringEquals(a.encoding.value, { bytes: hex`f0`, bitLength: 4 })).toBe(true);
  });
  it("refuses a missing or unknown encoding and extra elements", () => {
    expect(err(() => readExternal(rd(hex`28 03 02 01 01`)))).toEqual(["truncated", 5]);
    expect(err(() => readExternal(rd(hex`28 05 02 01 01 83 00`)))).toEqual(["unexpected-tag", 5]);
    expect(err(() => readExternal(rd(hex`28 06 81 00 02 01 01 00`.subarray(0, 8))))).toEqual([
      "trailing-data",
      4,
    ]);
    expect(err(() => readExternal(rd(hex`28 06 a0 04 05 00 05 00`)))).toEqual(["trailing-data", 6]);
    expect(err(() => readExternal(rd(hex`28 02 a0 00`)))).toEqual(["truncated", 4]);
  });
});
