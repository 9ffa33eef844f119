import { BerReader, BerWriter, ctx, ctxC, type External, readExternal, writeExternal } from "@mms/asn1";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AuthenticationValue } from "../../src/auth/mechanism";
import {
  CertificateValueError,
  certificateAuthenticationValue,
  decodeCertificateBased,
  decodeCertificateValue,
  encodeCertificateBased,
  encodeTimeTlv,
} from "../../src/certificate/index";
import { pki, toHex } from "./helpers";

const cert = pki.entities.client.certDer;
const sig = new Uint8Array(256).fill(0xab);
const time = "20260601120000Z";

/** The `[2] IMPLICIT EXTERNAL` TLV as it appears inside `[12]` / `[10]` of the AARQ / AARE. */
function wire(v: AuthenticationValue): Uint8Array {
  if (v.type !== "external") throw new Error("not external");
  const w = new BerWriter();
  writeExternal(w, v.value, ctxC(2));
  return w.toBytes();
}

function fromWire(bytes: Uint8Array): AuthenticationValue {
  const r = new BerReader(bytes);
  return { type: "external", value: readExternal(r, ctxC(2)), raw: bytes };
}

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof CertificateValueError) return e.code;
    throw e;
  }
  return "ok";
}

function lenOctets(n: number): string {
  return n < 0x80
    ? n.toString(16).padStart(2, "0")
    : n < 0x100
      ? `81${n.toString(16).padStart(2, "0")}`
      : `82${n.toString(16).padStart(4, "0")}`;
}

