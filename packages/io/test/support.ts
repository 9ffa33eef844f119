import { once } from "node:events";
import { createServer, type Server, type Socket, connect as netConnect } from "node:net";

/** A connected loopback pair: `a` is ours, `b` the peer's raw socket. */
export async function socketPair(): Promise<{ a: Socket; b: Socket; server: Server }> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;
  const accepted = once(server, "connection") as Promise<[Socket]>;
  const a = netConnect(port, "127.0.0.1");
  await once(a, "connect");
  const [b] = await accepted;
  return { a, b, server };
}
