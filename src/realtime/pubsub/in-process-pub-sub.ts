/**
 * Pub/sub inside one process: the default, for a single gateway instance. Messages are handed
 * over as they are (no serialization), so publishers must not mutate a message once published.
 */
import type { PubSub } from "./pub-sub.js";
import { TopicFanOut } from "./topic-fan-out.js";

export class InProcessPubSub<T> implements PubSub<T> {
  private readonly fanOut = new TopicFanOut<T>();

  async publish(topic: string, message: T): Promise<void> {
    this.fanOut.deliver(topic, message);
  }

  subscribe(topic: string): Promise<AsyncIterableIterator<T>> {
    return this.fanOut.subscribe(topic);
  }

  subscriberCount(topic: string): number {
    return this.fanOut.count(topic);
  }

  close(): Promise<void> {
    return this.fanOut.closeAll();
  }
}
