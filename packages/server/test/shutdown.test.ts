import { AssociationAbortedError, associate } from "@mms/acse-auth";
import { connect as cotpConnect } from "@mms/cotp";
import { type ConfirmedServiceResponse, encodeMmsPdu } from "@mms/pdu";
import { describe, expect, it } from "vitest";
import { connect, initiateRequest, MmsConnectionClosedError } from "../../client/src/index";
import { MmsServer, mmsTypes, type ServiceExtension, Vmd } from "../src/index";

// Issue 7 "graceful shutdown that concludes associations": MmsServer.close() sends an MMS
// conclude-RequestPDU (ISO 9506-2 §8.3), waits (bounded) for the conclude-ResponsePDU, then
// releases the association (ACSE RLRQ/RLRE); a peer that does not answer is aborted.

const policy = { mechanisms: [], insecureAllowUnauthenticated: true };
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

async function serverWithX() {
  const vmd = new Vmd();
  vmd.domain("D").defineVariable("x", { type: mmsTypes.int8() });
  const server = new MmsServer({ vmd });
  const { plain } = await server.listen({ plain: { host: "127.0.0.1", port: 0, policy } });
  return { server, port: plain! };
}

async function rawAssociation(port: number) {
  const cotp = await cotpConnect({ host: "127.0.0.1", port });
  return associate(cotp, {
    authentication: "insecure-none",
    userData: encodeMmsPdu(initiateRequest({})),
    timeoutMs: 5000,
  });
}

describe("MmsServer.close(): conclude, then release", () => {
  it("sends conclude-Request (8b 00); after our conclude-Response (8c 00) it releases with RLRQ/RLRE", async () => {
    const { server, port } = await serverWithX();
    const association = await rawAssociation(port);
    const closing = server.close(5000);
    const it = association[Symbol.asyncIterator]();
    const first = await it.next();
    expect(hex(first.value as Uint8Array)).toBe("8b00");
    await association.send([encodeMmsPdu({ type: "concludeResponse" })]);
    // The server's RLRQ is answered with RLRE by the association: the iteration ends cleanly.
    expect((await it.next()).done).toBe(true);
    expect(await association.closed).toEqual({ reason: "remote", error: undefined });
    await closing;
    expect(server.associations.size).toBe(0);
  });

  it("our MmsClient answers the server's conclude-Request and ends cleanly (remote, no error)", async () => {
    const { server, port } = await serverWithX();
    const c = await connect({
      transport: { kind: "insecure-tcp", host: "127.0.0.1", port },
      authentication: "insecure-none",
    });
    expect((await c.readValue("D/x")).type).toBe("integer");
    await server.close(5000);
    expect(await c.closed).toEqual({ reason: "remote", error: undefined });
    await expect(c.readValue("D/x")).rejects.toBeInstanceOf(MmsConnectionClosedError);
    expect(server.associations.size).toBe(0);
  });

  it("a peer that never answers the conclude-Request is aborted when the timeout expires", async () => {
    const { server, port } = await serverWithX();
    const association = await rawAssociation(port);
    const closing = server.close(200);
    const it = association[Symbol.asyncIterator]();
    expect(hex((await it.next()).value as Uint8Array)).toBe("8b00");
    const end = await it.next().then(
      (r) => r,
      (e: unknown) => e,
    );
    expect(end).toBeInstanceOf(AssociationAbortedError);
    await closing;
    expect(server.associations.size).toBe(0);
  });

  it("a conclude-Error (further communication required) from the peer leads to an abort", async () => {
    const { server, port } = await serverWithX();
    const association = await rawAssociation(port);
    const closing = server.close(5000);
    const it = association[Symbol.asyncIterator]();
    expect(hex((await it.next()).value as Uint8Array)).toBe("8b00");
    await association.send([
      encodeMmsPdu({
        type: "concludeError",
        error: {
          errorClass: "conclude",
          code: 1,
          additionalCode: undefined,
          additionalDescription: undefined,
          serviceSpecificInformation: undefined,
        },
      }),
    ]);
    await expect(it.next()).rejects.toBeInstanceOf(AssociationAbortedError);
    await closing;
  });

  it("our MmsClient with a request in flight answers conclude-Error (further-communication-required): the server aborts", async () => {
    // An extension whose FileDirectory never answers keeps one client request outstanding.
    let entered!: () => void;
    const inFlight = new Promise<void>((r) => (entered = r));
    const stuck: ServiceExtension = {
      services: new Set(["fileDirectory"]),
      supportBits: [],
      open: () => ({
        close: () => undefined,
        handle: () => {
          entered();
          return new Promise<ConfirmedServiceResponse>(() => undefined);
        },
      }),
    };
    const server = new MmsServer({ vmd: new Vmd(), files: stuck });
    const { plain } = await server.listen({ plain: { host: "127.0.0.1", port: 0, policy } });
    const c = await connect({
      transport: { kind: "insecure-tcp", host: "127.0.0.1", port: plain! },
      authentication: "insecure-none",
      timeoutMs: 0,
    });
    const pending = c.request({
      service: "fileDirectory",
      fileSpecification: undefined,
      continueAfter: undefined,
    });
    await inFlight;
    const [a] = [...server.associations];
    // A long bound: only the client's conclude-Error (or a hang, failing the test) ends this.
    expect(await a!.conclude(60_000)).toBe("aborted");
    await expect(pending).rejects.toBeInstanceOf(MmsConnectionClosedError);
    expect((await c.closed).reason).toBe("error");
    await server.close();
  });
});
