import { BerWriter, ctx, ctxC, formatGeneralizedTime } from "@mms/asn1";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AuthenticationValue } from "../../src/auth/mechanism";
import { AuthenticationError } from "../../src/auth/mechanism";
import { certificateAuthenticationValue, encodeCertificateBased } from "../../src/certificate/index";
import { ascii, context, NOW, pki, rejection, side, signWith } from "./helpers";

const FAILURE = { kind: "abort", diagnostic: 5 } as const;
const external = (body: Uint8Array): AuthenticationValue => ({
  type: "external",
  value: {
    directReference: undefined,
    indirectReference: undefined,
    dataValueDescriptor: undefined,
    encoding: { type: "single-ASN1-type", value: body },
  },
});

async function goodBody(name: "client" | "unknownCa" = "client", now = NOW): Promise<Uint8Array> {
  const time = formatGeneralizedTime(now);
  return encodeCertificateBased({
    certificate: pki.entities[name].certDer,
    time,
    signature: await signWith(name, ascii(time)),
  });
}

describe("peers.md §5 bug classes against the certificate value", () => {
  it("class 9 (policy combinations): an allow-listed certificate that does not chain is still refused", async () => {
    const server = side("server", { allowList: [pki.entities.unknownCa.certPem] });
    const e = await rejection(server.verify(external(await goodBody("unknownCa")), context().ctx));
    expect([e.code, e.reply]).toEqual(["unknown-issuer", FAILURE]);
  });

  it("class 9: binding and allow-list do not replace the signature check", async () => {
    const time = formatGeneralizedTime(NOW);
    const forged = certificateAuthenticationValue({
      certificate: pki.entities.client.certDer,
      time,
      signature: new Uint8Array(256),
    });
    const server = side("server", {
      allowList: [pki.entities.client.certDer],
      binding: [{ apTitle: "1.1.1.999", certificate: pki.entities.client.certDer }],
    });
    const e = await rejection(server.verify(forged, context({ peerApTitle: "1.1.1.999" }).ctx));
    expect(e.code).toBe("bad-signature");
  });

  it("class 3 (tags): an extended multi-octet tag or an unknown field inside the value is malformed", async () => {
    const w = new BerWriter();
    const m = w.begin(ctxC(0));
    w.primitive(ctx(0), pki.entities.client.certDer);
    w.primitive(ctx(40), ascii(formatGeneralizedTime(NOW)));
    w.primitive(ctx(2), new Uint8Array(256));
    w.end(m);
    const e = await rejection(side("server").verify(external(w.toBytes()), context().ctx));
    expect([e.code, e.reply]).toEqual(["malformed-value", FAILURE]);
  });

  it("class 5 (empties): empty certificate, empty time, empty signature, empty value", async () => {
    const cases = [
      encodeCertificateBased({
        certificate: new Uint8Array(0),
        time: "20260601120000Z",
        signature: new Uint8Array(8),
      }),
      encodeCertificateBased({
        certificate: pki.entities.client.certDer,
        time: "",
        signature: new Uint8Array(8),
      }),
      encodeCertificateBased({
        certificate: pki.entities.client.certDer,
        time: "20260601120000Z",
        signature: new Uint8Array(0),
      }),
      Uint8Array.of(0xa0, 0x00),
      new Uint8Array(0),
    ];
    for (const body of cases) {
      const e = await rejection(side("server").verify(external(body), context().ctx));
      expect([e.code, e.reply]).toEqual(["malformed-value", FAILURE]);
    }
  });

  it("class 1 (lengths): an inner length past its parent, and a 5-octet length field", async () => {
    const body = await goodBody();
    const lying = body.slice();
    // a0 82 hh ll | 80 82 hh ll …: make the certificate's length field 83 hh ll xx, a length far past its parent.
    expect([lying[4], lying[5]]).toEqual([0x80, 0x82]);
    lying[5] = 0x83;
    const e1 = await rejection(side("server").verify(external(lying), context().ctx));
    expect(e1.code).toBe("malformed-value");
    const e2 = await rejection(
      side("server").verify(
        external(Uint8Array.of(0xa0, 0x85, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80)),
        context().ctx,
      ),
    );
    expect(e2.code).toBe("malformed-value");
  });

  it("totality: every mutated value is refused with an AuthenticationError, never another error", async () => {
    const body = await goodBody();
    const server = side("server");
    await fc.assert(
      fc.asyncProperty(
        fc.nat(body.length - 1),
        fc.integer({ min: 1, max: 255 }),
        fc.boolean(),
        async (at, xor, cut) => {
          const mutated = cut ? body.subarray(0, at) : body.map((b, i) => (i === at ? b ^ xor : b));
          try {
            await server.verify(external(mutated), context().ctx);
          } catch (e) {
            expect(e).toBeInstanceOf(AuthenticationError);
            expect((e as AuthenticationError).reply.kind).toBe("abort");
            return;
          }
          // A mutation the verifier accepted must not have changed what was verified.
          throw new Error(`mutation at ${at} (xor ${xor}) accepted`);
        },
      ),
      { numRuns: 120, seed: 62351 },
    );
  });
});
