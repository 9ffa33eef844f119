import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createTlsProfile,
  DEFAULT_TLS12_CIPHERS,
  TLS_EVENT_CODES,
  TLS_PROFILE_DEFAULTS,
  TlsProfileError,
  withTlsProfileChanges,
} from "../src/index";
import { CRLS, pki, profileFor, TRUST } from "./helpers";

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TlsProfileError);
    expect((e as TlsProfileError).code).toBe("invalid-profile");
    return (e as TlsProfileError).problems;
  }
  throw new Error("no TlsProfileError");
}

describe("createTlsProfile", () => {
  it("applies the DECISIONS.md defaults and freezes the result", () => {
    const { profile } = profileFor("server");
    expect(profile.minVersion).toBe("TLSv1.2");
    expect(profile.maxVersion).toBe("TLSv1.3");
    expect(profile.tls12Ciphers).toEqual(DEFAULT_TLS12_CIPHERS);
    expect(profile.tls12Ciphers).toContain("AES128-SHA256");
    expect(profile.tls13Ciphers).toEqual(["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"]);
    expect(profile.maxCertificateSize).toBe(8192);
    expect(profile.rekey).toEqual({
      intervalMs: 1_800_000,
      maxMessages: 5000,
      timeoutMs: 60_000,
      initiator: "server",
    });
    expect(profile.resumption).toEqual({ enabled: true, lifetimeSeconds: 21_600 });
    expect(profile.closeRevokedSessions).toBe(true);
    expect(profile.allowList).toBeUndefined();
    expect(profile.trustAnchors).toHaveLength(4);
    expect(profile.crls).toHaveLength(5);
    expect(Object.isFrozen(profile)).toBe(true);
    expect(Object.isFrozen(profile.rekey)).toBe(true);
    expect(Object.isFrozen(TLS_PROFILE_DEFAULTS)).toBe(true);
  });

  it("reports every problem together", () => {
    const problems = problemsOf(() =>
      createTlsProfile({
        trustAnchors: [],
        certificateChain: pki.entities.client.certPem,
        privateKey: pki.entities.server.keyPem,
        crls: ["-----BEGIN CRL-----\nAAAA\n-----END CRL-----\n"],
        minVersion: "TLSv1",
        tls12Ciphers: ["NULL-SHA", "RC4-SHA", "DES-CBC3-SHA", "ADH-AES128-SHA", "AES128-SHA256"],
        tls13Ciphers: ["TLS_AES_128_CCM_8_SHA256"],
        maxCertificateSize: 4096,
        rekey: { intervalMs: 2 * 86_400_000, maxMessages: -1, timeoutMs: 0 },
        resumption: { lifetimeSeconds: 0 },
        certificateExpiryWarningDays: -3,
        allowList: ["not a certificate"],
        ...({ allowlist: [] } as object),
      }),
    );
    const expected = [
      /trustAnchors: at least one/,
      /privateKey does not match/,
      /crls\[0\]: unreadable CRL/,
      /minVersion TLSv1 is insecure: it needs legacy2007/,
      /"NULL-SHA" is unknown or insecure/,
      /"RC4-SHA" is unknown or insecure/,
      /"DES-CBC3-SHA" is unknown or insecure/,
      /"ADH-AES128-SHA" is unknown or insecure/,
      /tls13Ciphers: "TLS_AES_128_CCM_8_SHA256"/,
      /maxCertificateSize must be an integer from 8192/,
      /rekey.intervalMs/,
      /rekey.maxMessages/,
      /rekey.timeoutMs/,
      /resumption.lifetimeSeconds/,
      /certificateExpiryWarningDays/,
      /allowList\[0\]: no PEM CERTIFICATE/,
      /unknown option "allowlist"/,
    ];
    for (const re of expected)
      expect(
        problems.some((p) => re.test(p)),
        `${re} in ${problems.join(" | ")}`,
      ).toBe(true);
    expect(problems).not.toContain(expect.stringMatching(/AES128-SHA256/));
  });

  it("requires a CRL for every trust anchor once CRLs are used (OpenSSL checks the whole chain)", () => {
    const problems = problemsOf(() =>
      createTlsProfile({
        trustAnchors: TRUST,
        certificateChain: pki.entities.server.certPem,
        privateKey: pki.entities.server.keyPem,
        crls: [pki.cas.caA.crlPem],
      }),
    );
    expect(problems.filter((p) => p.includes("has no CRL"))).toHaveLength(3);
  });

  it("refuses a non-CA trust anchor, an RSA-1024 own key, an expired own certificate, SSL", () => {
    const problems = problemsOf(() =>
      createTlsProfile({
        trustAnchors: [pki.entities.client.certPem],
        certificateChain: pki.entities.rsa1024.certPem,
        privateKey: pki.entities.rsa1024.keyPem,
        maxVersion: "SSLv3" as "TLSv1.3",
      }),
    );
    expect(problems.join("\n")).toMatch(/is not a CA certificate/);
    expect(problems.join("\n")).toMatch(/RSA key of 1024 bits/);
    expect(problems.join("\n")).toMatch(/unknown version "SSLv3"/);
    const expired = problemsOf(() =>
      createTlsProfile({
        trustAnchors: TRUST,
        certificateChain: pki.entities.expired.certPem,
        privateKey: pki.entities.expired.keyPem,
      }),
    );
    expect(expired.join("\n")).toMatch(/own certificate expired/);
  });

  it("legacy2007 allows TLS 1.0/1.1 and CBC-SHA1 suites, nothing else", () => {
    const { profile } = profileFor("server", { legacy2007: true });
    expect(profile.minVersion).toBe("TLSv1");
    expect(profile.tls12Ciphers).toContain("AES256-SHA");
    const problems = problemsOf(() =>
      profileFor("server", { legacy2007: true, tls12Ciphers: ["RC4-SHA", "NULL-SHA"] }),
    );
    expect(problems).toHaveLength(2);
  });

  it("an empty allow-list is kept (it rejects everyone); PEM and DER entries are both accepted", () => {
    expect(profileFor("server", { allowList: [] }).profile.allowList).toEqual([]);
    const p = profileFor("server", {
      allowList: [pki.entities.client.certPem, pki.entities.clientB.certDer],
    }).profile;
    expect(p.allowList).toHaveLength(2);
    expect(Buffer.from(p.allowList?.[0] ?? [])).toEqual(Buffer.from(pki.entities.client.certDer));
  });

  it("withTlsProfileChanges validates again", () => {
    const { profile } = profileFor("server");
    expect(withTlsProfileChanges(profile, { crls: [...CRLS, pki.caBExpiredCrlPem] }).crls).toHaveLength(6);
    expect(() => withTlsProfileChanges(profile, { maxVersion: "TLSv1.1" })).toThrow(TlsProfileError);
  });

  it("every event code has a documented prefix and a row in docs/security.md", () => {
    const doc = readFileSync(fileURLToPath(new URL("../../../docs/security.md", import.meta.url)), "utf8");
    for (const c of TLS_EVENT_CODES) {
      expect(c).toMatch(/^(ALM|WRN|INF)_[A-Z_]+$/);
      expect(doc, c).toMatch(new RegExp(`^\\| \`${c}\``, "m"));
    }
  });
});

