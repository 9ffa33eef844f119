import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect as netConnect, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dissectCheck, hasTshark } from "@mms/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, deleteFile, listFiles, putFile, readFile, readJournal } from "../../client/src/index";
import { FileServer, JournalServer, MemoryJournalStore, MmsServer, Vmd } from "../src/index";

/** A loopback TCP relay that records both directions, cut into TPKTs (RFC 1006 §6) in order. */
async function recordingRelay(
  target: number,
): Promise<{ port: number; frames: { dir: ">" | "<"; bytes: Uint8Array }[]; close: () => void }> {
  const frames: { dir: ">" | "<"; bytes: Uint8Array }[] = [];
  const pending = { ">": Buffer.alloc(0), "<": Buffer.alloc(0) };
  const take = (dir: ">" | "<", chunk: Buffer) => {
    let b = Buffer.concat([pending[dir], chunk]);
    while (b.length >= 4) {
      const len = b.readUInt16BE(2);
      if (b.length < len) break;
      frames.push({ dir, bytes: Uint8Array.from(b.subarray(0, len)) });
      b = b.subarray(len);
    }
    pending[dir] = b;
  };
  const relay: Server = createServer((client) => {
    const upstream = netConnect(target, "127.0.0.1");
    client.on("data", (d) => {
      take(">", d);
      upstream.write(d);
    });
    upstream.on("data", (d) => {
      take("<", d);
      client.write(d);
    });
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.on("error", () => undefined);
    upstream.on("error", () => undefined);
  });
  relay.listen(0, "127.0.0.1");
  await once(relay, "listening");
  return { port: (relay.address() as { port: number }).port, frames, close: () => relay.close() };
}

describe("dissect-check: a captured plain conversation of file and journal services", () => {
  const root = mkdtempSync(join(tmpdir(), "mms-dissect-files-"));
  const local = mkdtempSync(join(tmpdir(), "mms-dissect-local-"));
  let server: MmsServer;
  let port: number;
  beforeAll(async () => {
    writeFileSync(join(root, "COMTRADE.cfg"), "station,rec_dev_id,1999\n".repeat(1200)); // ~28 KB: segmented
    writeFileSync(join(local, "up.txt"), "uploaded by ObtainFile\n");
    const store = new MemoryJournalStore();
    store.append("LD0/LLN0$EventLog", {
      time: Date.UTC(2026, 10, 25, 12),
      variables: [{ variableTag: "LD0/GGIO1$ST$Ind1$stVal", value: { type: "boolean", value: true } }],
    });
    server = new MmsServer({
      vmd: new Vmd({ vendorName: "A", modelName: "D", revision: "1" }),
      files: new FileServer({ root, access: () => true }),
      journals: new JournalServer({ store }),
    });
    port = (
      await server.listen({
        plain: { host: "127.0.0.1", port: 0, policy: { mechanisms: [], insecureAllowUnauthenticated: true } },
      })
    ).plain!;
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(local, { recursive: true, force: true });
  });

  it.skipIf(!hasTshark())("Wireshark dissects every frame without errors", async () => {
    const relay = await recordingRelay(port);
    try {
      const c = await connect({
        transport: { kind: "insecure-tcp", host: "127.0.0.1", port: relay.port },
        authentication: "insecure-none",
        requireServerAuthentication: false,
      });
      expect((await listFiles(c)).map((e) => e.fileName[0])).toEqual(["COMTRADE.cfg"]);
      expect((await readFile(c, "COMTRADE.cfg")).length).toBe(24 * 1200);
      await putFile(c, join(local, "up.txt"), "up.txt");
      await deleteFile(c, "up.txt");
      await c
        .request({ service: "fileOpen", fileName: ["COMTRADE.cfg"], initialPosition: 999_999 })
        .catch(() => undefined);
      expect((await readJournal(c, "LD0/LLN0$EventLog")).length).toBe(1);
      await c.conclude();
    } finally {
      relay.close();
    }
    const frames = relay.frames;
    expect(frames.length).toBeGreaterThan(20);
    const result = dissectCheck(frames);
    expect(result.output).toContain(`${frames.length} frames, 0 with errors`);
    expect(result.ok).toBe(true);
  });
});
