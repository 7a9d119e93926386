import { describe, expect, it } from 'vitest';
import { encodePathElement, FieldSet, fieldPath, fromFieldsV1, keyElement, parsePathElement, toFieldsV1, type FieldPath } from '../../../pkg/api/fieldmanager/index.ts';

const containers = (name: string, ...rest: string[]): FieldPath => [...fieldPath('spec', 'containers'), keyElement([['name', name]]), ...fieldPath(...rest)];

describe('FieldSet', () => {
  it('holds only inserted paths, not their parents', () => {
    const s = FieldSet.of(fieldPath('spec', 'replicas'));
    expect(s.has(fieldPath('spec', 'replicas'))).toBe(true);
    expect(s.has(fieldPath('spec'))).toBe(false);
    expect(s.isEmpty()).toBe(false);
    expect(FieldSet.empty().isEmpty()).toBe(true);
  });

  it('unions, and subtracts exact paths (difference) or whole subtrees (recursiveDifference)', () => {
    const a = FieldSet.of(fieldPath('spec'), fieldPath('spec', 'replicas'), fieldPath('spec', 'paused'));
    const b = FieldSet.of(fieldPath('spec'));
    expect(a.difference(b).paths()).toEqual([fieldPath('spec', 'paused'), fieldPath('spec', 'replicas')]);
    expect(a.recursiveDifference(b).isEmpty()).toBe(true);
    expect(a.intersection(FieldSet.of(fieldPath('spec', 'paused'), fieldPath('status'))).paths()).toEqual([fieldPath('spec', 'paused')]);
    expect(b.union(FieldSet.of(fieldPath('metadata', 'labels'))).paths()).toEqual([fieldPath('metadata', 'labels'), fieldPath('spec')]);
    expect(a.difference(a).isEmpty()).toBe(true);
  });

  it('leaves its operands unchanged', () => {
    const a = FieldSet.of(fieldPath('a', 'b'));
    const before = a.toFieldsV1();
    a.union(FieldSet.of(fieldPath('a', 'c')));
    a.difference(FieldSet.of(fieldPath('a', 'b')));
    expect(a.toFieldsV1()).toEqual(before);
  });

  it('compares by content', () => {
    expect(FieldSet.of(fieldPath('x'), fieldPath('y')).equals(FieldSet.of(fieldPath('y'), fieldPath('x')))).toBe(true);
    expect(FieldSet.of(fieldPath('x')).equals(FieldSet.of(fieldPath('x', 'y')))).toBe(false);
  });
});

describe('toFieldsV1', () => {
  it('writes "." for a member with children, {} for a leaf, and sorts fields < keys < values < indexes', () => {
    const s = FieldSet.of(
      fieldPath('spec', 'finalizers'),
      [...fieldPath('spec', 'finalizers'), { value: 'b' }],
      [...fieldPath('spec', 'finalizers'), { value: 'a' }],
      containers('web'),
      containers('web', 'image'),
      containers('api', 'image'),
      [...fieldPath('spec', 'containers'), { index: 0 }],
      fieldPath('spec', 'containers', 'zzz'),
    );
    expect(JSON.stringify(toFieldsV1(s))).toBe(
      JSON.stringify({
        'f:spec': {
          'f:containers': { 'f:zzz': {}, 'k:{"name":"api"}': { 'f:image': {} }, 'k:{"name":"web"}': { '.': {}, 'f:image': {} }, 'i:0': {} },
          'f:finalizers': { '.': {}, 'v:"a"': {}, 'v:"b"': {} },
        },
      }),
    );
  });

  it('orders field names by code point, and numbers before strings in keys and values', () => {
    const s = FieldSet.of(fieldPath('b'), fieldPath('B'), fieldPath('a'), [...fieldPath('l'), { value: 'x' }], [...fieldPath('l'), { value: 10 }], [...fieldPath('l'), { value: 9 }]);
    expect(Object.keys(toFieldsV1(s))).toEqual(['f:B', 'f:a', 'f:b', 'f:l']);
    expect(Object.keys(toFieldsV1(s)['f:l'] as object)).toEqual(['v:9', 'v:10', 'v:"x"']);
  });
});

describe('fromFieldsV1', () => {
  it('round-trips upstream FieldsV1', () => {
    const json = {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} }, 'f:ownerReferences': { '.': {}, 'k:{"uid":"4a5c"}': {} } },
      'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:targetPort': {} } } },
    };
    const s = fromFieldsV1(json);
    expect(s.has(fieldPath('metadata', 'labels'))).toBe(true);
    expect(s.has(fieldPath('spec', 'ports'))).toBe(false);
    expect(s.has([...fieldPath('spec', 'ports'), keyElement([['protocol', 'TCP'], ['port', 80]]), ...fieldPath('targetPort')])).toBe(true);
    expect(JSON.stringify(s.toFieldsV1())).toBe(JSON.stringify(json));
  });

  it('rejects what is not FieldsV1', () => {
    expect(() => fromFieldsV1([])).toThrow();
    expect(() => fromFieldsV1({ 'x:y': {} })).toThrow();
    expect(() => fromFieldsV1({ '.': {} })).toThrow();
    expect(() => fromFieldsV1({ 'k:[1]': {} })).toThrow();
  });
});

describe('encodePathElement', () => {
  it('writes key fields sorted by name and values as Go does (HTML-safe)', () => {
    expect(encodePathElement(keyElement([['protocol', 'TCP'], ['containerPort', 80]]))).toBe('k:{"containerPort":80,"protocol":"TCP"}');
    expect(encodePathElement({ value: 'a<b>&c' })).toBe('v:"a\\u003cb\\u003e\\u0026c"');
    expect(parsePathElement('v:"a\\u003cb"')).toEqual({ value: 'a<b' });
    expect(parsePathElement('i:3')).toEqual({ index: 3 });
  });
});
