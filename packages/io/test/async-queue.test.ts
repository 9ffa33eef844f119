import { describe, expect, it } from "vitest";
import { AsyncQueue } from "../src/index";

describe("AsyncQueue", () => {
  it("delivers pushed items in order, then ends", async () => {
    const q = new AsyncQueue<number>(4);
    q.push(1);
    q.push(2);
    q.end();
    const got: number[] = [];
    for await (const x of q) got.push(x);
    expect(got).toEqual([1, 2]);
  });

  it("hands an item straight to a waiting reader", async () => {
    const q = new AsyncQueue<string>(4);
    const p = q.next();
    expect(q.push("a")).toBe(true);
    expect(await p).toEqual({ value: "a", done: false });
    expect(q.size).toBe(0);
  });

  it("push returns false at the high-water mark and onDrain fires when the reader catches up", async () => {
    let drains = 0;
    const q = new AsyncQueue<number>(2, () => drains++);
    expect(q.push(1)).toBe(true);
    expect(q.push(2)).toBe(false);
    expect(q.push(3)).toBe(false);
    await q.next(); // 2 left: still at the mark
    expect(drains).toBe(0);
    await q.next(); // 1 left: below the mark
    expect(drains).toBe(1);
    await q.next();
    expect(drains).toBeGreaterThanOrEqual(2);
  });

  it("ending with an error delivers queued items first, then throws once", async () => {
    const q = new AsyncQueue<number>(4);
    q.push(7);
    const boom = new Error("boom");
    q.end(boom);
    expect(await q.next()).toEqual({ value: 7, done: false });
    await expect(q.next()).rejects.toBe(boom);
    expect(await q.next()).toEqual({ value: undefined, done: true });
  });

  it("an error end rejects a waiting reader once", async () => {
    const q = new AsyncQueue<number>(4);
    const p = q.next();
    const boom = new Error("boom");
    q.end(boom);
    await expect(p).rejects.toBe(boom);
    expect(await q.next()).toEqual({ value: undefined, done: true });
  });

  it("ignores pushes after end and a second end", async () => {
    const q = new AsyncQueue<number>(4);
    q.end();
    expect(q.push(1)).toBe(false);
    q.end(new Error("late"));
    expect(q.ended).toBe(true);
    expect(await q.next()).toEqual({ value: undefined, done: true });
  });

  it("breaking out of for-await ends the queue", async () => {
    const q = new AsyncQueue<number>(4);
    q.push(1);
    q.push(2);
    for await (const _ of q) break;
    expect(q.ended).toBe(true);
    expect(q.push(3)).toBe(false);
  });

  it("dropOldest removes the head and keeps order; false on an empty queue", async () => {
    const q = new AsyncQueue<number>(4);
    expect(q.dropOldest()).toBe(false);
    for (const i of [1, 2, 3]) q.push(i);
    expect(q.dropOldest()).toBe(true);
    expect(q.size).toBe(2);
    q.end();
    const got: number[] = [];
    for await (const x of q) got.push(x);
    expect(got).toEqual([2, 3]);
  });

  it("a queue that never drains stays bounded under push + dropOldest", () => {
    const q = new AsyncQueue<number>(8);
    for (let i = 0; i < 100_000; i++) {
      q.push(i);
      if (q.size > 8) q.dropOldest();
    }
    expect(q.size).toBe(8);
    // The backing array is compacted: it holds little more than twice the live items.
    const items = (q as unknown as { items: unknown[] }).items;
    expect(items.length).toBeLessThan(8 + 2 * 1100);
  });

  it("abort drops the queued items: the next read throws, once", async () => {
    const q = new AsyncQueue<number>(4);
    q.push(1);
    q.push(2);
    q.abort(new Error("overflow"));
    await expect(q.next()).rejects.toThrow("overflow");
    expect(await q.next()).toEqual({ value: undefined, done: true });
    expect(q.push(3)).toBe(false);
  });
});
