import type { ByteStream } from "@mms/io";
import { describe, expect, it } from "vitest";
import { connectTls, listenTls } from "../src/index";
import { profileFor } from "./helpers";

describe("TLS session stream", () => {
  it("offers the socket's synchronous reader (subscribe): chunks in order, end once", async () => {
    const accepted: ByteStream[] = [];
    const listener = await listenTls(profileFor("server").profile, { host: "127.0.0.1", port: 0 }, (s) => {
      accepted.push(s);
    });
    try {
      const client = await connectTls(profileFor("client").profile, {
        host: "127.0.0.1",
        port: listener.address().port,
      });
      for (let i = 0; i < 100 && accepted.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
      const server = accepted[0]!;
      expect(typeof server.subscribe).toBe("function");
      const got: number[] = [];
      const ends: (Error | undefined)[] = [];
      server.subscribe!({
        onChunk: (c) => {
          got.push(...c);
          return true;
        },
        onEnd: (e) => ends.push(e),
      });
      await client.write([Uint8Array.of(1, 2)]);
      await client.write([Uint8Array.of(3)]);
      for (let i = 0; i < 100 && got.length < 3; i++) await new Promise((r) => setTimeout(r, 5));
      expect(got).toEqual([1, 2, 3]);
      await client.end();
      await server.closed;
      expect(ends).toEqual([undefined]);
    } finally {
      await listener.close();
    }
  });
});
