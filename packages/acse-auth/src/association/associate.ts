import type { BitString } from "@mms/asn1";
import { type ByteChain, type Clock, type MessageChannel, type SecurityEvent, systemClock } from "@mms/io";
import { DEFAULT_CONTEXTS, MMS_ABSTRACT_SYNTAX } from "@mms/osi";
import {
  type Aarq,
  AbortDiagnostic,
  AbortSource,
  MMS_APPLICATION_CONTEXT,
  type AeAddress,
} from "../acse/apdu";
import { AcseMachine } from "../acse/machine";
import {
  type AuthenticationContext,
  AuthenticationError,
  type AuthenticationMechanism,
  type PeerIdentity,
} from "../auth/mechanism";
import {
  AcseProtocolError,
  AssociationAbortedError,
  AssociationClosedError,
  AssociationRejectedError,
} from "../errors";
import { AssociationChannel, mmsExternal, mmsUserData } from "./association";
import { withDeadline } from "./deadline";
import { makeEmitter, peerLabel, securityEvent } from "./events";
import type { AssociateOptions, Association, AssociationAddressing } from "./options";
import { requirementsShape } from "./requirements";

/**
 * sender-acse-requirements {authentication}, sent as libiec61850 does (`8a 02 04 80`: the four
 * named bits of ACSE-requirements, only the first set). Receivers compare bits, not bytes.
 */
export const AUTHENTICATION_REQUIREMENT: BitString = Object.freeze({
  bytes: Uint8Array.of(0x80),
  bitLength: 4,
});

/** Defaults of stack.md §10. */
const DEFAULT_CALLED_AP_TITLE = "1.1.1.999.1";
const DEFAULT_CALLING_AP_TITLE = "1.1.1.999";
const DEFAULT_AE_QUALIFIER = 12;

function address(
  apTitle: AssociationAddressing["calledApTitle"],
  defaultApTitle: string,
  aeQualifier: AssociationAddressing["calledAeQualifier"],
  apInvocationId: number | undefined,
  aeInvocationId: number | undefined,
): AeAddress {
  return {
    apTitle: apTitle === null ? undefined : (apTitle ?? defaultApTitle),
    aeQualifier: aeQualifier === null ? undefined : (aeQualifier ?? DEFAULT_AE_QUALIFIER),
    apInvocationId,
    aeInvocationId,
  };
}

/**
 * A-ASSOCIATE as initiator over a message channel (a COTP connection): sends CN + CP + AARQ
 * (with our authentication value, if any) carrying the MMS initiate-RequestPDU, waits for the
 * answer and verifies the responder's authentication. Rejects with `AssociationRejectedError`,
 * `AssociationAbortedError`, `AuthenticationError` (after sending an ABRT 5/6),
 * `OsiProtocolError` (after sending the reply the layer prescribes) or
 * `AssociationTimeoutError`.
 */
export async function associate(channel: MessageChannel, options: AssociateOptions): Promise<Association> {
  if (options.authentication === undefined)
    throw new TypeError('associate: options.authentication is required (a mechanism or "insecure-none")');
  const clock: Clock = options.clock ?? systemClock;
  const emit = makeEmitter(options.onSecurityEvent);
  const a = options.addressing ?? {};
  const machine = new AcseMachine({
    role: "initiator",
    localSelector: a.callingPSelector,
    remoteSelector: a.calledPSelector,
    session: { callingSelector: a.callingSSelector, calledSelector: a.calledSSelector },
  });
  const iterator = channel[Symbol.asyncIterator]();
  const work = establish(channel, iterator, machine, options, clock, emit, a);
  return withDeadline(work, options.timeoutMs, options.signal, () => {
    try {
      void channel.send(machine.abortRequest()).catch(() => undefined);
    } catch {
      // already closed
    }
    channel.destroy();
  });
}

