/** A small LRU map (Map keeps insertion order; a hit re-inserts). */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  constructor(public capacity: number) {}
  get size(): number {
    return this.map.size;
  }
  get(k: K): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: K, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
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
