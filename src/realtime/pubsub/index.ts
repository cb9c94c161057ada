/**
 * Picks the pub/sub implementation by config. It sits here, not next to the `PubSub` contract,
 * so that the implementations depend on the contract and nothing depends back on them.
 */
import type { Logger } from "../../observability/logger.js";
import { InProcessPubSub } from "./in-process-pub-sub.js";
import type { PubSub } from "./pub-sub.js";
import { RedisPubSub } from "./redis-pub-sub.js";

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
