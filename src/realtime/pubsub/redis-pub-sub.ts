/**
 * Pub/sub over Redis (ioredis), for N gateway instances: each instance publishes on one
 * connection and listens on a second (a Redis connection in subscriber mode can do nothing else).
 * An instance SUBSCRIBEs a channel only while it has local subscribers of that topic, and fans each
 * message out to them itself, so every subscriber gets a message exactly once.
 *
 * Messages travel as V8 structured-clone bytes: Dates and bigints arrive as they were sent. Every
 * instance runs the same code and Redis is trusted infrastructure, so no schema is needed here.
 */
import { Redis } from "ioredis";
import { deserialize, serialize } from "node:v8";
import type { Logger } from "../../observability/logger.js";
import type { PubSub } from "./pub-sub.js";
import { TopicFanOut } from "./topic-fan-out.js";

/** Options for {@link RedisPubSub}. */
export interface RedisPubSubOptions {
  url: string;
  /** Default `bankgraph:realtime:`. */
  channelPrefix?: string;
  logger: Logger;
}

export class RedisPubSub<T> implements PubSub<T> {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly prefix: string;
  private readonly fanOut: TopicFanOut<T>;

  constructor({ url, channelPrefix = "bankgraph:realtime:", logger }: RedisPubSubOptions) {
    this.prefix = channelPrefix;
    // Both connections log and reconnect on their own; an 'error' listener keeps a Redis outage from crashing the process.
    this.publisher = new Redis(url, { maxRetriesPerRequest: 3, connectionName: "bankgraph-publish" });
    this.subscriber = new Redis(url, { connectionName: "bankgraph-subscribe" });
    for (const connection of [this.publisher, this.subscriber]) {
      connection.on("error", (error: Error) => logger.warn({ err: error }, "redis pub/sub connection error"));
    }
    this.fanOut = new TopicFanOut<T>({
      first: async (topic) => {
        await this.subscriber.subscribe(this.channel(topic));
      },
      last: async (topic) => {
        await this.subscriber.unsubscribe(this.channel(topic));
      },
    });
    this.subscriber.on("messageBuffer", (channel: Buffer, message: Buffer) => {
      const name = channel.toString();
      if (!name.startsWith(this.prefix)) return;
      let decoded: T;
      try {
        decoded = deserialize(message) as T;
      } catch (error) {
        logger.error({ err: error, channel: name }, "unreadable pub/sub message dropped");
        return;
      }
      this.fanOut.deliver(name.slice(this.prefix.length), decoded);
    });
  }

  async publish(topic: string, message: T): Promise<void> {
    await this.publisher.publish(this.channel(topic), serialize(message));
  }

  subscribe(topic: string): Promise<AsyncIterableIterator<T>> {
    return this.fanOut.subscribe(topic);
  }

  subscriberCount(topic: string): number {
    return this.fanOut.count(topic);
  }

  async close(): Promise<void> {
    await this.fanOut.closeAll();
    await Promise.all([this.publisher, this.subscriber].map(end));
  }

  private channel(topic: string): string {
    return `${this.prefix}${topic}`;
  }
}

/** QUIT politely, but never wait on a Redis that is gone: after a second, just drop the connection. */
async function end(connection: Redis): Promise<void> {
  const patience = new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref());
  await Promise.race([
    connection.quit().then(
      () => undefined,
      () => undefined,
    ),
    patience,
  ]);
  connection.disconnect();
}
