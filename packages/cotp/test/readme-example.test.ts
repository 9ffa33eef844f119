import { describe, expect, it } from "vitest";
import { connect, listen } from "../src/index";

describe("README example", () => {
  it("runs as written", async () => {
    const listener = await listen(
      { host: "127.0.0.1", port: 0, maxConnections: 50, idleTimeoutMs: 60_000 },
      (c) => {
        (async () => {
          for await (const tsdu of c) await c.send([tsdu]);
        })().catch(() => c.destroy());
      },
    );
    const conn = await connect({ host: "127.0.0.1", port: listener.address().port, timeoutMs: 5000 });
    expect(conn.params.tpduSize).toBe(8192);
    await conn.send([new Uint8Array([0x01, 0x00, 0x01, 0x00]), new Uint8Array(60_000)]);
    const reply = await conn[Symbol.asyncIterator]().next();
    expect(reply.value?.length).toBe(60_004);
    await conn.close();
    await listener.close();
  });
});
