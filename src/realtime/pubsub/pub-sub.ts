/**
 * The one pub/sub contract real-time delivery needs. Two implementations: in-process (one
 * gateway) and Redis (N gateway instances: a message published on one instance reaches the
 * subscribers on every instance, each exactly once). `createPubSub` (`./index.ts`) picks by config.
 */

/** Publish to a topic; subscribe to a topic as an async iterator. */
export interface PubSub<T> {
  /** Sends to every current subscriber of the topic, on every instance. */
  publish(topic: string, message: T): Promise<void>;
  /**
   * Subscribes. Resolves once the subscription is live: anything published after that is
   * delivered. `return()` on the iterator unsubscribes at once (also while a `next()` waits).
   */
  subscribe(topic: string): Promise<AsyncIterableIterator<T>>;
  /** Subscribers of the topic on this instance (for readiness checks and tests). */
  subscriberCount(topic: string): number;
  /** Ends every subscription and releases connections. */
  close(): Promise<void>;
}
