import {
  type AssociationAddressing,
  AssociationRejectedError,
  type AuthenticationMechanism,
  associate,
} from "@mms/acse-auth";
import { type CotpInitiatorOptions, openCotp } from "@mms/cotp";
import type { ByteStream, SecurityEvent } from "@mms/io";
import { connectTcp } from "@mms/io/node";
import { decodeMmsPdu, encodeMmsPdu } from "@mms/pdu";
import { connectTls, type TlsProfile, type TlsSessionCache } from "@mms/tls-profile";
import { MmsClient } from "./client";
import type { MmsClientOptions } from "./client-core";
import { MmsInitiateError } from "./errors";
import { type InitiateProposal, initiateRequest } from "./initiate";

/** How to reach the server: TLS (IEC 62351-3, port 3782) or plain TCP spelled out as insecure (102). */
export type MmsTransport =
  | {
      readonly kind: "tls";
      readonly profile: TlsProfile;
      readonly host: string;
      readonly port?: number;
      readonly servername?: string;
      /** Resume TLS sessions with this server from this cache (when the profile's resumption is
       * on, the default); without it every association makes a full handshake. */
      readonly sessionCache?: TlsSessionCache;
    }
  | { readonly kind: "insecure-tcp"; readonly host: string; readonly port?: number };

export interface MmsConnectOptions extends MmsClientOptions {
  readonly transport: MmsTransport;
  /** ACSE authentication: a mechanism (certificate, password) or `"insecure-none"` spelled out. */
  readonly authentication: AuthenticationMechanism | "insecure-none";
  /** Require the server to authenticate itself in the AARE (default: true with a mechanism). */
  readonly requireServerAuthentication?: boolean;
  /** Selectors, AP-titles, AE-qualifiers (defaults as libiec61850 sends). */
  readonly addressing?: AssociationAddressing;
  /** COTP options (TSAPs, TPDU size). */
  readonly cotp?: CotpInitiatorOptions;
  /** MMS initiate proposal (defaults as libiec61850 sends: 65000 / 5 / 5 / 10). */
  readonly initiate?: InitiateProposal;
  /** Deadline for TCP/TLS + COTP + association setup (default 10 000 ms). */
  readonly connectTimeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly onSecurityEvent?: (event: SecurityEvent) => void;
}

/**
 * Connects over the whole stack: TCP or TLS → COTP → session/presentation/ACSE (with the
 * authentication) → MMS initiate. Rejects with the failing layer's typed error.
 */
export async function connect(options: MmsConnectOptions): Promise<MmsClient> {
  const t = options.transport;
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  const signal = options.signal;
  let stream: ByteStream;
  if (t.kind === "tls") {
    stream = await connectTls(t.profile, {
      host: t.host,
      port: t.port ?? 3782,
      timeoutMs,
      ...(t.servername !== undefined ? { servername: t.servername } : {}),
      ...(t.sessionCache ? { sessionCache: t.sessionCache } : {}),
      ...(signal ? { signal } : {}),
    });
  } else {
    stream = await connectTcp({
      host: t.host,
      port: t.port ?? 102,
      timeoutMs,
      ...(signal ? { signal } : {}),
    });
  }
  try {
    const cotp = await openCotp(stream, { timeoutMs, ...options.cotp });
    const request = initiateRequest(options.initiate);
    const association = await associate(cotp, {
      authentication: options.authentication,
      userData: encodeMmsPdu(request),
      timeoutMs,
      ...(options.requireServerAuthentication !== undefined
        ? { requireResponderAuthentication: options.requireServerAuthentication }
        : {}),
      ...(options.addressing ? { addressing: options.addressing } : {}),
      ...(options.onSecurityEvent ? { onSecurityEvent: options.onSecurityEvent } : {}),
      ...(signal ? { signal } : {}),
    });
    try {
      return MmsClient.overWith(association, request, association.responseUserData, options);
    } catch (e) {
      association.abort();
      throw e;
    }
  } catch (e) {
    stream.destroy();
    throw initiateRefusal(e) ?? e;
  }
}

/** An AARE rejection carrying an MMS initiate-ErrorPDU is reported as `MmsInitiateError`. */
function initiateRefusal(e: unknown): MmsInitiateError | undefined {
  if (!(e instanceof AssociationRejectedError) || !e.userData) return undefined;
  try {
    const pdu = decodeMmsPdu(e.userData);
    if (pdu.type !== "initiateError") return undefined;
    return new MmsInitiateError(
      `the server refused the MMS initiate: ${pdu.error.errorClass}/${pdu.error.code}`,
      {
        cause: e,
      },
    );
  } catch {
    return undefined;
  }
}
