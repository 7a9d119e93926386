// One step of a field path, as structured-merge-diff names them, and the text FieldsV1 keys use:
// `f:<field>`, `k:<key fields as JSON>`, `v:<value as JSON>`, `i:<index>`.

/** A struct field or map key; an associative-list item by its key fields; a set member; a list index. */
export type PathElement =
  | { readonly field: string }
  /** Key fields sorted by name, as upstream sorts them before serialising. */
  | { readonly key: readonly (readonly [string, unknown])[] }
  | { readonly value: unknown }
  | { readonly index: number };

export type FieldPath = readonly PathElement[];

export const field = (name: string): PathElement => ({ field: name });

/** `['spec', 'replicas']` → the path of `.spec.replicas`. */
export const fieldPath = (...names: string[]): FieldPath => names.map(field);

export function keyElement(fields: Iterable<readonly [string, unknown]>): PathElement {
  return { key: [...fields].sort((a, b) => compareStrings(a[0], b[0])) };
}

/** The FieldsV1 key of `pe`; also its identity inside a set. */
export function encodePathElement(pe: PathElement): string {
  if ('field' in pe) return `f:${pe.field}`;
  if ('key' in pe) return `k:{${pe.key.map(([n, v]) => `${goJson(n)}:${goJson(v)}`).join(',')}}`;
  if ('value' in pe) return `v:${goJson(pe.value)}`;
  return `i:${pe.index}`;
}

/** Inverse of encodePathElement; throws on anything else. */
export function parsePathElement(text: string): PathElement {
  const body = text.slice(2);
  switch (text.slice(0, 2)) {
    case 'f:':
      return { field: body };
    case 'k:': {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`invalid key path element ${JSON.stringify(text)}`);
      return keyElement(Object.entries(parsed));
    }
    case 'v:':
      return { value: JSON.parse(body) as unknown };
    case 'i:':
      if (!/^\d+$/.test(body)) throw new Error(`invalid index path element ${JSON.stringify(text)}`);
      return { index: Number(body) };
  }
  throw new Error(`unknown path element ${JSON.stringify(text)}`);
}

/** structured-merge-diff's order of path elements: fields, then keys, then values, then indexes. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  const rank = (pe: PathElement) => ('field' in pe ? 0 : 'key' in pe ? 1 : 'value' in pe ? 2 : 3);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if ('field' in a && 'field' in b) return compareStrings(a.field, b.field);
  if ('key' in a && 'key' in b) {
    for (let i = 0; ; i++) {
      if (i >= a.key.length || i >= b.key.length) return a.key.length - b.key.length;
      const c = compareStrings(a.key[i][0], b.key[i][0]) || compareValues(a.key[i][1], b.key[i][1]);
      if (c) return c;
    }
  }
  if ('value' in a && 'value' in b) return compareValues(a.value, b.value);
  return (a as { index: number }).index - (b as { index: number }).index;
}

/** Go's strings.Compare: byte order of UTF-8, which is code point order (not UTF-16 unit order). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d) return d;
  }
}

/** structured-merge-diff's total order of values: numbers < strings < booleans < lists < maps < null. */
function compareValues(a: unknown, b: unknown): number {
  const rank = (v: unknown) => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : typeof v === 'boolean' ? 2 : Array.isArray(v) ? 3 : v !== null && typeof v === 'object' ? 4 : 5);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return Math.sign((a as number) - (b as number));
    case 1:
      return compareStrings(a as string, b as string);
    case 2:
      return Number(a) - Number(b);
    case 3: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareValues(x[i], y[i]);
        if (c) return c;
      }
      return x.length - y.length;
    }
    case 4: {
      const x = sortedEntries(a as Record<string, unknown>);
      const y = sortedEntries(b as Record<string, unknown>);
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareStrings(x[i][0], y[i][0]) || compareValues(x[i][1], y[i][1]);
        if (c) return c;
      }
      return x.length - y.length;
    }
  }
  return 0;
}

const sortedEntries = (o: Record<string, unknown>) => Object.entries(o).sort((a, b) => compareStrings(a[0], b[0]));

// Go's encoder (HTML-safe, as jsoniter's standard-library mode) escapes these; keys must match byte for byte.
const GO_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** JSON as Go writes it inside FieldsV1 keys: sorted map keys, HTML-safe strings. */
export function goJson(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c]);
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${sortedEntries(v as Record<string, unknown>).map(([k, x]) => `${goJson(k)}:${goJson(x)}`).join(',')}}`;
  return JSON.stringify(v ?? null);
}
