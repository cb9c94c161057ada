/**
 * The one pub/sub contract real-time delivery needs. Two implementations: in-process (one
 * gateway) and Redis (N gateway instances: a message published on one instance reaches the
 * subscribers on every instance, each exactly once). `createPubSub` picks by config.
 */
import type { Logger } from "../../observability/logger.js";
import { InProcessPubSub } from "./in-process-pub-sub.js";
import { RedisPubSub } from "./redis-pub-sub.js";

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

/** Options for {@link createPubSub}. */
export interface PubSubOptions {
  /** Redis URL; without one, pub/sub stays in this process. */
  redisUrl?: string;
  /** Channel prefix in Redis. Default `bankgraph:realtime:`. */
  channelPrefix?: string;
  logger: Logger;
}

/** In-process by default; Redis when a URL is given. */
export function createPubSub<T>({ redisUrl, channelPrefix, logger }: PubSubOptions): PubSub<T> {
  return redisUrl ? new RedisPubSub<T>({ url: redisUrl, channelPrefix, logger }) : new InProcessPubSub<T>();
}
