import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { decodeBytes, decodeCapture, parseCaptureFile, parseHex, runCli } from "../src/index";
import { CliError, ExitCode } from "../src/exit-codes";
import { join } from "node:path";
import { loadVectors, sharedDir, vectorBytes } from "../../test-utils/src/vectors";
import { ethernetFrame, pcap, pcapng, type Segment } from "./capture-builder";

const texts = (bytes: Uint8Array) =>
  decodeBytes(bytes).flatMap((u) => u.lines.map((l) => `${l.layer} ${l.text}`));

function capture(io: { out: string[]; err: string[] }) {
  return { out: (l: string) => io.out.push(l), err: (l: string) => io.err.push(l) };
}

describe("mms decode: layer by layer", () => {
  it("decodes the libiec61850 connect request (V05) through every layer", () => {
    const lines = texts(vectorBytes("V05"));
    expect(lines[0]).toBe("TPKT version 3, length 187");
    expect(lines[1]).toBe("COTP DT data EOT, 180 octets");
    expect(lines[2]).toMatch(/^SESSION CN connect, .*version 2, requirements 00 02/);
    expect(lines[3]).toMatch(
      /^PRESENTATION CP-PPDU, normal mode, .*context 1=2\.2\.1\.0\.1 \(ACSE\), context 3=1\.0\.9506\.2\.1 \(MMS\)/,
    );
    expect(lines).toContain(
      "ACSE AARQ, context 1.0.9506.2.3, called-AP-title 1.1.1.999.1, called-AE-qualifier 12, calling-AP-title 1.1.1.999, calling-AE-qualifier 12",
    );
    expect(lines).toContain("MMS initiate-RequestPDU, max PDU 65000, outstanding 5/5, nesting 10");
  });

  it("names the accept, password AARQ, read, write, report, error, reject and release PDUs", () => {
    expect(texts(vectorBytes("V06")).join("\n")).toMatch(/AARE, context 1\.0\.9506\.2\.3, result accepted/);
    expect(texts(vectorBytes("V12")).join("\n")).toMatch(/mechanism password, authentication-value password/);
    expect(texts(vectorBytes("V12")).join("\n")).not.toMatch(/secret/);
    expect(texts(vectorBytes("V17a")).join("\n")).toMatch(
      /read request simpleIOGenericIO\/GGIO1\$MX\$AnIn1\$mag\$f/,
    );
    expect(texts(vectorBytes("V21a")).join("\n")).toMatch(/write request/);
    expect(texts(vectorBytes("V40")).join("\n")).toMatch(/unconfirmed-PDU, informationReport/);
    expect(texts(vectorBytes("V34b")).join("\n")).toMatch(
      /confirmed-ErrorPDU, invokeID \d+, serviceError file 7/,
    );
    expect(texts(vectorBytes("V35b")).join("\n")).toMatch(/rejectPDU/);
    expect(texts(vectorBytes("V43")).join("\n")).toMatch(/SESSION FN finish[\s\S]*ACSE RLRQ/);
    expect(texts(vectorBytes("V45")).join("\n")).toMatch(/SESSION AB abort[\s\S]*ARU-PPDU[\s\S]*ACSE ABRT/);
    expect(texts(vectorBytes("V15b")).join("\n")).toMatch(/getNameList response \d+ names/);
    expect(texts(vectorBytes("V20b")).join("\n")).toMatch(/read response 1 result, 1 failed/);
    expect(texts(vectorBytes("V22b")).join("\n")).toMatch(/write response 1 result, 1 failed/);
    expect(texts(vectorBytes("V39b")).join("\n")).toMatch(/write response 3 results/);
  });

  it("reassembles a TSDU segmented over several DT TPDUs (V47a + V47b)", () => {
    const both = new Uint8Array([...vectorBytes("V47a"), ...vectorBytes("V47b")]);
    const lines = texts(both);
    expect(lines.filter((l) => l.startsWith("COTP"))).toHaveLength(2);
    expect(lines).toContain("MMS initiate-RequestPDU, max PDU 65000, outstanding 5/5, nesting 10");
  });

  it("decodes every shared vector without throwing (totality over real frames)", () => {
    for (const v of loadVectors()) {
      expect(() => decodeBytes(vectorBytes(v.id)), v.id).not.toThrow();
    }
  });

  it("never throws on arbitrary bytes at any layer (errors are reported as ERROR lines)", () => {
    const layers = ["auto", "tpkt", "cotp", "session", "presentation", "acse", "mms"] as const;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...layers), (bytes, layer) => {
        decodeBytes(bytes, layer);
      }),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 186 }), fc.integer({ min: 0, max: 255 }), (i, b) => {
        const v = vectorBytes("V05").slice();
        v[i] = b;
        decodeBytes(v);
      }),
      { numRuns: 400 },
    );
  });

  it("parses hex with spaces, colons and 0x prefixes, and rejects odd or non-hex input", () => {
    expect([...parseHex("0x03 00:00-07")]).toEqual([3, 0, 0, 7]);
    expect(() => parseHex("abc")).toThrow(CliError);
    expect(() => parseHex("zz")).toThrow(/not hexadecimal/);
  });
});

