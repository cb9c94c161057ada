/**
 * An event stream mapped (and filtered) one event at a time — the one shape both the subscription
 * streams (src/schema/subscriptions/deliveries.ts) and the WebSocket server's per-event execution
 * (src/server/ws/event-stream.ts) need.
 *
 * Hand-made rather than an async generator: graphql-ws ends a subscription with `return()`, which
 * must reach `source` at once — an async generator would queue it behind the `next()` that is
 * waiting for the next bank event, keeping the subscriber registered.
 */

/**
 * `source` with each event passed through `map`; an event `map` answers `undefined` for is skipped.
 * `return()` and `throw()` end `source` at once.
 */
export function mapEvents<T, R>(source: AsyncIterator<T>, map: (value: T) => Promise<R | undefined>): AsyncIterableIterator<R> {
  return {
    async next() {
      for (;;) {
        const event = await source.next();
        if (event.done) return { done: true, value: undefined };
        const mapped = await map(event.value);
        if (mapped !== undefined) return { done: false, value: mapped };
      }
    },
    async return() {
      await source.return?.();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
