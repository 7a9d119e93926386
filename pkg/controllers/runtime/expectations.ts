/**
 * client-go's controller expectations: after a controller creates or deletes pods for an owner,
 * it must not act on that owner again until its informer has seen those changes, or a lagging
 * cache would make it create (or delete) twice. Expectations expire after 5 minutes, as upstream.
 */
export class Expectations {
  private readonly pending = new Map<string, { adds: number; dels: number; at: number }>();

  constructor(private readonly now: () => number = Date.now, private readonly ttlMs = 5 * 60_000) {}

  expect(key: string, adds: number, dels: number): void {
    this.pending.set(key, { adds, dels, at: this.now() });
  }

  /** Whether the owner may be reconciled: nothing outstanding, or the expectations expired. */
  satisfied(key: string): boolean {
    const e = this.pending.get(key);
    if (!e) return true;
    if ((e.adds <= 0 && e.dels <= 0) || this.now() - e.at > this.ttlMs) {
      this.pending.delete(key);
      return true;
    }
    return false;
  }

  observedAdd(key: string): void {
    const e = this.pending.get(key);
    if (e) e.adds--;
  }

  observedDel(key: string): void {
    const e = this.pending.get(key);
    if (e) e.dels--;
  }

  /** A create or delete that failed will never be observed. */
  lowerAdds(key: string, n = 1): void {
    const e = this.pending.get(key);
    if (e) e.adds -= n;
  }

  lowerDels(key: string, n = 1): void {
    const e = this.pending.get(key);
    if (e) e.dels -= n;
  }

  delete(key: string): void {
    this.pending.delete(key);
  }
}
