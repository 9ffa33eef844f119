import { formatGeneralizedTime } from "@mms/asn1";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  certificateAuthenticationValue,
  DEFAULT_WINDOW_MS,
  encodeTimeTlv,
} from "../../src/certificate/index";
import { ascii, context, NOW, pki, rejection, side, signWith } from "./helpers";

const FAILURE = { kind: "abort", diagnostic: 5 } as const;

describe("certificate mechanism: the good paths", () => {
  it("the server verifies the client's value: identity, no event (R-ACSE-1/4/9)", async () => {
    const value = await side("client").credentials(context({ role: "initiator" }).ctx);
    const { ctx, events } = context();
    const id = await side("server").verify(value, ctx);
    expect(id).toEqual({
      mechanism: "certificate",
      name: expect.stringContaining("CN="),
      certificate: pki.entities.client.certDer,
    });
    expect(events).toEqual([]);
  });

  it("sends the time seal as YYYYMMDDhhmmss[.fff]Z, strictly increasing", async () => {
    const m = side("client");
    const a = await m.credentials(context({ now: NOW }).ctx);
    const b = await m.credentials(context({ now: NOW }).ctx);
    const s = side("client", { timeSealPrecision: "second" });
    const c = await s.credentials(context({ now: NOW + 250 }).ctx);
    const d = await s.credentials(context({ now: NOW + 250 }).ctx);
    const times = [a, b, c, d].map((v) => {
      if (v.type !== "external" || v.value.encoding.type !== "single-ASN1-type") throw new Error("shape");
      const body = v.value.encoding.value;
      const i = body.indexOf(0x81, 8 + pki.entities.client.certDer.length);
      return new TextDecoder().decode(body.subarray(i + 2, i + 2 + body[i + 1]!));
    });
    expect(times).toEqual(["20260601120000Z", "20260601120000.001Z", "20260601120000Z", "20260601120001Z"]);
  });

  it("accepts a chain through a configured intermediate (clientInter under interA)", async () => {
    const value = await side("clientInter").credentials(context().ctx);
    const id = await side("server").verify(value, context().ctx);
    expect(id.certificate).toEqual(pki.entities.clientInter.certDer);
  });

  it("refuses clientInter when interA is not configured (peer supplies the end-entity only): unknown-issuer", async () => {
    const value = await side("clientInter").credentials(context().ctx);
    const { ctx, events } = context();
    const e = await rejection(side("server", { intermediates: [] }).verify(value, ctx));
    expect([e.code, e.reply]).toEqual(["unknown-issuer", FAILURE]);
    expect(events.map((x) => [x.code, x.detail.reason])).toEqual([
      ["ALM_ACSE_AUTH_FAILED", "unknown-issuer"],
    ]);
  });

  it("several trust anchors: clientB under caB", async () => {
    const value = await side("clientB").credentials(context().ctx);
    expect((await side("server").verify(value, context().ctx)).mechanism).toBe("certificate");
  });

  it("ECDSA P-256 (ECDSA-SHA256, DER signature on the wire; raw r||s accepted)", async () => {
    const value = await side("clientEcdsa").credentials(context().ctx);
    expect((await side("server").verify(value, context().ctx)).certificate).toEqual(
      pki.entities.clientEcdsa.certDer,
    );
    const time = "20260601120005Z";
    const raw = await signWith("clientEcdsa", ascii(time));
    expect(raw.length).toBe(64);
    const v2 = certificateAuthenticationValue({
      certificate: pki.entities.clientEcdsa.certDer,
      time,
      signature: raw,
    });
    expect((await side("server").verify(v2, context().ctx)).mechanism).toBe("certificate");
  });
});

