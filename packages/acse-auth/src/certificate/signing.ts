import { formatGeneralizedTime } from "@mms/asn1";
import { copy, derBlocks } from "./material";
import type { TimeSealSigner } from "./options";
import {
  type HashName,
  type KeyInfo,
  type SignatureAlgorithm,
  type SignatureProfile,
  signatureAlgorithm,
  signedOctets,
  wireSignature,
} from "./signature";
import { type CertificateValueParts, encodeTimeTlv } from "./value";

/**
 * Our side of the mechanism: a strictly increasing time seal and its signature (R-ACSE-5/6).
 * Holds the imported key (per hash: WebCrypto binds RSA keys to one hash) or a signer callback.
 */
export class TimeSealSigning {
  private last = Number.NEGATIVE_INFINITY;
  private readonly keys = new Map<HashName, Promise<CryptoKey>>();

  private readonly certificate: Uint8Array;
  private readonly key: KeyInfo;
  private readonly profile: SignatureProfile;
  private readonly crypto: Crypto;
  private readonly source: { readonly privateKey: string | CryptoKey } | { readonly signer: TimeSealSigner };
  private readonly precision: "millisecond" | "second";

  constructor(
    certificate: Uint8Array,
    key: KeyInfo,
    profile: SignatureProfile,
    crypto: Crypto,
    source: { readonly privateKey: string | CryptoKey } | { readonly signer: TimeSealSigner },
    precision: "millisecond" | "second",
  ) {
    this.certificate = certificate;
    this.key = key;
    this.profile = profile;
    this.crypto = crypto;
    this.source = source;
    this.precision = precision;
    if ("privateKey" in source && typeof source.privateKey !== "string") {
      const alg = source.privateKey.algorithm as RsaHashedKeyAlgorithm;
      const want = signatureAlgorithm(key, profile).hash;
      if (key.kind === "rsa" && alg.hash && alg.hash.name !== want)
        throw new TypeError(
          `certificateAuthentication: the CryptoKey is bound to ${alg.hash.name}, the profile needs ${want}`,
        );
    }
    // Import the private key now, not at the first association (an RSA import costs about as
    // much as a signature). A failed import is reported by the first `sign`, not here.
    if ("privateKey" in source && typeof source.privateKey === "string")
      try {
        this.keyFor(signatureAlgorithm(key, profile)).catch(() => undefined);
      } catch {
        // no PEM private key block: `sign` throws it
      }
  }

  /** The next time seal: `now`, or just after the previous one. */
  nextTime(now: number): string {
    const step = this.precision === "second" ? 1000 : 1;
    let t = Math.floor(now / step) * step;
    if (t <= this.last) t = this.last + step;
    this.last = t;
    return formatGeneralizedTime(t);
  }

  async sign(now: number): Promise<CertificateValueParts> {
    const time = this.nextTime(now);
    const timeContent = new TextEncoder().encode(time);
    const data = copy(signedOctets(this.profile, timeContent, encodeTimeTlv(time)));
    const algorithm = signatureAlgorithm(this.key, this.profile);
    const raw =
      "signer" in this.source
        ? await this.source.signer(data, algorithm)
        : new Uint8Array(
            await this.crypto.subtle.sign(this.signParams(algorithm), await this.keyFor(algorithm), data),
          );
    return { certificate: this.certificate, time, signature: wireSignature(this.key, raw) };
  }

  private signParams(a: SignatureAlgorithm): AlgorithmIdentifier | EcdsaParams {
    return a.name === "ECDSA" ? { name: "ECDSA", hash: a.hash } : { name: a.name };
  }

  private keyFor(a: SignatureAlgorithm): Promise<CryptoKey> {
    if (!("privateKey" in this.source)) throw new TypeError("no private key");
    const pk = this.source.privateKey;
    if (typeof pk !== "string") return Promise.resolve(pk);
    let p = this.keys.get(a.hash);
    if (!p) {
      const der = copy(derBlocks(pk, ["PRIVATE KEY"])[0]!);
      const params: RsaHashedImportParams | EcKeyImportParams =
        this.key.kind === "ec"
          ? { name: "ECDSA", namedCurve: this.key.namedCurve }
          : { name: "RSASSA-PKCS1-v1_5", hash: a.hash };
      p = this.crypto.subtle.importKey("pkcs8", der, params, false, ["sign"]);
      this.keys.set(a.hash, p);
    }
    return p;
  }
}
