import { describe, expect, it } from "vitest";
import { associate } from "@mms/acse-auth";
import { connect as cotpConnect } from "@mms/cotp";
import { encodeMmsPdu } from "@mms/pdu";
import { connect, initiateRequest, MmsClient, MmsConnectionClosedError } from "../../client/src/index";
import { MmsServer, mmsTypes, Vmd } from "../src/index";

const policy = { mechanisms: [], insecureAllowUnauthenticated: true };

describe("server lifecycle", () => {
  it("close() releases live associations: clients see connection-closed, not a hang", async () => {
    const vmd = new Vmd();
    vmd.domain("D").defineVariable("x", { type: mmsTypes.int8() });
    const server = new MmsServer({ vmd });
    const { plain } = await server.listen({ plain: { host: "127.0.0.1", port: 0, policy } });
    const c = await connect({
      transport: { kind: "insecure-tcp", host: "127.0.0.1", port: plain! },
      authentication: "insecure-none",
    });
    expect((await c.readValue("D/x")).type).toBe("integer");
    expect(server.associations.size).toBe(1);
    await server.close();
    const info = await c.closed;
    expect(["remote", "local", "error"]).toContain(info.reason);
    await expect(c.readValue("D/x")).rejects.toBeInstanceOf(MmsConnectionClosedError);
    expect(server.associations.size).toBe(0);
  });

  it("refuses associations beyond maxAssociations and raises an event", async () => {
    const events: string[] = [];
    const server = new MmsServer({
      vmd: new Vmd(),
      maxAssociations: 1,
      onSecurityEvent: (e) => events.push(e.code),
    });
    const { plain } = await server.listen({ plain: { host: "127.0.0.1", port: 0, policy } });
    const opts = {
      transport: { kind: "insecure-tcp" as const, host: "127.0.0.1", port: plain! },
      authentication: "insecure-none" as const,
      connectTimeoutMs: 3000,
    };
    const a = await connect(opts);
    const b = await connect(opts).catch((e: unknown) => e);
    expect(b).toBeInstanceOf(Error);
    expect(events).toContain("WRN_MMS_ASSOCIATION_LIMIT");
    expect(await a.identify()).toMatchObject({ vendorName: "@mms" });
    await a.conclude();
    await server.close();
  });

  it("refuses an initiate it cannot accept with an AARE carrying an initiate-ErrorPDU", async () => {
    const server = new MmsServer({ vmd: new Vmd(), maxPduSize: 1000 });
    const { plain } = await server.listen({ plain: { host: "127.0.0.1", port: 0, policy } });
    // localDetail below the negotiation's minimum (64): max-segment-insufficient.
    const e = await connect({
      transport: { kind: "insecure-tcp", host: "127.0.0.1", port: plain! },
      authentication: "insecure-none",
      initiate: { localDetail: 10 },
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Error);
    expect((e as { code?: string }).code).toBe("initiate-refused");
    await server.close();
  });

  it("MmsClient.over() runs MMS on an association composed by hand", async () => {
    const vmd = new Vmd();
    vmd.domain("D").defineVariable("x", { type: mmsTypes.int8() });
    const server = new MmsServer({ vmd });
    const { plain } = await server.listen({ plain: { host: "127.0.0.1", port: 0, policy } });
    const cotp = await cotpConnect({ host: "127.0.0.1", port: plain! });
    const association = await associate(cotp, {
      authentication: "insecure-none",
      userData: encodeMmsPdu(initiateRequest({ maxServOutstandingCalling: 3 })),
    });
    const c = MmsClient.over(association);
    expect(c.negotiated.maxServOutstandingCalling).toBe(3);
    expect(await c.readValue("D/x")).toEqual({ type: "integer", value: 0 });
    await c.conclude();
    await server.close();
  });
});
