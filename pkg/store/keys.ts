// Key order is byte order of the UTF-8 encoding (SQLite's BINARY collation, etcd's order).
// JavaScript compares UTF-16 code units, which disagrees only for characters above U+FFFF versus
// U+E000–U+FFFF; remapping surrogates above the rest of the BMP fixes that without encoding.

function rank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/** Negative, zero or positive as `a` sorts before, equal to or after `b` in UTF-8 byte order. */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}

/**
 * The smallest string greater than every string starting with `prefix` (exclusive upper bound of
 * the prefix range), or undefined when there is none (the empty prefix).
 */
export function prefixEnd(prefix: string): string | undefined {
  let p = prefix;
  while (p.length > 0) {
    const n = p.length;
    const pair = n > 1 && isSurrogate(p.charCodeAt(n - 1), 0xdc00) && isSurrogate(p.charCodeAt(n - 2), 0xd800);
    const width = pair ? 2 : 1;
    const cp = p.codePointAt(n - width)!;
    p = p.slice(0, n - width);
    if (cp < 0x10ffff) return p + String.fromCodePoint(cp === 0xd7ff ? 0xe000 : cp + 1);
  }
  return undefined;
}

function isSurrogate(unit: number, base: 0xd800 | 0xdc00): boolean {
  return unit >= base && unit <= base + 0x3ff;
}

/** True when some key could be under both prefixes. */
export function prefixesOverlap(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

/** Index of the first element of sorted `keys` that is >= `key` (or > `key` when `exclusive`). */
export function lowerBound(keys: readonly string[], key: string, exclusive = false): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareKeys(keys[mid], key);
    if (c < 0 || (exclusive && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