describe("certificate mechanism: every bad certificate of tools/test-pki (R-ACSE-9)", () => {
  const cases = [
    ["expired", "certificate-expired"],
    ["notYetValid", "certificate-not-yet-valid"],
    ["revoked", "certificate-revoked"],
    ["unknownCa", "unknown-issuer"],
    ["rsa1024", "key-too-small"],
    ["wrongKeyUsage", "key-usage"],
  ] as const;
  for (const [name, code] of cases)
    it(`${name}: ${code}, ABRT authentication-failure (5), ALM_ACSE_AUTH_FAILED`, async () => {
      const time = formatGeneralizedTime(NOW);
      const signature = await signWith(name, ascii(time));
      const value = certificateAuthenticationValue({
        certificate: pki.entities[name].certDer,
        time,
        signature,
      });
      const { ctx, events } = context();
      const e = await rejection(side("server").verify(value, ctx));
      expect([e.code, e.reply]).toEqual([code, FAILURE]);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ code: "ALM_ACSE_AUTH_FAILED", severity: "alarm", time: NOW });
      expect(events[0]?.detail.reason).toBe(code);
    });

  it("oversize (DER > 8192 octets): certificate-too-large", async () => {
    const time = formatGeneralizedTime(NOW);
    const signature = await signWith("oversize", ascii(time));
    expect(pki.entities.oversize.certDer.length).toBeGreaterThan(8192);
    const value = certificateAuthenticationValue({
      certificate: pki.entities.oversize.certDer,
      time,
      signature,
    });
    const { ctx, events } = context();
    const e = await rejection(side("server").verify(value, ctx));
    expect([e.code, e.reply]).toEqual(["certificate-too-large", FAILURE]);
    expect(events[0]?.detail.reason).toBe("certificate-too-large");
  });

  it("rsa1024 accepted under insecureAcceptLegacy, with WRN_ACSE_LEGACY_KEY", async () => {
    const value = await side("rsa1024").credentials(context().ctx);
    const { ctx, events } = context();
    await side("server", { insecureAcceptLegacy: true }).verify(value, ctx);
    expect(events.map((x) => x.code)).toEqual(["WRN_ACSE_LEGACY_KEY"]);
    expect(events[0]?.detail.modulusBits).toBe(1024);
  });

  it("a garbage certificate: malformed-value", async () => {
    const value = certificateAuthenticationValue({
      certificate: new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]),
      time: formatGeneralizedTime(NOW),
      signature: new Uint8Array(256),
    });
    const e = await rejection(side("server").verify(value, context().ctx));
    expect([e.code, e.reply]).toEqual(["malformed-value", FAILURE]);
  });

  it("a CRL past its nextUpdate is still applied, with WRN_CRL_EXPIRED", async () => {
    const value = await side("clientB").credentials(context().ctx);
    const { ctx, events } = context();
    await side("server", { crls: [pki.caBExpiredCrlPem] }).verify(value, ctx);
    expect(events.map((x) => x.code)).toEqual(["WRN_CRL_EXPIRED"]);
  });

  it("no CRL for an issuer while others are configured: accepted with WRN_CRL_UNAVAILABLE", async () => {
    const value = await side("clientB").credentials(context().ctx);
    const { ctx, events } = context();
    await side("server", { crls: [pki.cas.caA.crlPem] }).verify(value, ctx);
    expect(events.map((x) => [x.code, x.severity])).toEqual([["WRN_CRL_UNAVAILABLE", "warning"]]);
  });

  it("setCrls reloads: revoked is accepted without CRLs, refused after the reload", async () => {
    const server = side("server", { crls: [] });
    const time = formatGeneralizedTime(NOW);
    const value = certificateAuthenticationValue({
      certificate: pki.entities.revoked.certDer,
      time,
      signature: await signWith("revoked", ascii(time)),
    });
    await server.verify(value, context().ctx);
    server.setCrls([pki.cas.caA.crlPem]);
    const e = await rejection(server.verify(value, context({ now: NOW + 1 }).ctx));
    expect(e.code).toBe("certificate-revoked");
  });
});

describe("certificate mechanism: chain cache", () => {
  it("a chain built once is still checked for validity at every later association", async () => {
    const server = side("server");
    await server.verify(await side("client").credentials(context().ctx), context().ctx);
    const late = Date.parse("2045-06-01T00:00:00Z");
    const { ctx, events } = context({ now: late });
    const e = await rejection(server.verify(await side("client").credentials(ctx), ctx));
    expect([e.code, e.detail.which]).toEqual(["certificate-expired", "end-entity"]);
    expect(events[0]?.detail.reason).toBe("certificate-expired");
  });
});

