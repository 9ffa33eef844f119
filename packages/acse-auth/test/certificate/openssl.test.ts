import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  certificateAuthenticationValue,
  decodeCertificateValue,
  encodeTimeTlv,
} from "../../src/certificate/index";
import { ascii, context, NOW, pki, side } from "./helpers";

function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Runs `openssl dgst` in a scratch directory holding the given files; returns stdout. */
function dgst(files: Record<string, string | Uint8Array>, args: string[]): Buffer {
  const dir = mkdtempSync(join(tmpdir(), "mms-62351-4-"));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    return execFileSync("openssl", ["dgst", ...args], { cwd: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// An independent RSA / ECDSA implementation on both sides of the time-seal signature.
describe.skipIf(!hasOpenssl())("time-seal signatures interoperate with OpenSSL", () => {
  const time = "20260601120000Z";
  for (const [hash, covers] of [
    ["sha256", "content"],
    ["sha256", "tlv"],
    ["sha1", "content"],
  ] as const)
    it(`OpenSSL signs ${hash} over the time ${covers}; we verify${hash === "sha1" ? " (legacy only)" : ""}`, async () => {
      const data = covers === "tlv" ? encodeTimeTlv(time) : ascii(time);
      const signature = dgst({ "key.pem": pki.entities.client.keyPem, data }, [
        `-${hash}`,
        "-sign",
        "key.pem",
        "data",
      ]);
      const value = certificateAuthenticationValue({
        certificate: pki.entities.client.certDer,
        time,
        signature: new Uint8Array(signature),
      });
      const server = side("server", { insecureAcceptLegacy: hash === "sha1" });
      const { ctx, events } = context();
      expect((await server.verify(value, ctx)).mechanism).toBe("certificate");
      expect(events.map((e) => e.code)).toEqual(hash === "sha1" ? ["WRN_ACSE_LEGACY_SIGNATURE"] : []);
    });

  it("OpenSSL verifies our RSA and ECDSA time seals with the certificates' public keys", async () => {
    for (const name of ["client", "clientEcdsa"] as const) {
      const d = decodeCertificateValue(await side(name).credentials(context({ now: NOW }).ctx));
      const pub = execFileSync("openssl", ["x509", "-pubkey", "-noout"], {
        input: pki.entities[name].certPem,
      });
      const out = dgst({ "pub.pem": pub, data: d.timeContent, sig: d.signature }, [
        "-sha256",
        "-verify",
        "pub.pem",
        "-signature",
        "sig",
        "data",
      ]);
      expect(out.toString().trim()).toBe("Verified OK");
    }
  });
});

// Keep the fixture reader honest: the PEM key is PKCS#8 as the mechanism expects.
it("test-pki keys are PKCS#8", () => {
  expect(readFileSync(join(pki.fixturesDir, "client.key"), "utf8")).toContain("BEGIN PRIVATE KEY");
});
