/** A seeded PRNG (mulberry32): the same seed gives the same run, so a failure can be replayed. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Weighted choice: [weight, value] pairs. */
  weighted<T>(items: readonly (readonly [number, T])[]): T {
    let r = this.next() * items.reduce((n, [w]) => n + w, 0);
    for (const [w, v] of items) if ((r -= w) < 0) return v;
    return items[items.length - 1][1];
  }

  /**
   * Strings that probe parsers and validators: empty, huge, unicode, control bytes, path and selector syntax.
   * `short` keeps them fit for a URL (Node refuses request heads over 16 KiB with a bare 431).
   */
  string(short = false): string {
    return this.pick([
      () => '',
      () => 'x'.repeat(1 + this.int(300)),
      () => 'a'.repeat(short ? 1000 : 70000),
      () => 'fz-' + this.int(1e6),
      () => 'Bad_Name!',
      () => '../../etc/passwd',
      () => '\u0000\u0001\u007f',
      () => '💥🚀ñ',
      () => '\ud800',
      () => '-1',
      () => '1e309',
      () => 'null',
      () => '{"a":',
      () => 'app in (a,b),!c',
      () => '=,!=,in',
      () => '%00%ff',
      () => 'https://x',
      () => '*',
      () => '2024-13-45T99:99:99Z',
      () => '500m',
      () => '1Zi',
    ])();
  }

  /** A JSON value of a random type, shallow unless depth allows nesting. */
  value(depth = 2): unknown {
    const kinds = ['string', 'int', 'bigint', 'float', 'bool', 'null', ...(depth > 0 ? ['array', 'object'] : [])];
    switch (this.pick(kinds)) {
      case 'string': return this.string();
      case 'int': return this.pick([0, 1, -1, 2 ** 31, -(2 ** 31) - 1, 65536, 80]);
      case 'bigint': return this.pick([2 ** 53, 2 ** 63, -(2 ** 64), 1e308]);
      case 'float': return this.pick([0.5, -0.0001, 3.14159]);
      case 'bool': return this.chance(0.5);
      case 'null': return null;
      case 'array': return Array.from({ length: this.int(4) }, () => this.value(depth - 1));
      default: return Object.fromEntries(Array.from({ length: this.int(4) }, () => [this.pick(['name', 'x', '', 'metadata', 'spec', 'a.b/c']), this.value(depth - 1)]));
    }
  }
}
