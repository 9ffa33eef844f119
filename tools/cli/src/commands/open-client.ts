import { connect, type MmsClient } from "@mms/client";
import type { ConnectionSettings } from "../options";
import { authenticationOf, tlsProfileOf } from "./connect";

/** Opens an MmsClient (for the commands that need more than the CliSession interface). */
export type ClientFactory = (
  settings: ConnectionSettings,
  signal: AbortSignal | undefined,
) => Promise<MmsClient>;

/** TCP or TLS → COTP → ACSE → MMS initiate with the command-line settings. */
export const openClient: ClientFactory = (s, signal) =>
  connect({
    transport:
      s.tls && s.credentials
        ? { kind: "tls", profile: tlsProfileOf(s.credentials), host: s.host, port: s.port }
        : { kind: "insecure-tcp", host: s.host, port: s.port },
    authentication: authenticationOf(s),
    requireServerAuthentication: s.auth === "certificate",
    timeoutMs: s.timeoutMs,
    connectTimeoutMs: s.timeoutMs,
    ...(signal ? { signal } : {}),
  });

/** Runs `fn` with a client; concludes it afterwards (aborts if that fails). */
export async function withClient<T>(
  open: ClientFactory,
  settings: ConnectionSettings,
  signal: AbortSignal | undefined,
  fn: (client: MmsClient) => Promise<T>,
): Promise<T> {
  const client = await open(settings, signal);
  try {
    return await fn(client);
  } finally {
    await client.conclude({ timeoutMs: settings.timeoutMs }).catch(() => client.abort());
  }
}
