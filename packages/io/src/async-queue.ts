/**
 * A bounded single-consumer queue (one pending `next()` at a time) that turns pushed values into an async iterable. `push`
 * returns false when the queue holds `highWaterMark` or more items: the producer then pauses
 * until `onDrain` fires. Ending with an error makes the consumer's next read throw it.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private head = 0;
  private waiter: ((r: IteratorResult<T>) => void) | undefined;
  private waiterReject: ((e: unknown) => void) | undefined;
  private done = false;
  private error: unknown;
  private readonly highWaterMark: number;
  private readonly onDrain: (() => void) | undefined;

  constructor(highWaterMark = 16, onDrain?: () => void) {
    this.highWaterMark = highWaterMark;
    this.onDrain = onDrain;
  }

  get size(): number {
    return this.items.length - this.head;
  }

  get ended(): boolean {
    return this.done;
  }

  push(value: T): boolean {
    if (this.done) return false;
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      this.waiterReject = undefined;
      w({ value, done: false });
      return true;
    }
    this.items.push(value);
    return this.size < this.highWaterMark;
  }

  /** Removes and returns the queued items (for a consumer switching to synchronous delivery). */
  takeQueued(): T[] {
    const out = this.items.slice(this.head);
    this.items.length = 0;
    this.head = 0;
    return out;
  }

  /**
   * Removes the oldest queued item (a consumer's overflow policy); false when none is queued.
   * The consumed prefix of the array is compacted now and then, so a queue that never drains
   * does not grow.
   */
  dropOldest(): boolean {
    if (this.head >= this.items.length) return false;
    this.items[this.head++] = undefined as T;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    return true;
  }

  /** Ends the iteration at once with `error`: queued items are dropped, the next read throws it. */
  abort(error: unknown): void {
    if (this.done) return;
    this.items.length = 0;
    this.head = 0;
    this.end(error);
  }

  /** Ends the iteration after the queued items; with an error, the next read throws it. */
  end(error?: unknown): void {
    if (this.done) return;
    this.done = true;
    this.error = error;
    if (this.size === 0) this.settleWaiter();
  }

  private settleWaiter(): void {
    const w = this.waiter;
    const rej = this.waiterReject;
    this.waiter = undefined;
    this.waiterReject = undefined;
    if (!w) return;
    if (this.error !== undefined) {
      const e = this.error;
      this.error = undefined;
      rej?.(e);
    } else w({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.head < this.items.length) {
      const value = this.items[this.head]!;
      this.items[this.head++] = undefined as T;
      if (this.head === this.items.length) {
        this.items.length = 0;
        this.head = 0;
      }
      if (this.size === this.highWaterMark - 1 || this.size === 0) this.onDrain?.();
      return Promise.resolve({ value, done: false });
    }
    if (this.done) {
      if (this.error !== undefined) {
        const e = this.error;
        this.error = undefined;
        return Promise.reject(e);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    this.onDrain?.();
    return new Promise((resolve, reject) => {
      this.waiter = resolve;
      this.waiterReject = reject;
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
