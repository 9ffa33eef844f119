import type { SecurityEvent } from "@mms/io";
import { noTransportInfo } from "@mms/io";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BilateralTable,
  bilateralPeerPolicies,
  checkBilateral,
  checkCertificateExpiry,
  decideBilateral,
  ecdsaDerToRaw,
  ecdsaRawToDer,
  ReplayCache,
} from "../../src/certificate/index";
import { pki, side } from "./helpers";

describe("ReplayCache (R-ACSE-8)", () => {
  it("claims once, refuses the same key until it expires", () => {
    const c = new ReplayCache();
    expect(c.claim("a", 1000, 0)).toBe("fresh");
    expect(c.claim("a", 1000, 999)).toBe("replay");
    expect(c.has("a", 1000)).toBe(false);
    expect(c.claim("a", 2000, 1000)).toBe("fresh");
  });

  it("is bounded: purges expired entries, then fails closed when full of live ones", () => {
    const c = new ReplayCache({ maxEntries: 3 });
    expect(["a", "b", "c"].map((k, i) => c.claim(k, 100 + i, 0))).toEqual(["fresh", "fresh", "fresh"]);
    expect(c.claim("d", 500, 50)).toBe("full");
    expect(c.claim("d", 500, 100)).toBe("fresh");
    expect(c.size).toBe(3);
    expect(() => new ReplayCache({ maxEntries: 0 })).toThrow(RangeError);
  });

  it("never exceeds maxEntries (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 3 }), fc.nat(1000), fc.nat(1000)), { maxLength: 200 }),
        (ops) => {
          const c = new ReplayCache({ maxEntries: 16 });
          for (const [k, exp, now] of ops) {
            c.claim(k, exp, now);
            expect(c.size).toBeLessThanOrEqual(16);
          }
        },
      ),
    );
  });

  it("one cache shared by two mechanisms catches a replay across them", async () => {
    const { context } = await import("./helpers");
    const cache = new ReplayCache();
    const value = await side("client").credentials(context().ctx);
    await side("server", { replayCache: cache }).verify(value, context().ctx);
    await expect(side("server", { replayCache: cache }).verify(value, context().ctx)).rejects.toMatchObject({
      code: "replay",
    });
  });
});

describe("ECDSA signature forms", () => {
  it("raw r||s ↔ DER round-trips (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (raw) => {
        const der = ecdsaRawToDer(raw);
        expect(der[0]).toBe(0x30);
        expect(ecdsaDerToRaw(der)).toEqual(raw);
      }),
    );
    expect(ecdsaDerToRaw(new Uint8Array([0x30, 0x02, 0x02, 0x00]))).toBeUndefined();
  });
});

describe("certificate expiry pre-alarm (R-TLS-9)", () => {
  const collect = () => {
    const events: SecurityEvent[] = [];
    return { events, emit: (e: SecurityEvent) => events.push(e) };
  };

  it("warns within the horizon, alarms once expired, stays silent otherwise", () => {
    const { events, emit } = collect();
    const notAfter = Date.parse("2045-01-01T00:00:00Z");
    const day = 86_400_000;
    const f = checkCertificateExpiry({
      certificates: [
        { role: "own", certificate: pki.entities.client.certPem },
        { role: "trust-anchor", certificate: pki.cas.caA.certDer },
        { role: "peer", certificate: pki.entities.expired.certPem },
      ],
      now: notAfter - 10 * day,
      horizonMs: 30 * day,
      emit,
    });
    expect(f.map((x) => [x.role, x.code])).toEqual([
      ["own", "WRN_CERT_EXPIRES_SOON"],
      ["trust-anchor", "WRN_CERT_EXPIRES_SOON"],
      ["peer", "ALM_CERT_EXPIRED"],
    ]);
    expect(events.map((e) => [e.code, e.severity])).toEqual([
      ["WRN_CERT_EXPIRES_SOON", "warning"],
      ["WRN_CERT_EXPIRES_SOON", "warning"],
      ["ALM_CERT_EXPIRED", "alarm"],
    ]);
    expect(events[0]?.detail).toMatchObject({ role: "own", remainingMs: 10 * day });
    const quiet = collect();
    checkCertificateExpiry({
      certificates: [{ role: "own", certificate: pki.entities.client.certPem }],
      now: notAfter - 40 * day,
      horizonMs: 30 * day,
      emit: quiet.emit,
    });
    expect(quiet.events).toEqual([]);
    expect(() =>
      checkCertificateExpiry({ certificates: [], now: 0, horizonMs: 10_001 * 3_600_000, emit }),
    ).toThrow(RangeError);
  });

  it("the mechanism checks its own certificate, anchors and intermediates", () => {
    const { events, emit } = collect();
    const f = side("client").checkExpiry(Date.parse("2044-12-25T00:00:00Z"), emit, 30 * 86_400_000);
    expect(f.map((x) => x.role).sort()).toEqual(["intermediate", "own", "trust-anchor", "trust-anchor"]);
    expect(events).toHaveLength(4);
  });
});

