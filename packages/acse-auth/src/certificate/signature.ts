/**
 * The time-seal signature of IEC 62351-4 §5.3.2 (R-ACSE-6, reference Q2; DECISIONS.md
 * "Signature"): RSASSA-PKCS1-v1_5, or ECDSA P-256 with SHA-256, over the GeneralizedTime of the
 * `[1]` field: either its content octets (the ASCII string; 2007 / SISCO / Nedap reading) or its
 * DER TLV (`81 len …`; the 2018 reading). ECDSA signatures travel as the DER
 * `Ecdsa-Sig-Value` (X9.62, as in X.509); the raw `r || s` form is accepted on receipt.
 */

/** Which bytes are signed, with which hash, on the sending side. */
export type SignatureProfile = "sha256-time-content" | "sha256-time-tlv" | "sha1-time-content";

export type HashName = "SHA-256" | "SHA-1";

/** The public key kinds this mechanism accepts. */
export type KeyInfo =
  | { readonly kind: "rsa"; readonly modulusBits: number }
  | { readonly kind: "ec"; readonly namedCurve: string }
  | { readonly kind: "other"; readonly algorithm: string };

/** What a signer is asked to compute (WebCrypto algorithm names). */
export interface SignatureAlgorithm {
  readonly name: "RSASSA-PKCS1-v1_5" | "ECDSA";
  readonly hash: HashName;
}

export function profileHash(profile: SignatureProfile): HashName {
  return profile === "sha1-time-content" ? "SHA-1" : "SHA-256";
}

export function profileCoversTlv(profile: SignatureProfile): boolean {
  return profile === "sha256-time-tlv";
}

/** The algorithm that signs with a key of this kind under a profile. */
export function signatureAlgorithm(key: KeyInfo, profile: SignatureProfile): SignatureAlgorithm {
  return { name: key.kind === "ec" ? "ECDSA" : "RSASSA-PKCS1-v1_5", hash: profileHash(profile) };
}

/** The octets signed for a profile. */
export function signedOctets(
  profile: SignatureProfile,
  timeContent: Uint8Array,
  timeTlv: Uint8Array,
): Uint8Array {
  return profileCoversTlv(profile) ? timeTlv : timeContent;
}

/** Key info from a WebCrypto-style algorithm description (as @peculiar/x509 reports it). */
export function keyInfoOf(algorithm: Algorithm & { modulusLength?: number; namedCurve?: string }): KeyInfo {
  const name = algorithm.name.toUpperCase();
  if ((name === "RSASSA-PKCS1-V1_5" || name === "RSA-PSS" || name === "RSA-OAEP") && algorithm.modulusLength)
    return { kind: "rsa", modulusBits: algorithm.modulusLength };
  if (name === "ECDSA" && algorithm.namedCurve) return { kind: "ec", namedCurve: algorithm.namedCurve };
  return { kind: "other", algorithm: algorithm.name };
}

const P256_FIELD = 32;

/** `r || s` (WebCrypto ECDSA) → DER `SEQUENCE { INTEGER r, INTEGER s }`. */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  const half = raw.length >> 1;
  const int = (b: Uint8Array): number[] => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = Array.from(b.subarray(i));
    if ((v[0] ?? 0) & 0x80) v.unshift(0);
    return [0x02, v.length, ...v];
  };
  const body = [...int(raw.subarray(0, half)), ...int(raw.subarray(half))];
  return Uint8Array.from([0x30, body.length, ...body]);
}

/** DER `Ecdsa-Sig-Value` → `r || s` of `size` octets each; undefined when not that shape. */
export function ecdsaDerToRaw(der: Uint8Array, size: number = P256_FIELD): Uint8Array | undefined {
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) return undefined;
  const out = new Uint8Array(size * 2);
  let p = 2;
  for (let k = 0; k < 2; k++) {
    if (der[p] !== 0x02) return undefined;
    const len = der[p + 1] ?? 0;
    if (len === 0 || len > size + 1 || p + 2 + len > der.length) return undefined;
    let v = der.subarray(p + 2, p + 2 + len);
    while (v.length > size && v[0] === 0) v = v.subarray(1);
    if (v.length > size) return undefined;
    out.set(v, k * size + (size - v.length));
    p += 2 + len;
  }
  return p === der.length ? out : undefined;
}

/** Normalises a signature a signer produced to what goes on the wire. */
export function wireSignature(key: KeyInfo, signature: Uint8Array): Uint8Array {
  if (key.kind !== "ec") return signature;
  return ecdsaDerToRaw(signature) ? signature : ecdsaRawToDer(signature);
}

/**
 * Interpretations of a received `[2]` signature field: the content as an OCTET STRING (what
 * the reference encoders send), and as BIT STRING content (a leading unused-bits octet 0) for
 * peers that typed SignedValue as BIT STRING.
 */
export function signatureCandidates(key: KeyInfo, content: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [content];
  if (content.length > 1 && content[0] === 0) out.push(content.subarray(1));
  if (key.kind === "rsa") {
    // Encoders that print the signature as an integer drop its leading zero octets.
    const size = Math.ceil(key.modulusBits / 8);
    if (content.length < size && content.length > 0) {
      const padded = new Uint8Array(size);
      padded.set(content, size - content.length);
      out.push(padded);
    }
  }
  if (key.kind !== "ec") return out;
  // WebCrypto verifies ECDSA over r || s: convert DER forms, keep raw forms.
  const ec: Uint8Array[] = [];
  for (const c of out) {
    const raw = ecdsaDerToRaw(c);
    if (raw) ec.push(raw);
    else if (c.length === P256_FIELD * 2) ec.push(c);
  }
  return ec;
}
