import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { customResourceSchema } from '../../../pkg/api/openapi/custom.ts';
import { encodeDocument } from '../../../pkg/api/openapi/gnostic-v2.ts';
import { openapiV2, openapiV2Protobuf } from '../../../pkg/api/openapi/index.ts';
import { Reader, WireType } from '../../../pkg/api/protobuf/wire.ts';
import { resourceTable } from './fixtures.ts';

// A schema-less reader of the wire format: every field of a message, by number, in order.
type Value = Uint8Array | bigint | number;
function fields(bytes: Uint8Array): Map<number, Value[]> {
  const out = new Map<number, Value[]>();
  const r = new Reader(bytes);
  while (!r.done()) {
    const { field, wireType } = r.tag();
    const v = wireType === WireType.bytes ? r.bytes() : wireType === WireType.varint ? r.varint() : wireType === WireType.fixed64 ? r.fixed(8).getFloat64(0, true) : NaN;
    out.set(field, [...(out.get(field) ?? []), v]);
  }
  return out;
}
const text = (v: Value | undefined) => Buffer.from(v as Uint8Array).toString('utf8');
const one = (m: Uint8Array, field: number) => fields(m).get(field)?.[0] as Uint8Array;
const all = (m: Uint8Array, field: number) => (fields(m).get(field) ?? []) as Uint8Array[];
const texts = (m: Uint8Array, field: number) => all(m, field).map(text);
/** The value of the Named… entry called `name` among the repeated `field` of `m`. */
const named = (m: Uint8Array, field: number, name: string) => {
  const entry = all(m, field).find((e) => text(one(e, 1)) === name);
  if (!entry) throw new Error(`no ${name}`);
  return one(entry, 2);
};
/** Vendor extensions: NamedAny{name, Any{yaml}} parsed from their YAML. */
const extensions = (m: Uint8Array, field: number) => Object.fromEntries(all(m, field).map((e) => [text(one(e, 1)), load(text(one(one(e, 2), 2)))]));

describe('the gnostic protobuf form of /openapi/v2', () => {
  const doc = openapiV2Protobuf(resourceTable).bytes;

  it('carries definitions with their properties, types, references and patch extensions', () => {
    expect(text(one(doc, 1))).toBe('2.0');
    expect(texts(one(doc, 2), 1)).toEqual(['Kubernetes']);
    const podSpec = named(one(doc, 9), 1, 'io.k8s.api.core.v1.PodSpec');
    expect(texts(podSpec, 19)).toEqual(['containers']);
    const containers = named(one(podSpec, 25), 1, 'containers');
    expect(texts(one(containers, 22), 1)).toEqual(['array']);
    expect(text(one(one(one(containers, 23), 1), 1))).toBe('#/definitions/io.k8s.api.core.v1.Container');
    expect(extensions(containers, 31)).toMatchObject({ 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' });
    const deployment = named(one(doc, 9), 1, 'io.k8s.api.apps.v1.Deployment');
    expect(extensions(deployment, 31)['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    const labels = named(one(named(one(doc, 9), 1, 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'), 25), 1, 'labels');
    expect(texts(one(one(one(labels, 21), 1), 22), 1)).toEqual(['string']);
  });

  it('carries paths: operations, consumes, query, path and body parameters, responses', () => {
    const item = named(one(doc, 8), 2, '/apis/apps/v1/namespaces/{namespace}/deployments/{name}');
    const patch = one(item, 8);
    expect(texts(patch, 7)).toContain('application/strategic-merge-patch+json');
    expect(extensions(patch, 13)['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', kind: 'Deployment', version: 'v1' });
    const query = all(patch, 8).map((p) => one(one(one(p, 1), 2), 3)).filter(Boolean);
    expect(query.map((q) => text(one(q, 4)))).toContain('fieldValidation');
    const pathParams = all(item, 9).map((p) => one(one(one(p, 1), 2), 4)).filter(Boolean);
    expect(pathParams.map((q) => [text(one(q, 4)), fields(q).get(1)?.[0], text(one(q, 5))])).toEqual([['name', 1n, 'string'], ['namespace', 1n, 'string']]);
    const body = one(one(all(one(item, 3), 8)[0], 1), 1);
    expect([text(one(body, 2)), text(one(body, 3)), text(one(one(body, 5), 1))]).toEqual(['body', 'body', '#/definitions/io.k8s.api.apps.v1.Deployment']);
    const ok = one(named(one(one(item, 2), 9), 1, '200'), 1);
    expect(text(one(one(one(ok, 2), 1), 1))).toBe('#/definitions/io.k8s.api.apps.v1.Deployment');
  });

  it('encodes values as YAML Anys, numbers in their own fields, and additionalProperties: false', () => {
    const bytes = encodeDocument({
      swagger: '2.0',
      definitions: { x: { type: 'object', additionalProperties: false, properties: { n: { type: 'integer', minimum: 1, maxLength: 3, enum: [1, 2], default: 1 } } } },
    });
    const x = named(one(bytes, 9), 1, 'x');
    expect(fields(one(x, 21)).get(2)).toEqual([0n]);
    const n = named(one(x, 25), 1, 'n');
    expect(fields(n).get(9)).toEqual([1]);
    expect(fields(n).get(11)).toEqual([3n]);
    expect(all(n, 20).map((a) => text(one(a, 2)))).toEqual(['1\n', '2\n']);
    expect(text(one(one(n, 5), 2))).toBe('1\n');
  });

  it('serves the same document as the JSON form', () => {
    const json = openapiV2(resourceTable) as { definitions: object; paths: object };
    expect(all(one(doc, 9), 1)).toHaveLength(Object.keys(json.definitions).length);
    expect(all(one(doc, 8), 2)).toHaveLength(Object.keys(json.paths).length);
  });
});

describe('custom resource schemas in Swagger 2.0', () => {
  it('drop what kubectl would wrongly enforce, as apiextensions does', () => {
    const s = customResourceSchema({
      type: 'object',
      required: ['spec', 'maybe'],
      properties: {
        spec: { type: 'object', properties: { not: { type: 'string' }, nullable: { type: 'string' } } },
        maybe: { type: 'object', nullable: true, properties: { a: { type: 'string' } } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'string' } } },
        anything: { type: 'array', 'x-kubernetes-preserve-unknown-fields': true, items: { type: 'string' } },
        choice: { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
      },
    }, { group: 'x.io', version: 'v1', kind: 'X' }, 'v2') as any;
    expect(s.required).toEqual(['spec']);
    expect(Object.keys(s.properties.spec.properties)).toEqual(['not', 'nullable']);
    expect(s.properties.maybe).toEqual({});
    expect(s.properties.free).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(s.properties.anything).toEqual({ 'x-kubernetes-preserve-unknown-fields': true });
    expect(s.properties.choice).toEqual({ 'x-kubernetes-int-or-string': true });
    expect(s['x-kubernetes-group-version-kind']).toEqual([{ group: 'x.io', kind: 'X', version: 'v1' }]);
  });
});