describe("createTlsProfile totality", () => {
  it("any option values: a profile or a TlsProfileError, never another exception", () => {
    const anyValue = fc.oneof(
      fc.anything(),
      fc.constantFrom(
        pki.entities.client.certPem,
        pki.cas.caA.certPem,
        pki.cas.caA.crlPem,
        "TLSv1",
        "NULL-SHA",
      ),
      fc.array(fc.oneof(fc.string(), fc.constant(pki.cas.caA.certPem), fc.uint8Array({ maxLength: 40 }))),
    );
    const keys = [
      "trustAnchors",
      "certificateChain",
      "privateKey",
      "crls",
      "allowList",
      "minVersion",
      "maxVersion",
      "tls12Ciphers",
      "tls13Ciphers",
      "legacy2007",
      "maxCertificateSize",
      "rekey",
      "resumption",
      "handshakeTimeoutMs",
      "closeRevokedSessions",
      "certificateExpiryWarningDays",
      "clock",
      "bogus",
    ];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), anyValue, { maxKeys: 8 }), (extra) => {
        try {
          createTlsProfile({
            trustAnchors: TRUST,
            certificateChain: pki.entities.server.certPem,
            privateKey: pki.entities.server.keyPem,
            ...(extra as object),
          });
        } catch (e) {
          expect(e).toBeInstanceOf(TlsProfileError);
          expect((e as TlsProfileError).problems.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 150 },
    );
  });
});
