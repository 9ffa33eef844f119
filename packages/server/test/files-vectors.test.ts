import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { binaryTimeToDate, decodeMmsPdu, encodeMmsPdu, type MmsPdu } from "@mms/pdu";
import { toHex } from "@mms/test-utils";
import { afterAll, describe, expect, it } from "vitest";
// The MMS PDU of each captured vector (a helper of the pdu package's tests).
import { mmsVectors } from "../../pdu/test/helpers/mms-of";
import { FileServer, JournalServer, type JournalStore, MmsServiceFailure } from "../src/index";

const byId = new Map(mmsVectors().map((v) => [v.ids.join("+"), v.mms]));
const mms = (id: string): Uint8Array => {
  const b = byId.get(id);
  if (!b) throw new Error(`no MMS PDU in ${id}`);
  return b;
};

/**
 * Our FileServer answers the requests libiec61850's client sent in V30–V37 against a store that
 * holds what libiec61850's server held (test.txt, 23 octets, modified 2026-11-25T16:31:12Z); the
 * answers are compared with the captured responses, octet for octet where the values agree.
 */
describe("FileServer against the file-service vectors V30–V37", () => {
  const root = mkdtempSync(join(tmpdir(), "mms-vectors-"));
  writeFileSync(join(root, "test.txt"), "Hello MMS file service\n");
  const mtime = new Date("2026-11-25T16:31:12Z");
  utimesSync(join(root, "test.txt"), mtime, mtime);
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const session = new FileServer({ root, access: () => true }).open({
    associationId: 1,
    identity: undefined,
    maxPduSize: 65000,
  });

  async function answer(requestId: string): Promise<MmsPdu> {
    const q = decodeMmsPdu(mms(requestId));
    if (q.type !== "confirmedRequest") throw new Error(`${requestId} is ${q.type}`);
    try {
      return { type: "confirmedResponse", invokeId: q.invokeId, response: await session.handle(q.request) };
    } catch (e) {
      if (!(e instanceof MmsServiceFailure)) throw e;
      return {
        type: "confirmedError",
        invokeId: q.invokeId,
        modifierPosition: undefined,
        error: e.serviceError,
      };
    }
  }

  it("V30 FileDirectory, V31 FileOpen, V32 FileRead, V33 FileClose: the same octets", async () => {
    for (const [req, res] of [
      ["V30a", "V30b"],
      ["V31a", "V31b"],
      ["V32a", "V32b"],
      ["V33a", "V33b"],
    ] as const) {
      const ours = await answer(req);
      expect([req, toHex(encodeMmsPdu(ours))]).toEqual([req, toHex(mms(res))]);
    }
  });

  it("V34: a missing file is the same confirmed-ErrorPDU (file, file-non-existent)", async () => {
    const q = decodeMmsPdu(mms("V34a"));
    const ours = await answer("V34a");
    expect(ours).toEqual({ ...decodeMmsPdu(mms("V34b")), invokeId: (q as { invokeId: number }).invokeId });
  });

  it("V35: FileRename is not offered by default (libiec61850 rejects it too)", () => {
    const q = decodeMmsPdu(mms("V35a"));
    if (q.type !== "confirmedRequest") throw new Error();
    expect(new FileServer({ root }).services.has(q.request.service)).toBe(false);
    expect(decodeMmsPdu(mms("V35b"))).toMatchObject({
      type: "reject",
      problem: { kind: "confirmedRequest", code: 1 },
    });
  });

  it("V37: FileDelete of an existing file answers the same octets", async () => {
    writeFileSync(join(root, "obtained.txt"), "x");
    expect(toHex(encodeMmsPdu(await answer("V37a")))).toBe(toHex(mms("V37b")));
  });

  it("V36 ObtainFile: the server sends the FileOpen / FileRead / FileClose libiec61850's server sent", async () => {
    const sent: string[] = [];
    const answers = new Map([
      ["fileOpen", "V36.86"],
      ["fileRead", "V36.88"],
      ["fileClose", "V36.90"],
    ]);
    const obtaining = new FileServer({ root, access: () => true }).open({
      associationId: 2,
      identity: undefined,
      maxPduSize: 65000,
      requestPeer: async (request) => {
        sent.push(
          toHex(
            encodeMmsPdu({
              type: "confirmedRequest",
              invokeId: sent.length + 1,
              request,
              modifiers: undefined,
            }),
          ),
        );
        const r = decodeMmsPdu(mms(answers.get(request.service)!));
        if (r.type !== "confirmedResponse") throw new Error();
        return r.response;
      },
    });
    const q = decodeMmsPdu(mms("V36.83"));
    if (q.type !== "confirmedRequest") throw new Error();
    const r = await obtaining.handle(q.request);
    expect(toHex(encodeMmsPdu({ type: "confirmedResponse", invokeId: q.invokeId, response: r }))).toBe(
      toHex(mms("V36.91")),
    );
    expect(sent).toEqual(["V36.84", "V36.87", "V36.89"].map((id) => toHex(mms(id))));
    expect(readFileSync(join(root, "obtained.txt"), "utf8")).toBe("upload me\n");
  });
});

describe("JournalServer against the ReadJournal vector V41", () => {
  it("answers V41a with V41b's octets from a store holding V41b's entry", async () => {
    const v41b = decodeMmsPdu(mms("V41b"));
    if (v41b.type !== "confirmedResponse" || v41b.response.service !== "readJournal") throw new Error();
    const e = v41b.response.entries[0]!;
    const form = e.entryContent.form;
    if (form.kind !== "data") throw new Error();
    // libiec61850 numbers entries little-endian: a pluggable store keeps foreign identifiers.
    const stored = {
      entryId: e.entryIdentifier,
      time: binaryTimeToDate(e.entryContent.occurrenceTime).getTime(),
      variables: form.listOfVariables ?? [],
    };
    const store: JournalStore = {
      journals: () => ["simpleIOGenericIO/LLN0$EventLog"],
      create: () => undefined,
      append: () => stored,
      clear: () => 0,
      query: (journal, q) =>
        journal !== "simpleIOGenericIO/LLN0$EventLog"
          ? undefined
          : [stored].filter((x) => (q.from ?? -Infinity) <= x.time && x.time <= (q.to ?? Infinity)),
    };
    const session = new JournalServer({ store }).open({
      associationId: 1,
      identity: undefined,
      maxPduSize: 65000,
    });
    const q = decodeMmsPdu(mms("V41a"));
    if (q.type !== "confirmedRequest") throw new Error();
    const response = await session.handle(q.request);
    expect(toHex(encodeMmsPdu({ type: "confirmedResponse", invokeId: q.invokeId, response }))).toBe(
      toHex(mms("V41b")),
    );
  });
});
