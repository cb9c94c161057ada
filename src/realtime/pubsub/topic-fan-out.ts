/**
 * Local subscribers per topic, shared by both pub/sub implementations: delivers a message to this
 * instance's subscribers of a topic, and tells the owner when a topic gains its first subscriber
 * or loses its last (Redis subscribes / unsubscribes the channel then). Those two hooks run one at
 * a time per topic, so a quick unsubscribe-resubscribe can never leave the channel unsubscribed.
 */
import { EventEmitter, on } from "node:events";

/** Called when a topic gains its first or loses its last local subscriber. */
export interface TopicHooks {
  first?(topic: string): Promise<void>;
  last?(topic: string): Promise<void>;
}

export class TopicFanOut<T> {
  private readonly emitter = new EventEmitter();
  private readonly counts = new Map<string, number>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly open = new Set<AsyncIterableIterator<T>>();

  constructor(private readonly hooks: TopicHooks = {}) {
    // One listener per subscription: thousands on a busy topic are normal, not a leak.
    this.emitter.setMaxListeners(0);
  }

  /** Hands a message to this instance's subscribers of the topic. */
  deliver(topic: string, message: T): void {
    this.emitter.emit(topic, message);
  }

  count(topic: string): number {
    return this.counts.get(topic) ?? 0;
  }

  async subscribe(topic: string): Promise<AsyncIterableIterator<T>> {
    const abort = new AbortController();
    // Registered before the hook runs, so nothing published once it resolves is missed.
    const source = on(this.emitter, topic, { signal: abort.signal }) as AsyncIterableIterator<[T]>;
    const count = this.count(topic) + 1;
    this.counts.set(topic, count);
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      this.open.delete(iterator);
      abort.abort();
      const left = this.count(topic) - 1;
      if (left > 0) this.counts.set(topic, left);
      else this.counts.delete(topic);
      if (left === 0) await this.serialize(topic, () => (this.count(topic) === 0 ? this.hooks.last?.(topic) : undefined));
    };
    const iterator: AsyncIterableIterator<T> = {
      async next() {
        try {
          const result = await source.next();
          return result.done ? { done: true, value: undefined } : { done: false, value: result.value[0] };
        } catch (error) {
          // The abort that `return()` causes ends the iteration; anything else is a real error.
          if (abort.signal.aborted) return { done: true, value: undefined };
          throw error;
        }
      },
      async return() {
        await release();
        return { done: true, value: undefined };
      },
      async throw(error?: unknown) {
        await release();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    this.open.add(iterator);
    try {
      if (count === 1) await this.serialize(topic, () => (this.count(topic) > 0 ? this.hooks.first?.(topic) : undefined));
      else await this.chains.get(topic);
    } catch (error) {
      await iterator.return!();
      throw error;
    }
    return iterator;
  }

  /** Ends every open subscription. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.open].map((iterator) => iterator.return!()));
  }

  private serialize(topic: string, work: () => Promise<void> | undefined): Promise<void> {
    const previous = this.chains.get(topic) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.chains.set(topic, next);
    void next
      .finally(() => {
        if (this.chains.get(topic) === next) this.chains.delete(topic);
      })
      .catch(() => undefined);
    return next;
  }
}
