import {
  type AcceptOptions,
  type Association,
  acceptAssociation,
  associate,
  certificateAuthentication,
  passwordAuthentication,
} from "@mms/acse-auth";
import { acceptCotp, type CotpListener, connect, listen, openCotp } from "@mms/cotp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTestPki } from "../../../../tools/test-pki/src/index";
import { connectTls, createTlsProfile, listenTls, type TlsListener } from "../../../tls-profile/src/index";
import { INITIATE_REQUEST, INITIATE_RESPONSE, toHex } from "./support";

/** Serves every association: echoes MMS PDUs until release. */
async function serve(assoc: Association): Promise<void> {
  try {
    for await (const pdu of assoc) await assoc.send([pdu]);
  } catch {
    // aborted
  }
}

async function exercise(client: Association): Promise<void> {
  const it = client[Symbol.asyncIterator]();
  await client.send([Uint8Array.of(0xa0, 0x03, 0x02, 0x01, 0x07)]);
  expect(toHex((await it.next()).value!)).toBe("a003020107");
  // A PDU larger than one TPDU (segmented by COTP, reassembled on the other side).
  const big = new Uint8Array(20_000);
  big.set([0x04, 0x82, 0x4e, 0x1c]);
  await client.send([big]);
  expect((await it.next()).value!.length).toBe(20_000);
  await client.release();
}

describe("initiator against responder over COTP on TCP (plain T-profile)", () => {
  let listener: CotpListener;
  const accepted: Promise<Association>[] = [];
  let options: AcceptOptions;
  beforeAll(async () => {
    options = {
      policy: {
        mechanisms: [passwordAuthentication({ password: "secret" })],
        insecureAllowUnauthenticated: true,
        insecureAllowPasswordWithoutTls: true,
      },
      onRequest: () => INITIATE_RESPONSE,
    };
    listener = await listen({ host: "127.0.0.1", port: 0 }, (cotp) => {
      const p = acceptAssociation(cotp, options);
      accepted.push(p);
      p.then(serve, () => undefined);
    });
  });
  afterAll(async () => {
    await listener.close();
  });

  it("without authentication", async () => {
    const cotp = await connect({ host: "127.0.0.1", port: listener.address().port });
    const client = await associate(cotp, {
      authentication: "insecure-none",
      userData: INITIATE_REQUEST,
      timeoutMs: 5000,
    });
    expect(toHex(client.responseUserData!)).toBe(toHex(INITIATE_RESPONSE));
    await exercise(client);
  });

  it("with a password (insecure without TLS, spelled out by the policy)", async () => {
    const cotp = await connect({ host: "127.0.0.1", port: listener.address().port });
    const client = await associate(cotp, {
      authentication: passwordAuthentication({ password: "secret" }),
      requireResponderAuthentication: false,
      userData: INITIATE_REQUEST,
      timeoutMs: 5000,
    });
    expect((await accepted[accepted.length - 1]!).peer.identity.mechanism).toBe("password");
    await exercise(client);
  });

  it("wrong password: aborted with diagnostic 5", async () => {
    const cotp = await connect({ host: "127.0.0.1", port: listener.address().port });
    await expect(
      associate(cotp, {
        authentication: passwordAuthentication({ password: "wrong" }),
        requireResponderAuthentication: false,
        userData: INITIATE_REQUEST,
        timeoutMs: 5000,
      }),
    ).rejects.toMatchObject({ code: "aborted", diagnostic: 5 });
  });

  it("CN/AC segmented in 128-octet TPDUs (as V47/V48) reassemble", async () => {
    const cotp = await connect({ host: "127.0.0.1", port: listener.address().port, maxTpduSize: 128 });
    const client = await associate(cotp, {
      authentication: "insecure-none",
      userData: INITIATE_REQUEST,
      timeoutMs: 5000,
    });
    await exercise(client);
  });
});

describe("initiator against responder over COTP on TLS (IEC 62351-3 T-profile)", () => {
  const pki = loadTestPki();
  const trust = [pki.cas.caA.certPem, pki.cas.caB.certPem, pki.cas.caC.certPem, pki.cas.caD.certPem];
  const profile = (name: "server" | "client") =>
    createTlsProfile({
      trustAnchors: trust,
      certificateChain: pki.entities[name].chainPem,
      privateKey: pki.entities[name].keyPem,
    });
  let tls: TlsListener;
  let options: AcceptOptions;
  beforeAll(async () => {
    const server = pki.entities.server;
    options = {
      policy: {
        mechanisms: [
          passwordAuthentication({ password: "secret" }),
          certificateAuthentication({
            certificate: pki.entities.client.certPem,
            trustAnchors: trust,
            privateKey: pki.entities.client.keyPem,
          }),
        ],
        acceptTlsIdentity: true,
      },
      authentication: certificateAuthentication({
        certificate: server.certPem,
        privateKey: server.keyPem,
        trustAnchors: trust,
      }),
      onRequest: () => INITIATE_RESPONSE,
    };
    tls = await listenTls(profile("server"), { host: "127.0.0.1", port: 0 }, (stream) => {
      void acceptCotp(stream)
        .then((cotp) => acceptAssociation(cotp, options))
        .then(serve, () => undefined);
    });
  });
  afterAll(async () => {
    await tls.close();
  });

  const open = async () =>
    openCotp(await connectTls(profile("client"), { host: "127.0.0.1", port: tls.address().port }));

  it("TLS identity, no ACSE authentication", async () => {
    const client = await associate(await open(), {
      authentication: "insecure-none",
      userData: INITIATE_REQUEST,
      timeoutMs: 5000,
    });
    expect(client.peer.identity.mechanism).toBe("tls");
    await exercise(client);
  });

  it("password over TLS", async () => {
    const client = await associate(await open(), {
      authentication: passwordAuthentication({ password: "secret" }),
      requireResponderAuthentication: false,
      userData: INITIATE_REQUEST,
      timeoutMs: 5000,
    });
    await exercise(client);
  });

  it("62351-4 certificate authentication both ways (AARQ over 512 octets: extended user data)", async () => {
    const client = await associate(await open(), {
      authentication: certificateAuthentication({
        certificate: pki.entities.client.certPem,
        privateKey: pki.entities.client.keyPem,
        trustAnchors: trust,
      }),
      userData: INITIATE_REQUEST,
      timeoutMs: 5000,
    });
    expect(client.peer.identity.mechanism).toBe("certificate");
    await exercise(client);
  });
});
