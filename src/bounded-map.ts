/**
 * A Map that never holds more than `maxEntries`. The gateway's in-process caches and memos
 * (verified tokens, bank answers, grants, cost estimates, row hashes, access-log chain tips) keep
 * what they can without growing with the number of people, tokens or documents seen; one class, so
 * the rule for what goes first is one rule, not one copy per cache.
 *
 * What goes first is the key set longest ago: `set` puts its key last in Map order (also a key
 * already there), and one more than `maxEntries` drops the first key, telling `onEvict`. A cache
 * that wants least-recently-used sets an entry again when it uses it; reading alone does not
 * reorder, so a memo pays nothing on a hit.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  /**
   * @param maxEntries most entries held, a whole number ≥ 1.
   * @param onEvict told of each entry dropped to make room (not of `delete` or `clear`).
   */
  constructor(
    readonly maxEntries: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {
    super();
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`BoundedMap holds a whole number ≥ 1 of entries, not ${maxEntries}`);
  }

  override set(key: K, value: V): this {
    super.delete(key);
    super.set(key, value);
    if (this.size > this.maxEntries) {
      const [oldestKey, oldestValue] = super.entries().next().value!;
      super.delete(oldestKey);
      this.onEvict?.(oldestKey, oldestValue);
    }
    return this;
  }
}
