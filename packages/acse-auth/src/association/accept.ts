import { type ByteChain, type Clock, type MessageChannel, systemClock } from "@mms/io";
import { OsiProtocolError } from "@mms/osi";
import {
  type Aare,
  AbortSource,
  ACCEPTED_APPLICATION_CONTEXTS,
  AssociateResult,
  MMS_APPLICATION_CONTEXT,
  UserDiagnostic,
} from "../acse/apdu";
import { AcseMachine } from "../acse/machine";
import type { AuthenticationContext } from "../auth/mechanism";
import {
  AcseProtocolError,
  AssociationAbortedError,
  AssociationClosedError,
  AssociationRefusal,
} from "../errors";
import { AUTHENTICATION_REQUIREMENT } from "./associate";
import { AssociationChannel, mmsExternal, mmsUserData } from "./association";
import { withDeadline } from "./deadline";
import { makeEmitter, peerLabel, securityEvent } from "./events";
import type { AcceptOptions, Association, AssociationRequest } from "./options";
import { decideAuthentication } from "./policy";

/** Thrown by `acceptAssociation` when it refused the association (after sending the refusal). */
export class AssociationRefusedError extends Error {
  override readonly name: string = "AssociationRefusedError";
  readonly code = "refused-by-us" as const;
  /** What we sent: an AARE rejected-permanent with this diagnostic, or an ABRT with it. */
  readonly reply: { readonly kind: "aare" | "abort"; readonly diagnostic: number };
  constructor(
    reply: { kind: "aare" | "abort"; diagnostic: number },
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.reply = reply;
  }
}

/**
 * A-ASSOCIATE as responder: reads the CN + CP + AARQ, applies the accept policy
 * (authentication, peers), asks `onRequest` for the MMS initiate-ResponsePDU and answers with
 * AC + CPA + AARE, or refuses: AARE rejected-permanent (in a CPR, in an RF) or ABRT, as
 * DECISIONS.md prescribes. Every refusal raises a security event and rejects with
 * `AssociationRefusedError`; a peer protocol violation rejects with `OsiProtocolError`.
 */
export async function acceptAssociation(
  channel: MessageChannel,
  options: AcceptOptions,
): Promise<Association> {
  const machine = new AcseMachine({
    role: "responder",
    localSelector: options.addressing?.respondingPSelector,
    session: { callingSelector: options.addressing?.respondingSSelector },
  });
  const iterator = channel[Symbol.asyncIterator]();
  const work = answer(channel, iterator, machine, options);
  return withDeadline(work, options.timeoutMs, options.signal, () => channel.destroy());
}

