import { connect, type MmsClient } from "@mms/client";
import { mapError } from "../error-map";
import { CliError } from "../exit-codes";
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

/**
 * Runs `fn` with a client. A failure to connect is reported as the connect step, one inside
 * `fn` (other than a `CliError`) as `what`; the client is concluded afterwards (aborted if
 * that fails).
 */
export async function withClient<T>(
  open: ClientFactory,
  settings: ConnectionSettings,
  signal: AbortSignal | undefined,
  what: string,
  fn: (client: MmsClient) => Promise<T>,
): Promise<T> {
  let client: MmsClient;
  try {
    client = await open(settings, signal);
  } catch (e) {
    throw mapError(e, `connect to ${settings.host}:${settings.port}`);
  }
  try {
    return await fn(client);
  } catch (e) {
    throw e instanceof CliError ? e : mapError(e, what);
  } finally {
    await client.conclude({ timeoutMs: settings.timeoutMs }).catch(() => client.abort());
  }
}