describe("mms decode: pcap and pcapng captures", () => {
  const conn = (): Segment[] => {
    const req = vectorBytes("V17a");
    const rsp = vectorBytes("V17b");
    return [
      { fromClient: true, seq: 999, payload: new Uint8Array(0), syn: true },
      // The request split in two segments, delivered out of order, plus a retransmission.
      { fromClient: true, seq: 1000 + 10, payload: req.subarray(10) },
      { fromClient: true, seq: 1000, payload: req.subarray(0, 10) },
      { fromClient: true, seq: 1000, payload: req.subarray(0, 10) },
      { fromClient: false, seq: 5000, payload: rsp },
    ];
  };

  it("reassembles TCP per direction and decodes a pcap", () => {
    const file = pcap(conn().map((s) => ethernetFrame(s)));
    expect(parseCaptureFile(file)).toHaveLength(5);
    const units = decodeCapture(file);
    expect(units).toHaveLength(2);
    expect(units[0]?.flow).toBe("127.0.0.1:40000 → 127.0.0.2:102");
    expect(units[0]?.lines.at(-1)?.text).toMatch(/read request simpleIOGenericIO\/GGIO1\$MX\$AnIn1\$mag\$f/);
    expect(units[1]?.flow).toBe("127.0.0.2:102 → 127.0.0.1:40000");
    expect(units[1]?.lines.at(-1)?.text).toMatch(/confirmed-ResponsePDU, invokeID 5, read response/);
  });

  it("decodes the same conversation from a big-endian pcapng", () => {
    const units = decodeCapture(pcapng(conn().map((s) => ethernetFrame(s))));
    expect(units.map((u) => u.lines.at(-1)?.text)).toEqual([
      expect.stringMatching(/read request/),
      expect.stringMatching(/read response/),
    ]);
  });

  it("ignores other ports and rejects truncated or foreign files with a decode error", () => {
    const other = pcap([
      ethernetFrame({ fromClient: true, seq: 1, payload: vectorBytes("V17a") }, 40000, 8080),
    ]);
    expect(decodeCapture(other)).toHaveLength(0);
    const file = pcap(conn().map((s) => ethernetFrame(s)));
    expect(() => parseCaptureFile(file.subarray(0, file.length - 3))).toThrow(/overruns/);
    try {
      parseCaptureFile(new Uint8Array([1, 2, 3, 4, 5]));
      expect.unreachable();
    } catch (e) {
      expect((e as CliError).exitCode).toBe(ExitCode.decode);
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: file.length - 1 }), fc.integer({ min: 0, max: 255 }), (i, b) => {
        const f = file.slice();
        f[i] = b;
        try {
          decodeCapture(f);
        } catch (e) {
          expect(e).toBeInstanceOf(CliError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("mms CLI front end", () => {
  it("decode prints the layers and exits 0; bad hex exits 7 with a one-line error", async () => {
    const io = { out: [] as string[], err: [] as string[] };
    const hex = Buffer.from(vectorBytes("V13b")).toString("hex");
    expect(await runCli(["decode", "--brief", hex], capture(io))).toBe(ExitCode.ok);
    expect(io.out.join("\n")).toMatch(/identify response/);
    const bad = { out: [] as string[], err: [] as string[] };
    expect(await runCli(["decode", "0x3"], capture(bad))).toBe(ExitCode.decode);
    expect(bad.err).toEqual(["mms: [decode] odd number of hex digits"]);
  });

  it("decode FILE reads a capture named as the only argument (no --file needed)", async () => {
    const io = { out: [] as string[], err: [] as string[] };
    const file = join(sharedDir(), "vectors", "captures", "full.pcapng");
    expect(await runCli(["decode", "--brief", file], capture(io))).toBe(ExitCode.ok);
    const text = io.out.join("\n");
    expect(text).toMatch(/CR connection request/);
    expect(text).toMatch(/CN connect/);
  });

  it("decode --json prints one object per TPKT", async () => {
    const io = { out: [] as string[], err: [] as string[] };
    const hex = Buffer.from(vectorBytes("V05")).toString("hex");
    expect(await runCli(["decode", "--json", hex], capture(io))).toBe(0);
    const obj = JSON.parse(io.out[0] ?? "") as { layers: { layer: string }[] };
    expect(obj.layers.map((l) => l.layer)).toEqual([
      "TPKT",
      "COTP",
      "SESSION",
      "PRESENTATION",
      "PRESENTATION",
      "ACSE",
      "MMS",
    ]);
  });

  it("unknown commands and options are usage errors (exit 2)", async () => {
    const io = { out: [] as string[], err: [] as string[] };
    expect(await runCli(["frobnicate"], capture(io))).toBe(ExitCode.usage);
    expect(await runCli(["decode", "--nope"], capture(io))).toBe(ExitCode.usage);
    expect(io.err.every((l) => l.startsWith("mms: [usage] "))).toBe(true);
    expect(await runCli(["help"], capture(io))).toBe(0);
  });
});