describe("certificate mechanism: time window (R-ACSE-7)", () => {
  const W = DEFAULT_WINDOW_MS;
  for (const [label, offset, ok] of [
    ["window - 1 s in the past", -(W - 1000), true],
    ["window + 1 s in the past", -(W + 1000), false],
    ["window - 1 s in the future", W - 1000, true],
    ["window + 1 s in the future", W + 1000, false],
    ["exactly the window in the past", -W, true],
  ] as const)
    it(`time seal at ${label}: ${ok ? "accepted" : "time-skew"}`, async () => {
      const value = await side("client").credentials(context({ now: NOW + offset }).ctx);
      const { ctx, events } = context();
      const p = side("server").verify(value, ctx);
      if (ok) {
        await p;
        expect(events).toEqual([]);
      } else {
        const e = await rejection(p);
        expect([e.code, e.reply]).toEqual(["time-skew", FAILURE]);
        expect(events[0]?.detail).toMatchObject({ reason: "time-skew", skewMs: offset, windowMs: W });
      }
    });

  it("property: any skew within the window is accepted, any beyond it refused with that skew", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -120_000, max: 120_000 }), async (skew) => {
        const now = NOW + 10_000_000 + skew * 7;
        // A fresh sender each time: a sender's time seals only go forward.
        const value = await side("client").credentials(context({ now: now + skew }).ctx);
        // …and a fresh receiver (fast-check replays inputs while shrinking: the cache would see replays).
        const p = side("server", { windowMs: 60_000 }).verify(value, context({ now }).ctx);
        if (Math.abs(skew) <= 60_000) expect((await p).mechanism).toBe("certificate");
        else expect((await rejection(p)).detail.skewMs).toBe(skew);
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it("a configured window of 5 s applies; windowMs 0 is refused at construction", async () => {
    const value = await side("client").credentials(context({ now: NOW - 6000 }).ctx);
    const e = await rejection(side("server", { windowMs: 5000 }).verify(value, context().ctx));
    expect(e.detail.skewMs).toBe(-6000);
    expect(() => side("server", { windowMs: 0 })).toThrow(RangeError);
  });
});

describe("certificate mechanism: replay (R-ACSE-8)", () => {
  it("the same value byte for byte within the window: replay, ALM_ACSE_REPLAY; after the window only a fresh seal passes", async () => {
    const client = side("client");
    const server = side("server");
    const value = await client.credentials(context({ now: NOW }).ctx);
    await server.verify(value, context({ now: NOW }).ctx);
    const again = context({ now: NOW + 60_000 });
    const e = await rejection(server.verify(value, again.ctx));
    expect([e.code, e.reply]).toEqual(["replay", FAILURE]);
    expect(again.events.map((x) => [x.code, x.detail.reason])).toEqual([["ALM_ACSE_REPLAY", "replay"]]);
    const later = NOW + DEFAULT_WINDOW_MS + 1000;
    const stale = await rejection(server.verify(value, context({ now: later }).ctx));
    expect(stale.code).toBe("time-skew");
    const fresh = await client.credentials(context({ now: later }).ctx);
    expect((await server.verify(fresh, context({ now: later }).ctx)).mechanism).toBe("certificate");
  });

  it("a value with a bad signature does not poison the cache", async () => {
    const time = formatGeneralizedTime(NOW);
    const good = certificateAuthenticationValue({
      certificate: pki.entities.client.certDer,
      time,
      signature: await signWith("client", ascii(time)),
    });
    const forged = certificateAuthenticationValue({
      certificate: pki.entities.client.certDer,
      time,
      signature: await signWith("server", ascii(time)),
    });
    const server = side("server");
    expect((await rejection(server.verify(forged, context().ctx))).code).toBe("bad-signature");
    expect((await server.verify(good, context().ctx)).mechanism).toBe("certificate");
  });

  it("the same instant written differently is still a replay", async () => {
    const server = side("server");
    for (const [time, code] of [
      ["20260601120000Z", "ok"],
      ["20260601140000+0200", "replay"],
    ] as const) {
      const v = certificateAuthenticationValue({
        certificate: pki.entities.client.certDer,
        time,
        signature: await signWith("client", ascii(time)),
      });
      const p = server.verify(v, context().ctx);
      if (code === "ok") await p;
      else expect((await rejection(p)).code).toBe(code);
    }
  });
});

