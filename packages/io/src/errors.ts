/**
 * Raised when a transport is used after it closed (write after end/destroy, or a write still
 * waiting for buffer space when the connection went away).
 */
export class TransportClosedError extends Error {
  override readonly name: "TransportClosedError" = "TransportClosedError";
  readonly code: "transport-closed" = "transport-closed";

  constructor(message = "transport is closed", options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Raised when connecting or another transport step did not finish in time. */
export class TransportTimeoutError extends Error {
  override readonly name: "TransportTimeoutError" = "TransportTimeoutError";
  readonly code: "transport-timeout" = "transport-timeout";
}

/** Raised when a transport is used against its contract (e.g. a second reader). */
export class TransportUsageError extends Error {
  override readonly name: "TransportUsageError" = "TransportUsageError";
  readonly code: "transport-usage" = "transport-usage";
}
