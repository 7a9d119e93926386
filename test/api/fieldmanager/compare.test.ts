import { describe, expect, it } from 'vitest';
import { changedFields, compareObjects, deduced, fieldSetOf, overlayIds, typeInfoFor } from '../../../pkg/api/fieldmanager/index.ts';
import { schemas } from '../../../pkg/api/schema/index.ts';

const pod = typeInfoFor({ group: '', version: 'v1', kind: 'Pod' });
const fields = (old: unknown, next: unknown, type = pod) => changedFields(old, next, type).toFieldsV1();

describe('changedFields', () => {
  it('marks a node that appears with "." but not one Go always serialises (spec, containers)', () => {
    const next = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i', env: [{ name: 'A', value: '1' }] }] } };
    expect(fields({ metadata: {} }, next)).toEqual({
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:env': { '.': {}, 'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} } }, 'f:image': {}, 'f:name': {} } } },
    });
  });

  it('records only what changed on an existing object', () => {
    const old = { metadata: { labels: { app: 'a', tier: 'x' } }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] } };
    const next = { metadata: { labels: { app: 'b', tier: 'x' } }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] } };
    expect(fields(old, next)).toEqual({ 'f:metadata': { 'f:labels': { 'f:app': {} } } });
    const c = compareObjects(next, { metadata: {}, spec: next.spec }, pod);
    expect(c.removed.toFieldsV1()).toEqual({ 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {}, 'f:tier': {} } } });
  });

  it('treats atomic maps, atomic structs and atomic lists as one leaf', () => {
    const old = { spec: { nodeSelector: { a: '1' }, tolerations: [{ key: 'k' }], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } } };
    const next = { spec: { nodeSelector: { a: '2' }, tolerations: [{ key: 'k' }, { key: 'j' }], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] } } } } };
    expect(fields(old, next)).toEqual({ 'f:spec': { 'f:affinity': { 'f:nodeAffinity': { 'f:requiredDuringSchedulingIgnoredDuringExecution': {} } }, 'f:nodeSelector': {}, 'f:tolerations': {} } });
  });

  it('keys sets of scalars by value (metadata.finalizers)', () => {
    expect(fields({ metadata: { finalizers: ['a'] } }, { metadata: { finalizers: ['a', 'b/c'] } })).toEqual({ 'f:metadata': { 'f:finalizers': { 'v:"b/c"': {} } } });
    expect(fields({ metadata: {} }, { metadata: { finalizers: ['a'] } })).toEqual({ 'f:metadata': { 'f:finalizers': { '.': {}, 'v:"a"': {} } } });
  });

  it('records an empty value as a leaf and treats explicit null as absent', () => {
    expect(fields({ spec: {} }, { spec: { securityContext: {}, hostname: null } })).toEqual({ 'f:spec': { 'f:securityContext': {} } });
  });

  it('does not count setting a non-omitempty field to its zero value, nor an empty omitempty list', () => {
    const deploy = typeInfoFor({ group: 'apps', version: 'v1', kind: 'Deployment' });
    const old = { status: { conditions: [{ type: 'Available' }] } };
    const next = { status: { conditions: [{ type: 'Available', status: '', reason: 'R' }] }, spec: { template: { spec: { volumes: [] } } } };
    expect(fields(old, next, deploy)).toEqual({ 'f:status': { 'f:conditions': { 'k:{"type":"Available"}': { 'f:reason': {} } } } });
  });

  it('compares a list whose items lack their keys as a whole', () => {
    expect(fields({ spec: { containers: [{ image: 'a' }] } }, { spec: { containers: [{ image: 'b' }] } })).toEqual({ 'f:spec': { 'f:containers': {} } });
  });

  it('deduces granular objects and atomic lists without a schema', () => {
    const cr = typeInfoFor({ group: 'example.com', version: 'v1', kind: 'Widget' });
    expect(cr).toBe(deduced);
    expect(fields({ metadata: {} }, { metadata: {}, spec: { size: 1, tags: ['a'], nested: { x: true } } }, cr)).toEqual({
      'f:spec': { '.': {}, 'f:nested': { '.': {}, 'f:x': {} }, 'f:size': {}, 'f:tags': {} },
    });
  });
});

describe('fieldSetOf', () => {
  it('holds leaves, list items, map entries and empty values, as upstream ToFieldSet', () => {
    const obj = { metadata: { name: 'p', labels: { app: 'a' } }, spec: { securityContext: {}, containers: [{ name: 'c', image: 'i', args: ['x'] }] } };
    expect(fieldSetOf(obj, pod).toFieldsV1()).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} }, 'f:name': {} },
      'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:args': {}, 'f:image': {}, 'f:name': {} } }, 'f:securityContext': {} },
    });
  });
});

describe('typeInfoFor', () => {
  it('names only schema ids that exist in its overlay tables', () => {
    expect(overlayIds.filter((id) => !schemas[id])).toEqual([]);
  });

  it('honours a field that declares itself granular (PersistentVolume claimRef)', () => {
    const pv = typeInfoFor({ group: '', version: 'v1', kind: 'PersistentVolume' });
    expect(changedFields({ spec: {} }, { spec: { claimRef: { name: 'c', namespace: 'd' } } }, pv).toFieldsV1()).toEqual({ 'f:spec': { 'f:claimRef': { '.': {}, 'f:name': {}, 'f:namespace': {} } } });
  });
});