describe("certificate mechanism: signatures (R-ACSE-6, reference Q2)", () => {
  const time = "20260601120000Z";
  const cert = pki.entities.client.certDer;

  it("signature made with another key: bad-signature", async () => {
    const v = certificateAuthenticationValue({
      certificate: cert,
      time,
      signature: await signWith("server", ascii(time)),
    });
    const { ctx, events } = context();
    const e = await rejection(side("server").verify(v, ctx));
    expect([e.code, e.reply]).toEqual(["bad-signature", FAILURE]);
    expect(events[0]?.detail.reason).toBe("bad-signature");
  });

  it("signature over other bytes: bad-signature", async () => {
    const v = certificateAuthenticationValue({
      certificate: cert,
      time,
      signature: await signWith("client", ascii("20260601120001Z")),
    });
    expect((await rejection(side("server").verify(v, context().ctx))).code).toBe("bad-signature");
  });

  it("accepts SHA-256 over the content octets and over the [1] TLV (both readings)", async () => {
    for (const data of [ascii(time), encodeTimeTlv(time)]) {
      const v = certificateAuthenticationValue({
        certificate: cert,
        time,
        signature: await signWith("client", data),
      });
      expect((await side("server").verify(v, context().ctx)).mechanism).toBe("certificate");
    }
  });

  it("sender profiles sha256-time-tlv and sha1-time-content", async () => {
    const tlv = await side("client", { signatureProfile: "sha256-time-tlv" }).credentials(context().ctx);
    expect((await side("server").verify(tlv, context().ctx)).mechanism).toBe("certificate");
    const sha1 = await side("client", { signatureProfile: "sha1-time-content" }).credentials(
      context({ now: NOW + 1 }).ctx,
    );
    const strict = context({ now: NOW + 1 });
    expect((await rejection(side("server").verify(sha1, strict.ctx))).code).toBe("bad-signature");
    const legacy = context({ now: NOW + 1 });
    await side("server", { insecureAcceptLegacy: true }).verify(sha1, legacy.ctx);
    expect(legacy.events.map((x) => [x.code, x.detail.hash, x.detail.covers])).toEqual([
      ["WRN_ACSE_LEGACY_SIGNATURE", "SHA-1", "time-content"],
    ]);
  });

  it("a signature typed as BIT STRING (leading unused-bits octet 0) is accepted", async () => {
    const sig = await signWith("client", ascii(time));
    const v = certificateAuthenticationValue({
      certificate: cert,
      time,
      signature: new Uint8Array([0, ...sig]),
    });
    expect((await side("server").verify(v, context().ctx)).mechanism).toBe("certificate");
  });

  it("an RSA signature with its leading zero octets dropped is accepted", async () => {
    // Find a time seal whose signature starts with 0x00 (about 1 in 256), then strip it.
    for (let s = 0; s < 4000; s++) {
      const t = formatGeneralizedTime(NOW + s);
      const sig = await signWith("client", ascii(t));
      if (sig[0] !== 0) continue;
      const v = certificateAuthenticationValue({ certificate: cert, time: t, signature: sig.subarray(1) });
      expect((await side("server").verify(v, context().ctx)).mechanism).toBe("certificate");
      return;
    }
    throw new Error("no signature with a leading zero found");
  });

  it("a time seal with a fraction and an offset, signed over its content", async () => {
    const t = "20260601140000.250+0200";
    const v = certificateAuthenticationValue({
      certificate: cert,
      time: t,
      signature: await signWith("client", ascii(t)),
    });
    expect((await side("server").verify(v, context().ctx)).mechanism).toBe("certificate");
  });
});
