import type { ConfirmedServiceRequest, ConfirmedServiceResponse } from "@mms/pdu";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The server is a sibling package: a hostile extension answers with what a malicious peer sends.
import { MmsServer, type ServiceExtension, Vmd } from "../../server/src/index";
import { connect, downloadFile, listFiles, MmsProtocolError, readJournal } from "../src/index";

let page = 0;
let closes = 0;
let mode: "endless-dir" | "stuck-dir" | "endless-read" | "empty-reads" | "endless-journal" = "endless-dir";

const hostile: ServiceExtension = {
  services: new Set(["fileDirectory", "fileOpen", "fileRead", "fileClose", "readJournal"]),
  supportBits: [],
  open: () => ({
    close: () => undefined,
    handle: (q: ConfirmedServiceRequest): ConfirmedServiceResponse => {
      switch (q.service) {
        case "fileDirectory": {
          const n = mode === "stuck-dir" ? 0 : page++;
          return {
            service: "fileDirectory",
            entries: Array.from({ length: 100 }, (_, i) => ({
              fileName: [`f${n}-${i}`],
              sizeOfFile: 0xffff_ffff,
              lastModified: undefined,
            })),
            moreFollows: true,
          };
        }
        case "fileOpen":
          return { service: "fileOpen", frsmId: 7, sizeOfFile: 10, lastModified: undefined };
        case "fileRead":
          return {
            service: "fileRead",
            fileData: mode === "empty-reads" ? new Uint8Array(0) : new Uint8Array(4096),
            moreFollows: true,
          };
        case "fileClose":
          closes++;
          return { service: "fileClose" };
        case "readJournal":
          return {
            service: "readJournal",
            entries: [
              {
                entryIdentifier: Uint8Array.of((page >>> 8) & 0xff, page++ & 0xff), // distinct entries: no repeat
                originatingApplication: {
                  apTitle: undefined,
                  apInvocationId: undefined,
                  aeQualifier: undefined,
                  aeInvocationId: undefined,
                },
                entryContent: {
                  occurrenceTime: { msSinceMidnight: 0, days: 1 },
                  form: { kind: "data", event: undefined, listOfVariables: [] },
                },
              },
            ],
            moreFollows: true,
          };
        default:
          throw new Error("unexpected");
      }
    },
  }),
};

describe("malicious file and journal responses against the client are bounded", () => {
  let server: MmsServer;
  let port: number;
  beforeAll(async () => {
    server = new MmsServer({
      vmd: new Vmd({ vendorName: "EVIL", modelName: "X", revision: "1" }),
      files: hostile,
    });
    port = (
      await server.listen({
        plain: { host: "127.0.0.1", port: 0, policy: { mechanisms: [], insecureAllowUnauthenticated: true } },
      })
    ).plain!;
  });
  afterAll(() => server.close());
  const open = () =>
    connect({
      transport: { kind: "insecure-tcp", host: "127.0.0.1", port },
      authentication: "insecure-none",
      requireServerAuthentication: false,
    });

  it("endless FileDirectory moreFollows stops at maxEntries / maxPages", async () => {
    mode = "endless-dir";
    const c = await open();
    await expect(listFiles(c, undefined, { maxEntries: 5000 })).rejects.toThrow(/more than 5000 entries/);
    await expect(listFiles(c, undefined, { maxPages: 7 })).rejects.toThrow(/more than 7 pages/);
    await expect(listFiles(c)).rejects.toBeInstanceOf(MmsProtocolError); // default bound 100 000
    await c.conclude();
  });

  it("a FileDirectory page that repeats itself is a protocol error", async () => {
    mode = "stuck-dir";
    const c = await open();
    await expect(listFiles(c)).rejects.toThrow(/without progress/);
    await c.conclude();
  });

  it("endless FileRead data stops at maxBytes and the FRSM is still closed", async () => {
    mode = "endless-read";
    closes = 0;
    const c = await open();
    const it = async () => {
      for await (const _ of downloadFile(c, "x", { maxBytes: 1 << 20 })) {
        // consume
      }
    };
    await expect(it()).rejects.toThrow(/more than 1048576 octets/);
    expect(closes).toBe(1);
    mode = "empty-reads";
    await expect(it()).rejects.toThrow(/without data/);
    expect(closes).toBe(2);
    await c.conclude();
  });

  it("endless ReadJournal pages stop at maxEntries", async () => {
    mode = "endless-journal";
    const c = await open();
    await expect(readJournal(c, "LD/J", {}, { maxEntries: 300 })).rejects.toThrow(/more than 300 entries/);
    await c.conclude();
  });
});
