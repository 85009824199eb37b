import type { EventStore } from '@kundportal/eventstore';

/**
 * The log as a projection runner reads it, with a hook that runs as the runner asks its
 * subscription for the next event: for specs that need something to happen while the feed is in
 * the middle of reading a batch.
 */
export function observedLog(events: EventStore): { store: EventStore; onNextRead: (hook: () => void) => void; clear: () => void } {
  let hook: (() => void) | undefined;
  const store: EventStore = Object.create(events);
  store.subscribeToAll = (options) => {
    const subscription = events.subscribeToAll(options);
    const inner = subscription[Symbol.asyncIterator]();
    return {
      unsubscribe: () => subscription.unsubscribe(),
      [Symbol.asyncIterator]: () => ({
        next: () => {
          const run = hook;
          hook = undefined;
          run?.();
          return inner.next();
        },
        return: (value?: unknown) => inner.return?.(value) ?? Promise.resolve({ done: true as const, value: undefined }),
      }),
    };
  };
  return { store, onNextRead: (h) => (hook = h), clear: () => (hook = undefined) };
}