async function establish(
  channel: MessageChannel,
  iterator: AsyncIterator<Uint8Array>,
  machine: AcseMachine,
  options: AssociateOptions,
  clock: Clock,
  emit: (e: SecurityEvent) => void,
  a: AssociationAddressing,
): Promise<Association> {
  const mechanism: AuthenticationMechanism | undefined =
    options.authentication === "insecure-none" ? undefined : options.authentication;
  const called = address(
    a.calledApTitle,
    DEFAULT_CALLED_AP_TITLE,
    a.calledAeQualifier,
    a.calledApInvocationId,
    a.calledAeInvocationId,
  );
  const calling = address(
    a.callingApTitle,
    DEFAULT_CALLING_AP_TITLE,
    a.callingAeQualifier,
    a.callingApInvocationId,
    a.callingAeInvocationId,
  );
  const ctx = (): AuthenticationContext => ({
    role: "initiator",
    now: clock.now(),
    transport: channel.info,
    peerApTitle: typeof called.apTitle === "string" ? called.apTitle : undefined,
    peerAeQualifier: typeof called.aeQualifier === "number" ? called.aeQualifier : undefined,
    emit,
  });
  const value = mechanism ? await mechanism.credentials(ctx()) : undefined;
  const mmsId = DEFAULT_CONTEXTS.find((c) => c.abstractSyntax === MMS_ABSTRACT_SYNTAX)?.id ?? 3;
  const aarq: Aarq = {
    type: "AARQ",
    applicationContextName: options.applicationContext ?? MMS_APPLICATION_CONTEXT,
    called,
    calling,
    senderAcseRequirements: mechanism ? AUTHENTICATION_REQUIREMENT : undefined,
    mechanismName: mechanism?.mechanismNames[0],
    callingAuthenticationValue: value,
    userInformation: [mmsExternal(mmsId, options.userData)],
  };
  await channel.send(machine.associateRequest(aarq));
  const r = await iterator.next();
  if (r.done) throw new AssociationClosedError("the transport closed before the association was answered");
  const ev = machine.receive(r.value);
  const fail = async (reply: ByteChain | undefined): Promise<void> => {
    if (reply) await channel.send(reply).catch(() => undefined);
    await channel.close().catch(() => undefined);
  };
  switch (ev.type) {
    case "associate-confirm":
      break;
    case "associate-refused": {
      await fail(undefined);
      emit(
        securityEvent("WRN_ACSE_REJECTED", clock.now(), peerLabel(channel.info), {
          diagnostic: ev.aare?.resultSourceDiagnostic.value ?? ev.providerReason ?? ev.sessionReason,
        }),
      );
      const aare = ev.aare;
      if (aare)
        throw new AssociationRejectedError(
          aare.result,
          aare.resultSourceDiagnostic.source === "service-user"
            ? "acse-service-user"
            : "acse-service-provider",
          aare.resultSourceDiagnostic.value,
          mmsUserData(aare.userInformation),
        );
      if (ev.providerReason !== undefined)
        throw new AssociationRejectedError(1, "presentation", ev.providerReason);
      throw new AssociationRejectedError(1, "session", ev.sessionReason);
    }
    case "abort":
      await fail(undefined);
      emit(
        securityEvent(
          ev.diagnostic === 5 || ev.diagnostic === 6 ? "ALM_ACSE_AUTH_REFUSED_BY_PEER" : "WRN_ACSE_ABORTED",
          clock.now(),
          peerLabel(channel.info),
          { source: ev.source, diagnostic: ev.diagnostic },
        ),
      );
      throw new AssociationAbortedError(ev.source, ev.diagnostic);
    case "protocol-error":
      await fail(ev.error.reply);
      emit(
        securityEvent("WRN_OSI_PROTOCOL_ERROR", clock.now(), peerLabel(channel.info), {
          layer: ev.error.layer,
          reason: ev.error.code,
        }),
      );
      throw ev.error;
    default: {
      const error = new AcseProtocolError("unexpected-event", `${ev.type} while awaiting the AARE`);
      await fail(machine.abortRequest());
      throw error;
    }
  }
  const aare = ev.aare;
  const label = peerLabel(channel.info, called.apTitle);
  if (aare.result !== 0) {
    await fail(undefined);
    throw new AssociationRejectedError(
      aare.result,
      aare.resultSourceDiagnostic.source === "service-user" ? "acse-service-user" : "acse-service-provider",
      aare.resultSourceDiagnostic.value,
      mmsUserData(aare.userInformation),
    );
  }
  if (
    machine.mmsContextId === undefined ||
    !machine.presentation.contexts.some((c) => c.abstractSyntax === MMS_ABSTRACT_SYNTAX)
  ) {
    const error = new AcseProtocolError(
      "mms-context-rejected",
      "the responder did not accept the MMS presentation context",
    );
    await fail(
      machine.abortRequest({
        type: "ABRT",
        source: AbortSource.serviceUser,
        diagnostic: AbortDiagnostic.noReasonGiven,
      }),
    );
    throw error;
  }
  // ISO 8650-1 / X.227: the responder may select the authentication functional unit only when
  // we proposed it, and may send a mechanism name or value only when it selects it. Anything
  // else is an invalid AARE: ABRT protocol-error (docs/acse-authentication.md "Requirements bit").
  const shape = requirementsShape(
    aare.responderAcseRequirements,
    aare.mechanismName,
    aare.respondingAuthenticationValue,
  );
  if (shape === "fields-without-unit" || (shape !== "none" && !mechanism)) {
    const code =
      shape === "fields-without-unit" ? "authentication-without-requirement" : "authentication-not-proposed";
    emit(securityEvent("ALM_ACSE_AUTH_FAILED", clock.now(), label, { reason: code }));
    await fail(
      machine.abortRequest({
        type: "ABRT",
        source: AbortSource.serviceProvider,
        diagnostic: AbortDiagnostic.protocolError,
      }),
    );
    throw new AcseProtocolError(
      code,
      shape === "fields-without-unit"
        ? "the AARE carries authentication fields without the responder-acse-requirements bit"
        : "the AARE selects the authentication functional unit we did not propose",
    );
  }
  let identity: PeerIdentity = channel.info.tls?.peerCertificate
    ? { mechanism: "tls", name: "tls-peer", certificate: channel.info.tls.peerCertificate }
    : { mechanism: "none", name: "unauthenticated", certificate: undefined };
  const requireResponder = mechanism !== undefined && (options.requireResponderAuthentication ?? true);
  if (mechanism && requireResponder) {
    let mechanismAlarms = 0;
    const abortWith = async (e: AuthenticationError, code: string): Promise<never> => {
      if (mechanismAlarms === 0)
        emit(securityEvent(code, clock.now(), label, { mechanism: mechanism.name, reason: e.code }));
      const diagnostic =
        e.reply.kind === "abort" ? e.reply.diagnostic : AbortDiagnostic.authenticationFailure;
      await fail(machine.abortRequest({ type: "ABRT", source: AbortSource.serviceProvider, diagnostic }));
      throw e;
    };
    const v = aare.respondingAuthenticationValue;
    if (!v)
      await abortWith(
        new AuthenticationError(
          "responder-not-authenticated",
          "the AARE carries no responding-authentication-value",
          {
            kind: "abort",
            diagnostic: AbortDiagnostic.authenticationRequired,
          },
        ),
        "ALM_ACSE_AUTH_MISSING",
      );
    else if (aare.mechanismName !== undefined && !mechanism.mechanismNames.includes(aare.mechanismName))
      await abortWith(
        new AuthenticationError(
          "mechanism-not-recognized",
          `responder used mechanism ${aare.mechanismName}`,
          {
            kind: "abort",
            diagnostic: AbortDiagnostic.authenticationMechanismNameNotRecognized,
          },
        ),
        "ALM_ACSE_UNKNOWN_MECHANISM",
      );
    else {
      try {
        identity = await mechanism.verify(v, {
          ...ctx(),
          emit: (e) => {
            if (e.severity === "alarm") mechanismAlarms++;
            emit(e);
          },
          peerApTitle:
            typeof aare.responding?.apTitle === "string" ? aare.responding.apTitle : ctx().peerApTitle,
        });
      } catch (e) {
        const err =
          e instanceof AuthenticationError
            ? e
            : new AuthenticationError("verification-failed", "responder verification failed", {
                kind: "abort",
                diagnostic: AbortDiagnostic.authenticationFailure,
              });
        await abortWith(err, "ALM_ACSE_AUTH_FAILED");
      }
    }
  }
  emit(
    securityEvent("INF_ACSE_ASSOCIATED", clock.now(), label, {
      role: "initiator",
      mechanism: identity.mechanism,
      peer: identity.name,
    }),
  );
  return new AssociationChannel({
    channel,
    iterator,
    machine,
    peer: {
      apTitle: aare.responding?.apTitle ?? called.apTitle,
      aeQualifier: aare.responding?.aeQualifier ?? called.aeQualifier,
      identity,
      transport: channel.info,
    },
    requestUserData: options.userData,
    responseUserData: mmsUserData(aare.userInformation),
    timeoutMs: options.timeoutMs,
  });
}