describe("TASE.2 bilateral table (62351-4 §7.2, R-CONF-2)", () => {
  const table: BilateralTable = [
    { apTitle: "1.1.1.999.1", transport: "secure", application: "secure" },
    { apTitle: "1.1.1.999.2", transport: "non-secure", application: "non-secure" },
    { apTitle: "1.1.1.999.3", transport: "dont-care", application: "non-secure", acceptPassword: true },
    { apTitle: "1.1.1.999.3", aeQualifier: 7, transport: "secure", application: "secure" },
  ];
  const tls = { tls: { protocol: "TLSv1.3", cipher: "x", peerCertificate: undefined, peerChain: [] } };
  const plain = noTransportInfo;

  it("maps each row and transport to a decision", () => {
    expect(decideBilateral(table, "1.1.1.999.1", tls)).toMatchObject({
      accept: true,
      mechanisms: ["certificate"],
      respondWithCertificate: true,
    });
    expect(decideBilateral(table, "1.1.1.999.1", plain)).toMatchObject({
      accept: false,
      reason: "tls-required",
    });
    expect(decideBilateral(table, "1.1.1.999.2", tls)).toMatchObject({
      accept: false,
      reason: "tls-forbidden",
    });
    expect(decideBilateral(table, "1.1.1.999.2", plain)).toMatchObject({
      accept: true,
      mechanisms: ["none"],
    });
    expect(decideBilateral(table, "1.1.1.999.3", tls)).toMatchObject({
      accept: true,
      mechanisms: ["password", "none"],
    });
    expect(decideBilateral(table, "1.1.1.999.3", plain)).toMatchObject({
      accept: true,
      mechanisms: ["none"],
    });
    expect(decideBilateral(table, "1.1.1.999.3", plain, 7)).toMatchObject({
      accept: false,
      reason: "tls-required",
    });
    expect(decideBilateral(table, "1.1.1.999.9", tls)).toMatchObject({
      accept: false,
      reason: "unknown-peer",
    });
    expect(decideBilateral(table, undefined, tls)).toMatchObject({ accept: false, reason: "unknown-peer" });
  });

  it("bilateralPeerPolicies gives AcceptPolicy.peers; checkBilateral also checks the mechanism used", () => {
    const simple = table.slice(0, 3);
    expect([...bilateralPeerPolicies(simple)]).toEqual([
      ["1.1.1.999.1", { mechanisms: ["certificate"], aeQualifier: undefined }],
      ["1.1.1.999.2", { mechanisms: undefined, aeQualifier: undefined }],
      ["1.1.1.999.3", { mechanisms: ["password", "tls"], aeQualifier: undefined }],
    ]);
    expect(() => bilateralPeerPolicies(table)).toThrow(TypeError);
    expect(
      checkBilateral(table, { apTitle: "1.1.1.999.1", transport: tls, mechanism: "certificate" }),
    ).toMatchObject({
      accept: true,
    });
    expect(checkBilateral(table, { apTitle: "1.1.1.999.1", transport: tls, mechanism: "tls" })).toMatchObject(
      {
        accept: false,
        reason: "authentication-required",
      },
    );
    expect(
      checkBilateral(table, { apTitle: "1.1.1.999.3", transport: tls, mechanism: "password" }),
    ).toMatchObject({
      accept: true,
    });
    expect(
      checkBilateral(table, { apTitle: "1.1.1.999.3", transport: plain, mechanism: "password" }),
    ).toMatchObject({
      accept: false,
      reason: "authentication-required",
    });
  });

  it("a `*` row covers peers absent from the table", () => {
    const t: BilateralTable = [...table, { apTitle: "*", transport: "secure", application: "secure" }];
    expect(decideBilateral(t, "1.1.1.999.9", tls)).toMatchObject({
      accept: true,
      mechanisms: ["certificate"],
    });
    expect(decideBilateral(t, undefined, plain)).toMatchObject({ accept: false, reason: "tls-required" });
  });
});
