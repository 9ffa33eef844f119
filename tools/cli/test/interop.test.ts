import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodeCapture } from "../src/index";
import { sharedDir } from "../../test-utils/src/vectors";
import {
  freePort,
  hasPeer,
  peerBinary,
  runProcess,
  startCapture,
  startProcess,
  tsharkUsable,
  waitForPort,
} from "./interop-env";

// Opt-in: LIBIEC61850_BIN=/path/to/dir/with/example/binaries pnpm vitest run tools/cli/test/interop.test.ts
const work = mkdtempSync(join(tmpdir(), "mms-interop-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const dissectCheck = join(sharedDir(), "tools", "dissect-check");

describe.skipIf(!hasPeer("server_example_basic_io", "iec61850_client_example2") || !tsharkUsable())(
  "interop: mms decode of a libiec61850 client/server capture",
  () => {
    it("decodes every TPKT of a real conversation without an error, and Wireshark agrees", async () => {
      const port = await freePort();
      const file = join(work, "libiec61850-basic-io.pcapng");
      const cap = await startCapture(port, file);
      const server = startProcess(peerBinary("server_example_basic_io") ?? "", [String(port)]);
      try {
        await waitForPort(port);
        const r = await runProcess(peerBinary("iec61850_client_example2") ?? "", ["127.0.0.1", String(port)]);
        expect(r.output).toMatch(/simpleIOGenericIO/);
      } finally {
        await server.stop();
        await new Promise((res) => setTimeout(res, 300));
        await cap.stop();
      }
      const units = decodeCapture(new Uint8Array(readFileSync(file)), { port });
      const lines = units.flatMap((u) => u.lines);
      expect(lines.filter((l) => l.layer === "ERROR")).toEqual([]);
      const mms = lines.filter((l) => l.layer === "MMS").map((l) => l.text);
      expect(mms[0]).toMatch(/^initiate-RequestPDU/);
      expect(mms[1]).toMatch(/^initiate-ResponsePDU/);
      expect(mms.some((t) => /getNameList request objectClass 0 domain simpleIOGenericIO/.test(t))).toBe(
        true,
      );
      const dc = spawnSync(dissectCheck, ["--port", String(port), file], { encoding: "utf8" });
      expect(dc.stdout).toMatch(/ 0 with errors/);
    });
  },
);
