/**
 * Tells waiting readers that the log has grown past a position, without polling: each waiter
 * is a promise resolved by the commit that passes its position.
 */
export class LogNotifier {
  private head = 0n;
  private waiters = new Set<{ after: bigint; resolve: (reached: boolean) => void }>();
  private closed = false;

  advance(head: bigint): void {
    if (head <= this.head) return;
    this.head = head;
    for (const w of this.waiters) {
      if (head > w.after) {
        this.waiters.delete(w);
        w.resolve(true);
      }
    }
  }

  /** Resolves true once the log is beyond `after`; false when aborted or closed. */
  waitBeyond(after: bigint, signal?: AbortSignal): Promise<boolean> {
    if (this.head > after) return Promise.resolve(true);
    if (this.closed || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter = {
        after,
        resolve: (reached: boolean) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(reached);
        },
      };
      const onAbort = () => {
        this.waiters.delete(waiter);
        resolve(false);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
    });
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiters) w.resolve(false);
    this.waiters.clear();
  }
}
