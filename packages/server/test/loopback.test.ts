import { acceptAssociation, associate, passwordAuthentication } from "@mms/acse-auth";
import { connect as cotpConnect, type CotpListener, listen } from "@mms/cotp";
import { decodeMmsPdu, encodeMmsPdu, negotiateInitiate } from "@mms/pdu";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The client is a sibling package without a dependency edge to the server: import its source.
import {
  connect,
  MmsClientError,
  MmsConnectionClosedError,
  MmsDataAccessError,
  MmsRejectError,
  initiateRequest,
  MmsServiceError,
  MmsTimeoutError,
} from "../../client/src/index";
import {
  MmsServer,
  mmsData,
  mmsTypes,
  SERVER_PARAMETER_CBB,
  SERVER_SERVICES_SUPPORTED,
  Vmd,
} from "../src/index";

function demoVmd(): Vmd {
  const vmd = new Vmd({ vendorName: "ACME", modelName: "IED-1", revision: "1.0" });
  const ld = vmd.domain("LD0");
  const f = (v: number) => ({ type: mmsTypes.float32(), value: mmsData.float32(v) });
  ld.defineVariable("GGIO1", {
    components: {
      MX: {
        components: {
          AnIn1: { components: { mag: { components: { f: f(1.5) } }, q: { type: mmsTypes.quality() } } },
          AnIn2: { components: { mag: { components: { f: f(2.5) } } } },
        },
      },
      DC: {
        components: {
          NamPlt: {
            components: {
              vendor: {
                type: mmsTypes.visibleString(64),
                value: mmsData.visibleString("ACME"),
                access: { write: "authenticated" },
              },
            },
          },
        },
      },
    },
  });
  for (let i = 0; i < 300; i++)
    ld.defineVariable(`X${String(i).padStart(3, "0")}`, { type: mmsTypes.int32() });
  vmd.defineVariableList({ scope: "domain", domainId: "LD0", itemId: "LLN0$DS" }, [
    "GGIO1$MX$AnIn1$mag$f",
    "GGIO1$MX$AnIn2$mag$f",
  ]);
  return vmd;
}