describe("62351-4 authentication value codec (reference §2.3)", () => {
  it("encodes A2 { A0 { A0 { 80 cert, 81 time, 82 signature } } } with no references", () => {
    const bytes = wire(certificateAuthenticationValue({ certificate: cert, time, signature: sig }));
    const inner = `80${lenOctets(cert.length)}${toHex(cert)}810f${toHex(new TextEncoder().encode(time))}82820100${"ab".repeat(256)}`;
    const cb = `a0${lenOctets(inner.length / 2)}${inner}`;
    const single = `a0${lenOctets(cb.length / 2)}${cb}`;
    expect(toHex(bytes)).toBe(`a2${lenOctets(single.length / 2)}${single}`);
  });

  it("round-trips, keeping views on the time content and TLV", () => {
    const d = decodeCertificateValue(
      fromWire(wire(certificateAuthenticationValue({ certificate: cert, time, signature: sig }))),
    );
    expect(d.certificate).toEqual(cert);
    expect(d.time).toBe(time);
    expect(d.timeMs).toBe(Date.parse("2026-06-01T12:00:00Z"));
    expect(toHex(d.timeContent)).toBe(toHex(new TextEncoder().encode(time)));
    expect(toHex(d.timeTlv)).toBe(toHex(encodeTimeTlv(time)));
    expect(d.signature).toEqual(sig);
  });

  it("tolerates a direct-reference and an indirect-reference inside the EXTERNAL (R-ACSE-4)", () => {
    const body = encodeCertificateBased({ certificate: cert, time, signature: sig });
    const ext: External = {
      directReference: "1.0.840.0.1.1.4.1",
      indirectReference: 3,
      dataValueDescriptor: undefined,
      encoding: { type: "single-ASN1-type", value: body },
    };
    const w = new BerWriter();
    writeExternal(w, ext, ctxC(2));
    const bytes = w.toBytes();
    expect(toHex(bytes.subarray(0, 20))).toContain("06082886480001010401020103");
    const d = decodeCertificateValue(fromWire(bytes));
    expect(d.time).toBe(time);
  });

  it("tolerates the octet-aligned encoding and a constructed [0] around the certificate", () => {
    const body = encodeCertificateBased({ certificate: cert, time, signature: sig });
    const oa: AuthenticationValue = {
      type: "external",
      value: {
        directReference: undefined,
        indirectReference: undefined,
        dataValueDescriptor: undefined,
        encoding: { type: "octet-aligned", value: body },
      },
    };
    expect(decodeCertificateValue(oa).certificate).toEqual(cert);
    const w = new BerWriter();
    const m = w.begin(ctxC(0));
    const c = w.begin(ctxC(0));
    w.raw(cert);
    w.end(c);
    w.primitive(ctx(1), new TextEncoder().encode(time));
    w.primitive(ctx(2), sig);
    w.end(m);
    expect(decodeCertificateBased(w.toBytes()).certificate).toEqual(cert);
  });

  it("accepts a time seal with a fraction and a numeric offset", () => {
    const d = decodeCertificateBased(
      encodeCertificateBased({ certificate: cert, time: "20260601140000.250+0200", signature: sig }),
    );
    expect(d.timeMs).toBe(Date.parse("2026-06-01T12:00:00.250Z"));
  });

  it("accepts the bare-decimal-point form YYYYMMDDhhmmss. (no zone, read as UTC)", () => {
    const d = decodeCertificateBased(
      encodeCertificateBased({ certificate: cert, time: "20260601120000.", signature: sig }),
    );
    expect([d.time, d.timeMs]).toEqual(["20260601120000.", Date.parse("2026-06-01T12:00:00Z")]);
  });

  it("refuses a value that is not external, and a missing value (value-missing)", () => {
    expect(codeOf(() => decodeCertificateValue(undefined))).toBe("value-missing");
    expect(codeOf(() => decodeCertificateValue({ type: "charstring", value: "secret" }))).toBe(
      "malformed-value",
    );
  });

  it("certificate of 8193 octets: certificate-too-large; of 8192: decoded (then refused as a certificate)", () => {
    const big = new Uint8Array(8193).fill(0x30);
    expect(
      codeOf(() =>
        decodeCertificateBased(encodeCertificateBased({ certificate: big, time, signature: sig })),
      ),
    ).toBe("certificate-too-large");
    const max = new Uint8Array(8192).fill(0x30);
    expect(
      decodeCertificateBased(encodeCertificateBased({ certificate: max, time, signature: sig })).certificate
        .length,
    ).toBe(8192);
    expect(
      codeOf(() =>
        decodeCertificateBased(
          encodeCertificateBased({ certificate: pki.entities.oversize.certDer, time, signature: sig }),
        ),
      ),
    ).toBe("certificate-too-large");
  });

  it("truncated value: malformed-value at every cut", () => {
    const body = encodeCertificateBased({ certificate: cert, time, signature: sig });
    for (const cut of [1, 2, 5, 100, body.length - 300, body.length - 1])
      expect(codeOf(() => decodeCertificateBased(body.subarray(0, cut)))).toBe("malformed-value");
  });

  it("over-long value: trailing octets, an extra field, or a length beyond the limits", () => {
    const body = encodeCertificateBased({ certificate: cert, time, signature: sig });
    const trailing = new Uint8Array([...body, 0x00, 0x00]);
    expect(codeOf(() => decodeCertificateBased(trailing))).toBe("malformed-value");
    const w = new BerWriter();
    const m = w.begin(ctxC(0));
    w.primitive(ctx(0), cert);
    w.primitive(ctx(1), new TextEncoder().encode(time));
    w.primitive(ctx(2), sig);
    w.primitive(ctx(3), sig);
    w.end(m);
    expect(codeOf(() => decodeCertificateBased(w.toBytes()))).toBe("malformed-value");
    // A length field claiming 16 MiB.
    expect(
      codeOf(() => decodeCertificateBased(new Uint8Array([0xa0, 0x84, 0x01, 0x00, 0x00, 0x00, 0x80]))),
    ).toBe("malformed-value");
  });

  it("refuses a bad time seal, an empty signature, fields out of order", () => {
    for (const bad of ["2026060112", "20261301120000Z", "yesterday", "20260601120000Z\u0001"]) {
      const v = encodeCertificateBased({ certificate: cert, time: bad, signature: sig });
      if (bad === "2026060112") expect(codeOf(() => decodeCertificateBased(v))).toBe("ok");
      else expect(codeOf(() => decodeCertificateBased(v))).toBe("malformed-value");
    }
    expect(
      codeOf(() =>
        decodeCertificateBased(
          encodeCertificateBased({ certificate: cert, time, signature: new Uint8Array(0) }),
        ),
      ),
    ).toBe("malformed-value");
    const w = new BerWriter();
    const m = w.begin(ctxC(0));
    w.primitive(ctx(1), new TextEncoder().encode(time));
    w.primitive(ctx(0), cert);
    w.primitive(ctx(2), sig);
    w.end(m);
    expect(codeOf(() => decodeCertificateBased(w.toBytes()))).toBe("malformed-value");
  });

  it("totality: any octets decode or fail with CertificateValueError only", () => {
    const body = encodeCertificateBased({
      certificate: cert.subarray(0, 40),
      time,
      signature: sig.subarray(0, 8),
    });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.nat(body.length), (junk, at) => {
        const mutated = new Uint8Array([...body.subarray(0, at), ...junk, ...body.subarray(at)]);
        const c = codeOf(() => decodeCertificateBased(mutated));
        expect(["ok", "malformed-value", "certificate-too-large"]).toContain(c);
      }),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
        const c = codeOf(() => decodeCertificateBased(junk));
        expect(["ok", "malformed-value", "certificate-too-large"]).toContain(c);
      }),
      { numRuns: 400 },
    );
  });
});
