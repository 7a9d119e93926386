import { describe, expect, it } from 'vitest';
import { compareKeys, lowerBound, prefixEnd } from '../../pkg/store/keys.ts';

const utf8 = (a: string, b: string): number => Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
const samples = ['', 'a', 'ab', 'b', 'Z', '/', '/registry/pods/', '/registry/pods0', 'é', '\uE000', '\uFFFD', '\uFFFF', '\u{1F600}', '\u{10FFFF}', 'a\u{10FFFF}', '\uD7FF'];

describe('compareKeys', () => {
  it('orders like the UTF-8 bytes (SQLite BINARY, etcd)', () => {
    for (const a of samples) for (const b of samples) expect(Math.sign(compareKeys(a, b)), `${a} vs ${b}`).toBe(utf8(a, b));
  });
});

describe('prefixEnd', () => {
  it('bounds exactly the strings that start with the prefix', () => {
    for (const p of samples.filter((x) => x !== '')) {
      const end = prefixEnd(p);
      for (const k of samples.flatMap((s) => [s, p + s])) {
        const inside = end === undefined ? compareKeys(k, p) >= 0 : compareKeys(k, p) >= 0 && compareKeys(k, end) < 0;
        expect(inside, `${JSON.stringify(k)} under ${JSON.stringify(p)}`).toBe(k.startsWith(p));
      }
    }
    expect(prefixEnd('')).toBeUndefined();
    expect(prefixEnd('\u{10FFFF}')).toBeUndefined();
    expect(prefixEnd('/a/')).toBe('/a0');
  });
});

describe('lowerBound', () => {
  it('finds inclusive and exclusive insertion points', () => {
    const keys = ['/a', '/b', '/c'];
    expect(lowerBound(keys, '/b')).toBe(1);
    expect(lowerBound(keys, '/b', true)).toBe(2);
    expect(lowerBound(keys, '/0')).toBe(0);
    expect(lowerBound(keys, '/d')).toBe(3);
  });
});
