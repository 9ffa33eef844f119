/**
 * Generates the whole test PKI in memory (see ../README.md for what each item is for).
 * Keys are fresh on every run: the committed fixtures are the reference copy.
 */
import { type CaName, type EntityName, GOOD_FROM, GOOD_TO } from "./names";
import {
  certPem,
  createCa,
  createCrlPem,
  createLeaf,
  type Issued,
  keyPem,
  type LeafParams,
  paddingExtension,
  x509,
} from "./x509";

export interface GeneratedItem {
  readonly certPem: string;
  readonly keyPem: string;
  readonly chainPem: string;
}

export interface GeneratedPki {
  readonly cas: Record<CaName, GeneratedItem & { crlPem: string }>;
  readonly entities: Record<EntityName, GeneratedItem>;
  readonly caBExpiredCrlPem: string;
}

const O = "O=MMS test PKI, C=ZZ";

async function item(i: Issued, intermediates: readonly Issued[] = []): Promise<GeneratedItem> {
  const pem = certPem(i.cert);
  return {
    certPem: pem,
    keyPem: await keyPem(i.keys.privateKey),
    chainPem: [pem, ...intermediates.map((c) => certPem(c.cert))].join(""),
  };
}

/** Builds every CA, CRL and end-entity certificate of the test PKI. */
export async function generateTestPki(): Promise<GeneratedPki> {
  const good = { notBefore: GOOD_FROM, notAfter: GOOD_TO };
  const ca = async (name: string, issuer?: Issued): Promise<Issued> =>
    createCa({ name: `CN=MMS Test ${name}, ${O}`, ...good, ...(issuer ? { issuer } : {}) });
  const caA = await ca("caA");
  const caB = await ca("caB");
  const caC = await ca("caC");
  const caD = await ca("caD");
  const interA = await ca("interA", caA);
  const caRogue = await ca("caRogue");

  const leaf = (name: string, issuer: Issued, extra: Partial<LeafParams> = {}): Promise<Issued> =>
    createLeaf({ name: `CN=ied-${name}, ${O}`, issuer, ...good, ...extra });

  const server = await leaf("server", caA);
  const client = await leaf("client", caA);
  const clientB = await leaf("clientB", caB);
  const clientInter = await leaf("clientInter", interA);
  const clientEcdsa = await leaf("clientEcdsa", caA, { keyAlgorithm: "p256" });
  const expired = await leaf("expired", caA, {
    notBefore: new Date("2020-01-01T00:00:00Z"),
    notAfter: new Date("2021-01-01T00:00:00Z"),
  });
  const notYetValid = await leaf("notYetValid", caA, {
    notBefore: new Date("2040-01-01T00:00:00Z"),
    notAfter: new Date("2045-01-01T00:00:00Z"),
  });
  const revoked = await leaf("revoked", caA);
  const unknownCa = await leaf("unknownCa", caRogue);
  const oversize = await leaf("oversize", caA, { extraExtensions: [paddingExtension(9000)] });
  const rsa1024 = await leaf("rsa1024", caA, { keyAlgorithm: "rsa1024" });
  const wrongKeyUsage = await leaf("wrongKeyUsage", caA, {
    keyUsage: x509.KeyUsageFlags.keyCertSign,
    extendedKeyUsage: [x509.ExtendedKeyUsage.codeSigning],
  });

  const crl = (issuer: Issued, revokedList: readonly Issued[] = []): Promise<string> =>
    createCrlPem({
      issuer,
      thisUpdate: GOOD_FROM,
      nextUpdate: GOOD_TO,
      revoked: revokedList.map((r) => ({
        serialNumber: r.cert.serialNumber,
        date: new Date("2025-06-01T00:00:00Z"),
      })),
    });
  const caItem = async (i: Issued, revokedList: readonly Issued[] = []) => ({
    ...(await item(i)),
    crlPem: await crl(i, revokedList),
  });

  return {
    cas: {
      caA: await caItem(caA, [revoked]),
      caB: await caItem(caB),
      caC: await caItem(caC),
      caD: await caItem(caD),
      interA: await caItem(interA),
      caRogue: await caItem(caRogue),
    },
    entities: {
      server: await item(server),
      client: await item(client),
      clientB: await item(clientB),
      clientInter: await item(clientInter, [interA]),
      clientEcdsa: await item(clientEcdsa),
      expired: await item(expired),
      notYetValid: await item(notYetValid),
      revoked: await item(revoked),
      unknownCa: await item(unknownCa),
      oversize: await item(oversize),
      rsa1024: await item(rsa1024),
      wrongKeyUsage: await item(wrongKeyUsage),
    },
    caBExpiredCrlPem: await createCrlPem({
      issuer: caB,
      thisUpdate: new Date("2020-01-01T00:00:00Z"),
      nextUpdate: new Date("2021-01-01T00:00:00Z"),
    }),
  };
}
