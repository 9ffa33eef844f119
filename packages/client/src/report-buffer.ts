import { MmsReportOverflowError } from "./errors";

/** What to do when a report arrives and the buffer is full. */
export type ReportOverflowPolicy = "drop-oldest" | "drop-newest" | "error";

/**
 * A bounded buffer of unconfirmed reports read by one async iterator at a time. Overflow is
 * explicit: `drop-oldest` and `drop-newest` count what they dropped (`dropped`), `error` ends
 * the iteration with `MmsReportOverflowError` (the association stays up).
 */
export class ReportBuffer<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private head = 0;
  private waiter: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  private ended = false;
  private error: unknown;
  /** Reports dropped by the overflow policy so far. */
  dropped = 0;

  private readonly capacity: number;
  private readonly policy: ReportOverflowPolicy;

  constructor(capacity: number, policy: ReportOverflowPolicy) {
    this.capacity = capacity;
    this.policy = policy;
  }

  get size(): number {
    return this.items.length - this.head;
  }

  push(value: T): void {
    if (this.ended) return;
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w.resolve({ value, done: false });
      return;
    }
    if (this.size >= this.capacity) {
      if (this.policy === "drop-newest") {
        this.dropped++;
        return;
      }
      if (this.policy === "error") {
        this.end(new MmsReportOverflowError(`more than ${this.capacity} unread InformationReports`));
        return;
      }
      this.head++;
      this.dropped++;
    }
    this.items.push(value);
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.error = error;
    if (error !== undefined) {
      this.items = [];
      this.head = 0;
    }
    const w = this.waiter;
    this.waiter = undefined;
    if (!w) return;
    if (error !== undefined) {
      this.error = undefined;
      w.reject(error);
    } else w.resolve({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.head < this.items.length) {
      const value = this.items[this.head]!;
      this.items[this.head++] = undefined as T;
      if (this.head === this.items.length) {
        this.items = [];
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.ended) {
      if (this.error !== undefined) {
        const e = this.error;
        this.error = undefined;
        return Promise.reject(e);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => this.next(),
      return: (): Promise<IteratorResult<T>> => {
        this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
