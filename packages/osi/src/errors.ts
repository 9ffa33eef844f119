import type { ByteChain } from "@mms/io";

/** The OSI upper layer a protocol error belongs to. */
export type OsiLayer = "session" | "presentation" | "acse";

/**
 * A peer violated the session, presentation or ACSE protocol (a malformed SPDU/PPDU/APDU, or one
 * that is not allowed in the current state). Decoders of peer bytes throw only this error; the
 * machines catch it, queue the reply the standard prescribes (`reply`: an AB SPDU carrying an
 * ARP-PPDU or an ABRT, or an RF) and report it. `code` is stable; the message is for humans.
 */
export class OsiProtocolError extends Error {
  override readonly name: string = "OsiProtocolError";
  readonly code: string;
  readonly layer: OsiLayer;
  /** What was (or is to be) sent to the peer in answer, when anything. */
  reply: ByteChain | undefined;

  constructor(layer: OsiLayer, code: string, message: string, options?: { cause?: unknown }) {
    super(`${layer}: ${message}`, options);
    this.layer = layer;
    this.code = code;
    this.reply = undefined;
  }
}

/**
 * Local misuse of a machine: a service primitive called in a state where it is not allowed, or
 * a value that cannot be sent (user data too long). Our caller's bug, never the peer's.
 */
export class OsiUsageError extends Error {
  override readonly name: string = "OsiUsageError";
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}
