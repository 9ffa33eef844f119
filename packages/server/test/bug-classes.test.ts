import { connect as netConnect } from "node:net";
import { acceptAssociation } from "@mms/acse-auth";
import { type CotpListener, listen } from "@mms/cotp";
import {
  type ConfirmedServiceResponse,
  decodeMmsPdu,
  encodeMmsPdu,
  type MmsPdu,
  negotiateInitiate,
} from "@mms/pdu";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, MmsClientError, MmsProtocolError } from "../../client/src/index";
import {
  MmsServer,
  mmsData,
  mmsTypes,
  SERVER_PARAMETER_CBB,
  SERVER_SERVICES_SUPPORTED,
  Vmd,
} from "../src/index";

// Named tests for the bug classes of reference/peers.md §5 that apply to the MMS client and
// server (SRV = server logic, CLI = client trusting server responses).

const policy = { mechanisms: [], insecureAllowUnauthenticated: true };

describe("server bug classes (peers.md §5, SRV)", () => {
  let server: MmsServer;
  let port: number;
  const errors: unknown[] = [];
  beforeAll(async () => {
    const vmd = new Vmd();
    const d = vmd.domain("LD");
    d.defineVariable("__proto__", {
      type: mmsTypes.int32(),
      value: mmsData.integer(7),
      access: { write: "any" },
    });
    d.defineVariable("constructor", { type: mmsTypes.int32() });
    d.defineVariable("Boom", {
      type: mmsTypes.int32(),
      onRead: () => {
        throw new Error("hook bug");
      },
    });
    vmd.defineVariableList({ scope: "domain", domainId: "LD", itemId: "DS" }, ["__proto__", "constructor"]);
    server = new MmsServer({ vmd, onError: (e) => errors.push(e) });
    port = (await server.listen({ plain: { host: "127.0.0.1", port: 0, policy } })).plain!;
  });
  afterAll(() => server.close());
  const open = () =>
    connect({
      transport: { kind: "insecure-tcp", host: "127.0.0.1", port },
      authentication: "insecure-none",
    });

  it("CVE-2026-50032: Write to a named variable list with an empty listOfData is answered, not a crash", async () => {
    const c = await open();
    const e = await c.writeList("LD/DS", []).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MmsClientError);
    expect(["service-error", "reject"]).toContain((e as MmsClientError).code);
    expect(await c.readValue("LD/__proto__")).toEqual(mmsData.integer(7));
    await c.conclude();
  });

  it("class 10: __proto__ and constructor are ordinary MMS names (maps, not object keys)", async () => {
    const c = await open();
    expect(await c.getVariableNames("LD")).toEqual(["Boom", "__proto__", "constructor"]);
    await c.writeValue("LD/__proto__", mmsData.integer(9));
    expect((await c.readList("LD/DS")).map((r) => r.success)).toEqual([true, true]);
    await c.defineNamedVariableList("@__proto__", ["LD/constructor"]);
    expect(await c.getVariableListNames("aa")).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>)["x"]).toBeUndefined(); // Object.prototype untouched
    await c.conclude();
  });

  it("class 10: a hook that throws fails only that request (service error), the association stays", async () => {
    const c = await open();
    await expect(c.readValue("LD/Boom")).rejects.toMatchObject({
      code: "service-error",
      errorClass: "service",
    });
    expect(errors.length).toBeGreaterThan(0);
    expect(await c.readValue("LD/__proto__")).toMatchObject({ type: "integer" });
    await c.conclude();
  });

  it("issue #596: association-specific lists die with their association", async () => {
    const a = await open();
    const b = await open();
    await a.defineNamedVariableList("@mine", ["LD/constructor"]);
    expect(await b.getVariableListNames("aa")).toEqual([]);
    await expect(b.readList("@mine")).rejects.toMatchObject({ code: "service-error" });
    await a.conclude();
    await b.conclude();
  });

  it("#495: DeleteNamedVariableList without names, and GetNameList continuing after anything", async () => {
    const c = await open();
    const r = await c.request({
      service: "deleteNamedVariableList",
      scopeOfDelete: 0,
      listOfVariableListName: undefined,
      domainName: undefined,
    });
    expect(r).toEqual({ service: "deleteNamedVariableList", numberMatched: 0, numberDeleted: 0 });
    const page = await c.request({
      service: "getNameList",
      objectClass: 0,
      scope: { kind: "domain", domainId: "LD" },
      continueAfter: "~".repeat(40),
    });
    expect(page).toEqual({ service: "getNameList", identifiers: [], moreFollows: false });
    await c.conclude();
  });

  it("ICSA-23-089-01: garbage and half-open connections do not stop new associations", async () => {
    for (let i = 0; i < 5; i++) {
      const s = netConnect(port, "127.0.0.1");
      s.on("error", () => undefined);
      s.write(Uint8Array.of(3, 0, 0, 5, 0xff));
      if (i % 2) s.destroy();
    }
    const c = await open();
    expect(await c.identify()).toMatchObject({ vendorName: "@mms" });
    await c.conclude();
  });
});

