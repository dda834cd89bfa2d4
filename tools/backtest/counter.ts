/**
 * Counts per key in bounded memory (lossy counting): past `capacity` keys,
 * the keys seen least are dropped and `error` says by how much any count may
 * be low. With fewer distinct keys than `capacity` (the usual case for
 * actors and principals), counts are exact.
 */
export class BoundedCounter {
  private readonly counts = new Map<string, number>();
  private floor = 0;

  constructor(private readonly capacity = 10_000) {}

  add(key: string, n = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? this.floor) + n);
    if (this.counts.size > this.capacity) {
      this.floor += 1;
      for (const [k, v] of this.counts) if (v <= this.floor) this.counts.delete(k);
    }
  }

  /** The largest counts first, ties by key. */
  top(n: number): [string, number][] {
    return [...this.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, n);
  }

  /** 0 when exact. */
  get error(): number {
    return this.floor;
  }

  entries(): IterableIterator<[string, number]> {
    return this.counts.entries();
  }
}
