import type { ConfirmedServiceRequest, ConfirmedServiceResponse } from "@mms/pdu";
import type { PeerIdentity } from "./vmd/access";

/** What a service extension learns about the association it serves. */
export interface ExtensionContext {
  /** Unique per server process. */
  readonly associationId: number;
  /** The authenticated peer, or undefined on an unauthenticated association. */
  readonly identity: PeerIdentity | undefined;
  /** Negotiated largest MMS PDU (ISO 9506-2 §8.2 localDetail): responses must fit in it. */
  readonly maxPduSize: number;
  /**
   * Sends a confirmed request to the peer on this association and waits for its answer (ObtainFile
   * makes the server the requester of FileOpen/FileRead/FileClose, ISO 9506-2 Annex D).
   */
  /** Raises a security event about this association (e.g. a refused file name). */
  readonly securityEvent?: (
    code: string,
    detail: Readonly<Record<string, string | number | boolean | undefined>>,
  ) => void;
  readonly requestPeer?: (
    request: ConfirmedServiceRequest,
    timeoutMs?: number,
  ) => Promise<ConfirmedServiceResponse>;
}

/** One association's share of an extension: answers its services, released when it ends. */
export interface ExtensionSession {
  handle(request: ConfirmedServiceRequest): ConfirmedServiceResponse | Promise<ConfirmedServiceResponse>;
  /** The association ended: release everything it held (open files, cursors). */
  close(): void;
  /**
   * GetNameList of an object class this extension owns (journals): a response, or undefined to
   * leave the request to the VMD.
   */
  getNameList?(
    request: Extract<ConfirmedServiceRequest, { service: "getNameList" }>,
  ): ConfirmedServiceResponse | Promise<ConfirmedServiceResponse> | undefined;
}

/**
 * Confirmed services served beside the VMD (files, journals): the server announces
 * `supportBits` in servicesSupportedCalled (ISO 9506-2 §8.2.1.1.3) and routes `services` here.
 */
export interface ServiceExtension {
  /** ConfirmedServiceRequest `service` names this extension answers. */
  readonly services: ReadonlySet<string>;
  /** ServiceSupport bit numbers announced when the extension is configured. */
  readonly supportBits: readonly number[];
  open(context: ExtensionContext): ExtensionSession;
}

/** A handler that sends extension services to their session and everything else to `fallback`. */
export function routeExtensions(
  sessions: readonly { readonly extension: ServiceExtension; readonly session: ExtensionSession }[],
  fallback: (request: ConfirmedServiceRequest) => ConfirmedServiceResponse,
): (request: ConfirmedServiceRequest) => ConfirmedServiceResponse | Promise<ConfirmedServiceResponse> {
  if (sessions.length === 0) return fallback;
  return (request) => {
    if (request.service === "getNameList") {
      for (const s of sessions) {
        const r = s.session.getNameList?.(request);
        if (r !== undefined) return r;
      }
    }
    for (const s of sessions) if (s.extension.services.has(request.service)) return s.session.handle(request);
    return fallback(request);
  };
}
