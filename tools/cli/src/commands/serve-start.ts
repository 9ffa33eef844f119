import {
  type AcceptPolicy,
  type AuthenticationMechanism,
  certificateAuthentication,
  passwordAuthentication,
} from "@mms/acse-auth";
import type { SecurityEvent } from "@mms/io";
import { MmsServer, type Vmd, vmdFromJson } from "@mms/server";
import { createTlsProfile } from "@mms/tls-profile";
import { CliError, ExitCode } from "../exit-codes";
import type { CliIo } from "../io";
import { createDemoDevice, type DemoDevice } from "../model/demo-vmd";
import type { Credentials } from "../options";
import type { RunningServer, ServeSettings } from "./serve";
import { type ServeExtensions, serveExtensions } from "./serve-files";

/** The listener policies of `mms serve` (README: default policies). */
export function servePolicies(
  settings: Pick<ServeSettings, "requireAcseAuth" | "password" | "insecurePasswordWithoutTls">,
  certificate: AuthenticationMechanism | undefined,
): {
  plain: AcceptPolicy;
  tls: AcceptPolicy;
} {
  const password =
    settings.password === undefined ? [] : [passwordAuthentication({ password: settings.password })];
  return {
    // Non-secure profile: unauthenticated associations are accepted (the banner says so).
    plain: {
      mechanisms: settings.insecurePasswordWithoutTls ? password : [],
      insecureAllowUnauthenticated: true,
      insecureAllowPasswordWithoutTls: settings.insecurePasswordWithoutTls,
      requireAuthentication: false,
    },
    // TLS: the client certificate is verified by the TLS profile; then 62351-4 or the TLS identity.
    tls: {
      mechanisms: [...(certificate ? [certificate] : []), ...password],
      requireAuthentication: settings.requireAcseAuth,
      acceptTlsIdentity: !settings.requireAcseAuth,
    },
  };
}

export function certificateMechanism(c: Credentials): AuthenticationMechanism {
  return certificateAuthentication({
    certificate: c.cert,
    privateKey: c.key,
    trustAnchors: [c.ca],
    ...(c.crl ? { crls: [c.crl] } : {}),
  });
}

export interface StartedServer extends RunningServer {
  readonly server: MmsServer;
  readonly device: DemoDevice | undefined;
  /** The file server (with --files) and the journal store. */
  readonly extensions: ServeExtensions;
}

/** Starts `mms serve`: the demo device (or a model file) on the plain and/or TLS listener. */
export async function startServer(
  settings: ServeSettings,
  io: CliIo,
  onSecurityEvent?: (e: SecurityEvent) => void,
): Promise<StartedServer> {
  let device: DemoDevice | undefined;
  let vmd: Vmd;
  if (settings.model === undefined) {
    device = createDemoDevice(Date.now());
    vmd = device.vmd;
  } else {
    vmd = vmdFromModelFile(settings.model);
  }
  const extensions = await serveExtensions(settings, device !== undefined);
  if (device) await extensions.attach(device);
  const server = new MmsServer({
    vmd,
    ...(extensions.files ? { files: extensions.files } : {}),
    journals: extensions.journals,
    onSecurityEvent: (e) => {
      onSecurityEvent?.(e);
      if (!onSecurityEvent)
        io.err(`security ${e.severity} ${e.code} ${e.peer ?? ""} ${JSON.stringify(e.detail)}`);
    },
    onError: () => undefined,
  });
  const cert = settings.credentials ? certificateMechanism(settings.credentials) : undefined;
  const policies = servePolicies(settings, cert);
  const ports = await listenOrClose(extensions, () =>
    server.listen({
      ...(settings.plainPort !== undefined
        ? { plain: { host: settings.host, port: settings.plainPort, policy: policies.plain } }
        : {}),
      ...(settings.tlsPort !== undefined && settings.credentials
        ? {
            tls: {
              host: settings.host,
              port: settings.tlsPort,
              policy: policies.tls,
              ...(cert ? { authentication: cert } : {}),
              profile: createTlsProfile({
                trustAnchors: [settings.credentials.ca],
                certificateChain: settings.credentials.cert,
                privateKey: settings.credentials.key,
                ...(settings.credentials.crl ? { crls: [settings.credentials.crl] } : {}),
                rekey: settings.rekey,
                // No onSecurityEvent here: MmsServer forwards the TLS layer's events to its own.
              }),
            },
          }
        : {}),
    }),
  );
  // Timers of the live device (none without one), stopped on close.
  const timers: ReturnType<typeof setInterval>[] = [];
  if (device) {
    const d = device;
    d.setLiveCheck((id) => [...server.associations].some((a) => a.id === id));
    d.tick(Date.now());
    const releaseEnded = (): void => {
      const live = new Set([...server.associations].map((a) => a.id));
      for (const r of d.rcbs) if (r.owner !== undefined && !live.has(r.owner)) d.released(r.owner);
    };
    timers.push(
      setInterval(() => {
        releaseEnded();
        sendReports(server, d.tick(Date.now()));
      }, settings.tickMs),
      // GI reports are produced by writes: flush them promptly.
      setInterval(() => {
        releaseEnded();
        sendReports(server, d.takeReports());
      }, 20),
    );
    for (const t of timers) t.unref?.();
  }
  return {
    server,
    device,
    extensions,
    plainPort: ports.plain,
    tlsPort: ports.tls,
    banner: extensions.banner,
    close: async () => {
      for (const t of timers) clearInterval(t);
      await server.close();
      extensions.close();
    },
  };
}

/** Listens; on failure the journal store is closed before the error goes up. */
async function listenOrClose<T>(extensions: ServeExtensions, listen: () => Promise<T>): Promise<T> {
  try {
    return await listen();
  } catch (e) {
    extensions.close();
    throw e;
  }
}

function sendReports(server: MmsServer, reports: ReturnType<DemoDevice["tick"]>): void {
  for (const r of reports) {
    const target = [...server.associations].find((a) => a.id === r.associationId);
    if (!target) continue;
    void server.sendInformationReport(target, {
      variableAccessSpecification: { kind: "variableListName", name: { scope: "vmd", itemId: "RPT" } },
      results: r.results,
    });
  }
}

function vmdFromModelFile(model: unknown): Vmd {
  try {
    return vmdFromJson(model);
  } catch (e) {
    throw new CliError(ExitCode.file, "file", `--model: ${(e as Error).message}`);
  }
}