describe("client bug classes (peers.md §5 class 7: the client parser is attack surface)", () => {
  let listener: CotpListener;
  let port: number;
  let answer: (request: MmsPdu) => Uint8Array | undefined = () => undefined;
  beforeAll(async () => {
    listener = await listen({ host: "127.0.0.1", port: 0 }, (cotp) => {
      acceptAssociation(cotp, {
        policy,
        onRequest: (req) => {
          const init = decodeMmsPdu(req.userData);
          if (init.type !== "initiateRequest") throw new Error("no initiate");
          const r = negotiateInitiate(init, {
            localDetail: 65000,
            maxServOutstandingCalling: 5,
            maxServOutstandingCalled: 5,
            dataStructureNestingLevel: 10,
            version: 1,
            parameterCbb: SERVER_PARAMETER_CBB,
            servicesSupported: SERVER_SERVICES_SUPPORTED,
          });
          if (!r.ok) throw new Error("refused");
          return encodeMmsPdu(r.response);
        },
      }).then(
        async (a) => {
          try {
            for await (const m of a) {
              const reply = answer(decodeMmsPdu(m));
              if (reply) await a.send([reply]);
            }
          } catch {
            // ended by the client
          }
        },
        () => undefined,
      );
    });
    port = listener.address().port;
  });
  afterAll(() => listener.close());
  const open = () =>
    connect({
      transport: { kind: "insecure-tcp", host: "127.0.0.1", port },
      authentication: "insecure-none",
    });
  const respond = (response: ConfirmedServiceResponse) => (req: MmsPdu) =>
    req.type === "confirmedRequest"
      ? encodeMmsPdu({ type: "confirmedResponse", invokeId: req.invokeId, response })
      : undefined;

  it("GetNameList with moreFollows forever and no progress ends in a typed error, not a loop", async () => {
    answer = respond({ service: "getNameList", identifiers: ["A"], moreFollows: true });
    const c = await open();
    await expect(c.getDomainNames()).rejects.toBeInstanceOf(MmsProtocolError);
    answer = respond({ service: "getNameList", identifiers: [], moreFollows: true });
    await expect(c.getDomainNames()).rejects.toBeInstanceOf(MmsProtocolError);
    c.abort();
  });

  it("issue #599: GetNamedVariableListAttributes with odd names and non-name members is typed", async () => {
    answer = respond({
      service: "getNamedVariableListAttributes",
      mmsDeletable: false,
      listOfVariable: [
        { variable: { kind: "address", address: { kind: "numeric", value: 1 } }, alternateAccess: undefined },
      ],
    });
    const c = await open();
    await expect(c.getNamedVariableListAttributes("LD/DS")).rejects.toBeInstanceOf(MmsProtocolError);
    answer = respond({
      service: "getNamedVariableListAttributes",
      mmsDeletable: false,
      listOfVariable: [
        {
          variable: { kind: "name", name: { scope: "domain", domainId: "LD", itemId: "$" } },
          alternateAccess: undefined,
        },
      ],
    });
    expect((await c.getNamedVariableListAttributes("LD/DS")).members).toEqual([
      { scope: "domain", domainId: "LD", itemId: "$" },
    ]);
    c.abort();
  });

  it("CVE-2024-45971: a huge Identify response is just data; a Read with the wrong result count is typed", async () => {
    answer = respond({
      service: "identify",
      vendorName: "V".repeat(20_000),
      modelName: "",
      revision: "",
      abstractSyntaxes: undefined,
    });
    const c = await open();
    expect((await c.identify()).vendorName.length).toBe(20_000);
    answer = respond({ service: "read", variableAccessSpecification: undefined, results: [] });
    await expect(c.readValue("LD/X")).rejects.toBeInstanceOf(MmsProtocolError);
    answer = respond({
      service: "read",
      variableAccessSpecification: undefined,
      results: [
        { success: true, data: mmsData.integer(1) },
        { success: true, data: mmsData.integer(2) },
      ],
    });
    await expect(c.readMany(["LD/X"])).rejects.toBeInstanceOf(MmsProtocolError);
    c.abort();
  });

  it("a refused conclude is a typed service error and the association stays usable", async () => {
    answer = (req) =>
      req.type === "concludeRequest"
        ? encodeMmsPdu({
            type: "concludeError",
            error: {
              errorClass: "conclude",
              code: 1,
              additionalCode: undefined,
              additionalDescription: undefined,
              serviceSpecificInformation: undefined,
            },
          })
        : respond({ service: "status", logicalStatus: 0, physicalStatus: 0, localDetail: undefined })(req);
    const c = await open();
    await expect(c.conclude()).rejects.toMatchObject({
      code: "service-error",
      errorClass: "conclude",
      errorCode: 1,
    });
    expect(await c.status()).toEqual({ logicalStatus: 0, physicalStatus: 0 });
    c.abort();
  });
});
