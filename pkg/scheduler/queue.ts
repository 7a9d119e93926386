/**
 * The scheduler's active queue: pod keys handed out highest priority first and, within one
 * priority, in the order they came (upstream's activeQ orders by priority, then by time added).
 * Adding a key that is queued already keeps its place unless its priority changed.
 */
export class PriorityQueue {
  private readonly priorityOf = new Map<string, number>();
  private readonly buckets = new Map<number, Set<string>>();
  /** Priorities that have a bucket, highest first. */
  private order: number[] = [];

  get size(): number {
    return this.priorityOf.size;
  }

  has(key: string): boolean {
    return this.priorityOf.has(key);
  }

  add(key: string, priority: number): void {
    const was = this.priorityOf.get(key);
    if (was === priority) return;
    if (was !== undefined) this.delete(key);
    this.priorityOf.set(key, priority);
    let bucket = this.buckets.get(priority);
    if (!bucket) {
      this.buckets.set(priority, (bucket = new Set()));
      let i = 0;
      while (i < this.order.length && this.order[i]! > priority) i++;
      this.order.splice(i, 0, priority);
    }
    bucket.add(key);
  }

  delete(key: string): void {
    const p = this.priorityOf.get(key);
    if (p === undefined) return;
    this.priorityOf.delete(key);
    const bucket = this.buckets.get(p)!;
    bucket.delete(key);
    if (!bucket.size) {
      this.buckets.delete(p);
      this.order = this.order.filter((x) => x !== p);
    }
  }

  /** The next key (removed from the queue), or undefined when empty. */
  pop(): string | undefined {
    const p = this.order[0];
    if (p === undefined) return undefined;
    const key = this.buckets.get(p)!.values().next().value!;
    this.delete(key);
    return key;
  }
}
