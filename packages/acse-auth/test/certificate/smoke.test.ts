import { describe, expect, it } from "vitest";
import { context, side } from "./helpers";

describe("smoke", () => {
  it("client → server", async () => {
    const client = side("client");
    const server = side("server");
    const { ctx: c } = context({ role: "initiator" });
    const v = await client.credentials(c);
    const { ctx, events } = context();
    const id = await server.verify(v, ctx);
    expect(id.mechanism).toBe("certificate");
    expect(events).toEqual([]);
  });
});
