/**
 * A bounded map evicting the least recently used entry. Hits only stamp the entry (no
 * re-insertion: cache hits are on the dispatch hot path); eviction scans for the oldest stamp,
 * which happens only when an insertion exceeds the capacity.
 */
export class LruCache<K, V> {
  private readonly map = new Map<K, { value: V; stamp: number }>();
  private clock = 0;
  constructor(public capacity: number) {}
  get size(): number {
    return this.map.size;
  }
  get(k: K): V | undefined {
    const e = this.map.get(k);
    if (e === undefined) return undefined;
    e.stamp = ++this.clock;
    return e.value;
  }
  set(k: K, v: V): void {
    const e = this.map.get(k);
    if (e) {
      e.value = v;
      e.stamp = ++this.clock;
      return;
    }
    this.map.set(k, { value: v, stamp: ++this.clock });
    while (this.map.size > this.capacity) this.evictOldest();
  }
  private evictOldest(): void {
    let oldest: K | undefined;
    let min = Infinity;
    for (const [k, e] of this.map) {
      if (e.stamp < min) {
        min = e.stamp;
        oldest = k;
      }
    }
    this.map.delete(oldest as K);
  }
  delete(k: K): boolean {
    return this.map.delete(k);
  }
  clear(): void {
    this.map.clear();
  }
  keys(): IterableIterator<K> {
    return this.map.keys();
  }
}