async function answer(
  channel: MessageChannel,
  iterator: AsyncIterator<Uint8Array>,
  machine: AcseMachine,
  options: AcceptOptions,
): Promise<Association> {
  const clock: Clock = options.clock ?? systemClock;
  const emit = makeEmitter(options.onSecurityEvent);
  const policy = options.policy;
  const r = await iterator.next();
  if (r.done) throw new AssociationClosedError("the transport closed before an AARQ arrived");
  const ev = machine.receive(r.value);
  const finish = async (reply: ByteChain | undefined): Promise<void> => {
    if (reply) await channel.send(reply).catch(() => undefined);
    await channel.close().catch(() => undefined);
  };
  if (ev.type === "protocol-error") {
    emit(
      securityEvent("WRN_OSI_PROTOCOL_ERROR", clock.now(), peerLabel(channel.info), {
        layer: ev.error.layer,
        reason: ev.error.code,
      }),
    );
    await finish(ev.error.reply);
    throw ev.error;
  }
  if (ev.type === "abort") {
    await finish(undefined);
    throw new AssociationAbortedError(ev.source, ev.diagnostic);
  }
  if (ev.type !== "associate-indication") {
    const error = new AcseProtocolError("unexpected-event", `${ev.type} instead of an AARQ`);
    await finish(machine.abortRequest({ type: "ABRT", source: AbortSource.serviceProvider, diagnostic: 2 }));
    throw error;
  }
  const aarq = ev.aarq;
  const callingApTitle = aarq.calling?.apTitle;
  const label = peerLabel(channel.info, callingApTitle);
  const mmsId = machine.mmsContextId;

  const reject = async (
    diagnostic: number,
    event: string | undefined,
    reason: string,
    userData?: Uint8Array,
  ): Promise<never> => {
    if (event) emit(securityEvent(event, clock.now(), label, { reason, diagnostic }));
    const aare: Aare = {
      type: "AARE",
      applicationContextName: MMS_APPLICATION_CONTEXT,
      result: AssociateResult.rejectedPermanent,
      resultSourceDiagnostic: { source: "service-user", value: diagnostic },
      userInformation: userData && mmsId !== undefined ? [mmsExternal(mmsId, userData)] : undefined,
    };
    await finish(machine.associateResponse(aare));
    throw new AssociationRefusedError({ kind: "aare", diagnostic }, `association refused: ${reason}`);
  };

  // ACSE checks before authentication: application context, MMS context and user data.
  const contexts = policy.applicationContexts ?? ACCEPTED_APPLICATION_CONTEXTS;
  if (!contexts.includes(aarq.applicationContextName))
    await reject(
      UserDiagnostic.applicationContextNameNotSupported,
      "WRN_ACSE_REFUSED",
      `application context ${aarq.applicationContextName}`,
    );
  if (mmsId === undefined)
    await reject(
      UserDiagnostic.applicationContextNameNotSupported,
      "WRN_ACSE_REFUSED",
      "MMS presentation context not proposed",
    );
  const userData = mmsUserData(aarq.userInformation);
  if (!userData)
    await reject(UserDiagnostic.noReasonGiven, "WRN_ACSE_REFUSED", "AARQ without MMS user information");

  const ctx: AuthenticationContext = {
    role: "responder",
    now: clock.now(),
    transport: channel.info,
    peerApTitle: typeof callingApTitle === "string" ? callingApTitle : undefined,
    peerAeQualifier: typeof aarq.calling?.aeQualifier === "number" ? aarq.calling.aeQualifier : undefined,
    emit,
  };
  // A mechanism may raise its own, more precise alarm (e.g. ALM_ACSE_REPLAY); ours is raised
  // only when it did not, so that one failure is one event.
  let mechanismAlarms = 0;
  const decision = await decideAuthentication(aarq, policy, {
    ...ctx,
    emit: (e) => {
      if (e.severity === "alarm") mechanismAlarms++;
      emit(e);
    },
  });
  if (!decision.ok) {
    if (mechanismAlarms === 0)
      emit(
        securityEvent(decision.event, clock.now(), label, {
          reason: decision.reason,
          mechanism: aarq.mechanismName,
        }),
      );
    if (decision.reply.kind === "aare") await reject(decision.reply.diagnostic, undefined, decision.reason);
    const diagnostic = decision.reply.diagnostic;
    await finish(machine.abortRequest({ type: "ABRT", source: AbortSource.serviceProvider, diagnostic }));
    throw new AssociationRefusedError(
      { kind: "abort", diagnostic },
      `association aborted: ${decision.reason}`,
      {
        cause: decision.error,
      },
    );
  }

  const request: AssociationRequest = {
    peer: {
      apTitle: callingApTitle,
      aeQualifier: aarq.calling?.aeQualifier,
      identity: decision.identity,
      transport: channel.info,
    },
    calling: aarq.calling,
    called: aarq.called,
    applicationContext: aarq.applicationContextName,
    userData: userData!,
    aarq,
  };
  let response: Uint8Array;
  try {
    response = await options.onRequest(request);
  } catch (e) {
    if (e instanceof AssociationRefusal)
      return reject(e.diagnostic, "WRN_ACSE_REFUSED", "refused by the application", e.userData);
    await reject(UserDiagnostic.noReasonGiven, "WRN_ACSE_REFUSED", "the application failed");
    throw e;
  }

  // Authenticate ourselves when the caller did with an ACSE mechanism and we have one.
  const own = options.authentication;
  const mutual = own !== undefined && decision.mechanism !== undefined;
  const ownValue = mutual ? await own.credentials({ ...ctx, now: clock.now() }) : undefined;
  const ad = options.addressing;
  const aare: Aare = {
    type: "AARE",
    applicationContextName: MMS_APPLICATION_CONTEXT,
    result: AssociateResult.accepted,
    resultSourceDiagnostic: { source: "service-user", value: UserDiagnostic.null },
    responding:
      ad &&
      (ad.apTitle !== undefined ||
        ad.aeQualifier !== undefined ||
        ad.apInvocationId !== undefined ||
        ad.aeInvocationId !== undefined)
        ? {
            apTitle: ad.apTitle,
            aeQualifier: ad.aeQualifier,
            apInvocationId: ad.apInvocationId,
            aeInvocationId: ad.aeInvocationId,
          }
        : undefined,
    responderAcseRequirements: mutual ? AUTHENTICATION_REQUIREMENT : undefined,
    // Echo the caller's spelling when it names our mechanism; otherwise name ours.
    mechanismName: mutual
      ? aarq.mechanismName !== undefined && own.mechanismNames.includes(aarq.mechanismName)
        ? aarq.mechanismName
        : own.mechanismNames[0]
      : undefined,
    respondingAuthenticationValue: ownValue,
    userInformation: [mmsExternal(mmsId!, response)],
  };
  try {
    await channel.send(machine.associateResponse(aare));
  } catch (e) {
    if (e instanceof OsiProtocolError) throw e;
    throw new AssociationClosedError("sending the AARE failed", { cause: e });
  }
  emit(
    securityEvent("INF_ACSE_ASSOCIATED", clock.now(), label, {
      role: "responder",
      mechanism: decision.identity.mechanism,
      peer: decision.identity.name,
    }),
  );
  return new AssociationChannel({
    channel,
    iterator,
    machine,
    peer: request.peer,
    requestUserData: userData!,
    responseUserData: response,
    onRelease: options.onRelease,
    timeoutMs: options.timeoutMs,
  });
}
