import { describe, expect, it } from 'vitest';
import { applyDefaults, prune, validateAgainstSchema, type Schema } from '../../../pkg/api/crd/index.ts';

const lines = (errs: { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

describe('validateAgainstSchema', () => {
  const schema: Schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        required: ['name'],
        properties: {
          name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
          count: { type: 'integer', minimum: 1, exclusiveMaximum: true, maximum: 10 },
          ratio: { type: 'number', multipleOf: 0.5 },
          when: { type: 'string', format: 'date-time' },
          ip: { type: 'string', format: 'ipv4' },
          flag: { type: 'boolean' },
          tags: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string', enum: ['a', 'b'] } },
          port: { 'x-kubernetes-int-or-string': true },
          note: { type: 'string', nullable: true },
          labels: { type: 'object', maxProperties: 1, additionalProperties: { type: 'string' } },
          ports: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['port'], items: { type: 'object', properties: { port: { type: 'integer' } } } },
          template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    },
  };

  it('accepts a conforming object', () => {
    const ok = { spec: { name: 'abc', count: 9, ratio: 1.5, when: '2024-02-29T10:00:00Z', ip: '10.0.0.1', flag: true, tags: ['a'], port: 'http', note: null, labels: { a: 'b' }, ports: [{ port: 1 }, { port: 2 }], template: { apiVersion: 'v1', kind: 'Pod' } } };
    expect(validateAgainstSchema(ok, schema)).toEqual([]);
    expect(validateAgainstSchema({ spec: { name: 'ab', port: 80 } }, schema)).toEqual([]);
  });

  it('reports each violation on its go-openapi path, worded as upstream', () => {
    const bad = { spec: { name: 'ABCDEF', count: 10, ratio: 0.7, when: '2023-02-29T10:00:00Z', ip: '300.1.1.1', flag: 'yes', tags: ['c', 'a', 'b'], port: 1.5, labels: { a: 'b', c: 1 }, ports: [{ port: 1 }, { port: 1 }], template: {} } };
    expect(lines(validateAgainstSchema(bad, schema))).toEqual([
      'spec.name: Too long: may not be more than 5 bytes',
      "spec.name: Invalid value: \"ABCDEF\": spec.name in body should match '^[a-z]+$'",
      'spec.count: Invalid value: 10: spec.count in body should be less than 10',
      'spec.ratio: Invalid value: 0.7: spec.ratio in body should be a multiple of 0.5',
      'spec.when: Invalid value: "2023-02-29T10:00:00Z": spec.when in body must be of type date-time: "2023-02-29T10:00:00Z"',
      'spec.ip: Invalid value: "300.1.1.1": spec.ip in body must be of type ipv4: "300.1.1.1"',
      'spec.flag: Invalid value: "string": spec.flag in body must be of type boolean: "string"',
      'spec.tags: Too many: 3: must have at most 2 items',
      'spec.tags.0: Unsupported value: "c": supported values: "a", "b"',
      'spec.port: Invalid value: "number": spec.port in body must be of type integer,string: "number"',
      'spec.labels: Too many: 2: must have at most 1 item',
      'spec.labels.c: Invalid value: "integer": spec.labels.c in body must be of type string: "integer"',
      'spec.ports[1]: Duplicate value: map[port:1]',
      'spec.template.apiVersion: Required value: must not be empty',
      'spec.template.kind: Required value: must not be empty',
    ]);
    expect(lines(validateAgainstSchema({ spec: { name: 'a', tags: [] } }, schema))).toEqual([
      'spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long',
      'spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items',
    ]);
    expect(lines(validateAgainstSchema({ spec: { count: 0 } }, schema))).toEqual([
      'spec.name: Required value',
      'spec.count: Invalid value: 0: spec.count in body should be greater than or equal to 1',
    ]);
  });
});

describe('applyDefaults', () => {
  const schema: Schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        default: {},
        properties: {
          replicas: { type: 'integer', default: 1 },
          mode: { type: 'string', default: 'fast' },
          keep: { type: 'string', nullable: true, default: 'x' },
          gone: { type: 'string' },
          items: { type: 'array', items: { type: 'object', properties: { weight: { type: 'integer', default: 5 } } } },
          byName: { type: 'object', additionalProperties: { type: 'object', properties: { on: { type: 'boolean', default: true } } } },
        },
      },
    },
  };

  it('fills absent fields outside-in, through lists and maps', () => {
    const obj: any = { metadata: {} };
    applyDefaults(obj, schema);
    expect(obj.spec).toEqual({ replicas: 1, mode: 'fast', keep: 'x' });
    const more: any = { spec: { replicas: 3, items: [{}, { weight: 1 }], byName: { a: {} } } };
    applyDefaults(more, schema);
    expect(more.spec).toEqual({ replicas: 3, mode: 'fast', keep: 'x', items: [{ weight: 5 }, { weight: 1 }], byName: { a: { on: true } } });
  });

  it('defaults a null non-nullable field, keeps a nullable null and drops a null without default', () => {
    const obj: any = { spec: { replicas: null, keep: null, gone: null } };
    applyDefaults(obj, schema);
    expect(obj.spec).toEqual({ replicas: 1, mode: 'fast', keep: null });
  });
});

describe('prune', () => {
  const schema: Schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          a: { type: 'string' },
          list: { type: 'array', items: { type: 'object', properties: { x: { type: 'integer' } } } },
          free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { typed: { type: 'object', properties: { y: { type: 'string' } } } } },
          map: { type: 'object', additionalProperties: { type: 'object', properties: { z: { type: 'string' } } } },
          embedded: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
        },
      },
    },
  };

  it('removes unspecified fields and says which', () => {
    const obj: any = {
      apiVersion: 'x/v1', kind: 'X', metadata: { name: 'n', bogus: 1 }, extra: 1,
      spec: { a: 'b', b: 'c', list: [{ x: 1, y: 2 }], free: { anything: [1], typed: { y: 'ok', z: 'no' } }, map: { k: { z: 'ok', w: 1 } },
        embedded: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', junk: true }, spec: { any: 1 }, status: {} } },
    };
    expect(prune(obj, schema)).toEqual([
      'metadata.bogus', 'extra', 'spec.b', 'spec.list[0].y', 'spec.free.typed.z', 'spec.map.k.w', 'spec.embedded.metadata.junk', 'spec.embedded.status',
    ]);
    expect(obj).toEqual({
      apiVersion: 'x/v1', kind: 'X', metadata: { name: 'n' },
      spec: { a: 'b', list: [{ x: 1 }], free: { anything: [1], typed: { y: 'ok' } }, map: { k: { z: 'ok' } }, embedded: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { any: 1 } } },
    });
  });
});
