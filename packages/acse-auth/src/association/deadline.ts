import { AssociationTimeoutError } from "../errors";

/**
 * Runs `work` with an optional timeout and abort signal; on either, `onCancel` tears the
 * transport down (which makes `work` settle) and the returned promise rejects.
 */
export async function withDeadline<T>(
  work: Promise<T>,
  timeoutMs: number | undefined,
  signal: AbortSignal | undefined,
  onCancel: (reason: Error) => void,
): Promise<T> {
  if (timeoutMs === undefined && !signal) return work;
  if (signal?.aborted) {
    const reason = signal.reason instanceof Error ? signal.reason : new Error("aborted");
    onCancel(reason);
    work.catch(() => undefined);
    throw reason;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const cancelled = new Promise<never>((_, reject) => {
    if (timeoutMs !== undefined)
      timer = setTimeout(() => {
        const e = new AssociationTimeoutError(`no answer within ${timeoutMs} ms`);
        onCancel(e);
        reject(e);
      }, timeoutMs);
    if (signal) {
      onAbort = () => {
        const reason = signal.reason instanceof Error ? signal.reason : new Error("aborted");
        onCancel(reason);
        reject(reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
    }
  });
  try {
    return await Promise.race([work, cancelled]);
  } finally {
    if (timer) clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
    work.catch(() => undefined);
  }
}
