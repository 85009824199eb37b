/**
 * Polls `probe` until it answers something other than undefined (or false), and resolves to that;
 * fails after `timeoutMs` with `what` (a function, to describe the state last seen). A probe
 * that throws fails the wait, unless `retryOnError` (a server that may not answer yet).
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs: number; what: string | (() => string); pollMs?: number; retryOnError?: boolean },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const answer = Promise.resolve().then(probe);
    const value = await (options.retryOnError ? answer.catch(() => undefined) : answer);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      const what = typeof options.what === 'function' ? options.what() : options.what;
      throw new Error(`${what}: not within ${options.timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 50));
  }
}
