import { AsyncQueue } from "@mms/io";
import { MmsReportOverflowError } from "./errors";

/** What to do when a report arrives and the buffer is full. */
export type ReportOverflowPolicy = "drop-oldest" | "drop-newest" | "error";

/**
 * A bounded buffer of unconfirmed reports read by one async iterator at a time (an `AsyncQueue`
 * of `@mms/io` with an overflow policy). Overflow is explicit: `drop-oldest` and `drop-newest`
 * count what they dropped (`dropped`), `error` ends the iteration at once with
 * `MmsReportOverflowError` (the association stays up).
 */
export class ReportBuffer<T> implements AsyncIterable<T> {
  private readonly queue: AsyncQueue<T>;
  /** Reports dropped by the overflow policy so far. */
  dropped = 0;

  private readonly capacity: number;
  private readonly policy: ReportOverflowPolicy;

  constructor(capacity: number, policy: ReportOverflowPolicy) {
    this.capacity = capacity;
    this.policy = policy;
    // The producer (the association's reader) is never paused: the policy bounds the buffer.
    this.queue = new AsyncQueue<T>(capacity);
  }

  get size(): number {
    return this.queue.size;
  }

  push(value: T): void {
    if (this.queue.ended) return;
    if (this.queue.size >= this.capacity) {
      if (this.policy === "drop-newest") {
        this.dropped++;
        return;
      }
      if (this.policy === "error") {
        this.queue.abort(new MmsReportOverflowError(`more than ${this.capacity} unread InformationReports`));
        return;
      }
      this.queue.dropOldest();
      this.dropped++;
    }
    this.queue.push(value);
  }

  /** Ends the iteration after the buffered reports; with an error, at once (they are dropped). */
  end(error?: unknown): void {
    if (error === undefined) this.queue.end();
    else this.queue.abort(error);
  }

  next(): Promise<IteratorResult<T>> {
    return this.queue.next();
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.queue[Symbol.asyncIterator]();
  }
}