describe("client <-> server over loopback plain TCP", () => {
  let server: MmsServer;
  let port: number;
  const events: string[] = [];
  beforeAll(async () => {
    server = new MmsServer({
      vmd: demoVmd(),
      maxPduSize: 2000,
      onSecurityEvent: (e) => events.push(e.code),
    });
    const ports = await server.listen({
      plain: {
        host: "127.0.0.1",
        port: 0,
        policy: {
          mechanisms: [passwordAuthentication({ password: "secret" })],
          insecureAllowUnauthenticated: true,
          insecureAllowPasswordWithoutTls: true,
        },
      },
    });
    port = ports.plain!;
  });
  afterAll(async () => {
    await server.close();
  });

  const open = (auth: "insecure-none" | string = "insecure-none", extra = {}) =>
    connect({
      transport: { kind: "insecure-tcp", host: "127.0.0.1", port },
      authentication: auth === "insecure-none" ? auth : passwordAuthentication({ password: auth }),
      requireServerAuthentication: false,
      ...extra,
    });

  it("identifies, browses every page and reads values", async () => {
    const c = await open();
    expect(c.negotiated.maxServOutstandingCalling).toBe(5);
    expect(c.negotiated.localDetail).toBe(2000);
    expect(await c.identify()).toEqual({ vendorName: "ACME", modelName: "IED-1", revision: "1.0" });
    expect(await c.getDomainNames()).toEqual(["LD0"]);
    const names = await c.getVariableNames("LD0");
    // 300 plain variables + GGIO1 tree (12 nodes): more than one 2000-octet page.
    expect(names.length).toBe(300 + 12);
    expect(names).toContain("GGIO1$MX$AnIn1$mag$f");
    expect(new Set(names).size).toBe(names.length);
    expect(await c.readValue("LD0/GGIO1$MX$AnIn1$mag$f")).toEqual(mmsData.float32(1.5));
    const all = await c.readMany(["LD0/GGIO1$MX$AnIn2$mag$f", "LD0/NOPE"]);
    expect(all[0]).toEqual({ success: true, data: mmsData.float32(2.5) });
    expect(all[1]).toEqual({ success: false, error: 10 });
    const t = await c.getVariableAccessAttributes("LD0/GGIO1$MX$AnIn1$mag");
    expect(t.typeSpecification).toEqual({
      type: "structure",
      packed: false,
      components: [{ name: "f", type: mmsTypes.float32() }],
    });
    expect(await c.readList("LD0/LLN0$DS")).toHaveLength(2);
    await c.conclude();
  });

  it("answers unknown names, wrong types and access denied as typed results", async () => {
    const anon = await open();
    await expect(anon.getVariableAccessAttributes("LD0/NOPE")).rejects.toBeInstanceOf(MmsServiceError);
    const denied = await anon.write("LD0/GGIO1$DC$NamPlt$vendor", mmsData.visibleString("x"));
    expect(denied).toEqual({ success: false, error: 3 });
    await expect(anon.readValue("LD0/NOPE")).rejects.toBeInstanceOf(MmsDataAccessError);
    const user = await open("secret");
    expect(await user.write("LD0/GGIO1$DC$NamPlt$vendor", mmsData.integer(1))).toEqual({
      success: false,
      error: 7,
    });
    expect(await user.write("LD0/GGIO1$DC$NamPlt$vendor", mmsData.visibleString("Other"))).toEqual({
      success: true,
      error: undefined,
    });
    expect(await anon.readValue("LD0/GGIO1$DC$NamPlt$vendor")).toEqual(mmsData.visibleString("Other"));
    await anon.conclude();
    await user.conclude();
  });

  it("defines, reads, lists and deletes named variable lists", async () => {
    const c = await open();
    await c.defineNamedVariableList("@mine", ["LD0/X001", "LD0/GGIO1$MX$AnIn1$mag$f"]);
    await c.defineNamedVariableList("LD0/DYN", ["LD0/X002"]);
    expect(await c.getVariableListNames("aa")).toEqual(["mine"]);
    expect((await c.readList("@mine")).map((r) => r.success)).toEqual([true, true]);
    const attrs = await c.getNamedVariableListAttributes("LD0/DYN");
    expect(attrs.mmsDeletable).toBe(true);
    expect(await c.deleteNamedVariableList("LD0/DYN")).toBe(true);
    expect(await c.deleteNamedVariableList("LD0/LLN0$DS")).toBe(false); // not deletable
    await expect(c.defineNamedVariableList("@bad", ["LD0/NOPE"])).rejects.toBeInstanceOf(MmsServiceError);
    await c.conclude();
  });

  it("pipelines more requests than the outstanding limit and delivers reports", async () => {
    const c = await open("insecure-none", { reportBufferSize: 2, reportOverflow: "drop-oldest" });
    const reads = Array.from({ length: 40 }, (_, i) => c.readValue(`LD0/X${String(i).padStart(3, "0")}`));
    expect(c.pending.outstanding).toBeLessThanOrEqual(5);
    expect((await Promise.all(reads)).every((d) => d.type === "integer")).toBe(true);
    const [sa] = [...server.associations].filter((a) => a.identity === undefined).slice(-1);
    for (let i = 0; i < 3; i++) {
      await server.sendInformationReport(sa!, {
        variableAccessSpecification: { kind: "variableListName", name: { scope: "vmd", itemId: "RPT" } },
        results: [{ success: true, data: mmsData.integer(i) }],
      });
    }
    await c.identify(); // ordering: the reports arrived before this response
    expect(c.droppedReports).toBe(1);
    const it = c.reports()[Symbol.asyncIterator]();
    expect((await it.next()).value?.results[0]).toEqual({ success: true, data: mmsData.integer(1) });
    await c.conclude();
  });

  it("an oversized request is rejected (typed), the association stays up", async () => {
    const c = await open();
    const big = mmsData.visibleString("x".repeat(3000));
    const e = await c.write("LD0/X001", big).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MmsRejectError);
    expect((e as MmsRejectError).problem).toEqual({ kind: "pduError", code: 1 });
    expect(await c.readValue("LD0/X001")).toEqual({ type: "integer", value: 0 });
    await c.conclude();
  });

  it("a peer that keeps sending garbage is aborted alone", async () => {
    const other = await open();
    const cotp = await cotpConnect({ host: "127.0.0.1", port });
    const a = await associate(cotp, {
      authentication: "insecure-none",
      userData: encodeMmsPdu(initiateRequest()),
      timeoutMs: 5000,
    });
    const replies: string[] = [];
    const reading = (async () => {
      try {
        for await (const m of a) replies.push(decodeMmsPdu(m).type);
        return "ended";
      } catch (e) {
        return (e as { code?: string }).code ?? "error";
      }
    })();
    for (let i = 0; i < 12; i++) await a.send([Uint8Array.of(0xbf, 0x7f, 0x01, 0x00)]).catch(() => undefined);
    expect(["aborted", "ended", "closed"]).toContain(await reading);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((t) => t === "reject")).toBe(true);
    expect(events).toContain("WRN_MMS_PROTOCOL_VIOLATION");
    expect(await other.readValue("LD0/X002")).toEqual({ type: "integer", value: 0 });
    await other.conclude();
  });

  it("a client that aborts mid-request leaves the server and other associations working", async () => {
    const a = await open();
    const b = await open();
    const p = a.readValue("LD0/X005");
    a.abort();
    await expect(p).rejects.toBeInstanceOf(MmsConnectionClosedError);
    expect(await b.readValue("LD0/X005")).toEqual({ type: "integer", value: 0 });
    await b.conclude();
  });
});

describe("faulty servers", () => {
  let listener: CotpListener;
  let port: number;
  let mode: "silent" | "garbage" = "silent";
  beforeAll(async () => {
    // An MMS responder that negotiates normally, then never answers or answers garbage.
    listener = await listen({ host: "127.0.0.1", port: 0 }, (cotp) => {
      acceptAssociation(cotp, {
        policy: { mechanisms: [], insecureAllowUnauthenticated: true },
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
            for await (const _ of a) {
              if (mode === "garbage") await a.send([Uint8Array.of(0xa1, 0x03, 0x02, 0x01)]);
            }
          } catch {
            // aborted by the client
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

  it("a server that never answers: the request times out, others on the same association too", async () => {
    mode = "silent";
    const c = await open();
    const e = await c.identify({ timeoutMs: 50 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MmsTimeoutError);
    expect((e as MmsTimeoutError).code).toBe("timeout");
    const ac = new AbortController();
    const p = c.readValue("D/x", { timeoutMs: 0, signal: ac.signal });
    ac.abort(new Error("user gave up"));
    await expect(p).rejects.toMatchObject({ code: "aborted" });
    c.abort();
  });

  it("a server that answers garbage: a typed error, and only that association ends", async () => {
    mode = "garbage";
    const c = await open();
    const e = await c.identify({ timeoutMs: 2000 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MmsClientError);
    expect(["protocol-error", "connection-closed"]).toContain((e as MmsClientError).code);
    await c.closed;
    await expect(c.identify()).rejects.toBeInstanceOf(MmsConnectionClosedError);
  });
});
