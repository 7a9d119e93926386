import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findUnknownFields, kindSchemaIds, gvkOfId, patchMetaFor, pruneUnknownFields, resolve, schemaFor, schemas } from '../../../pkg/api/schema/index.ts';
import type { KObject } from '../../../pkg/api/types/index.ts';
import type { Schema } from '../../../pkg/api/schema/index.ts';
import { cronJob, deployment, service } from './manifests.ts';

const apps = (kind: string) => ({ group: 'apps', version: 'v1', kind });
const core = (kind: string) => ({ group: '', version: 'v1', kind });

describe('findUnknownFields', () => {
  it('accepts manifests that use a wide spread of real fields', () => {
    expect(findUnknownFields(apps('Deployment'), deployment)).toEqual([]);
    expect(findUnknownFields(core('Service'), service)).toEqual([]);
    expect(findUnknownFields({ group: 'batch', version: 'v1', kind: 'CronJob' }, cronJob)).toEqual([]);
  });

  it('names unknown fields the way apimachinery strict decoding does, in document order', () => {
    const obj = structuredClone(deployment) as any;
    obj.metadata.bogus = 1;
    obj.spec.foo = true;
    obj.spec.template.spec.containers[0].bogus = 'x';
    obj.spec.template.spec.containers[0].env[1].valueFrom.fieldRef.extra = 1;
    obj.spec.template.spec.volumes[3].emptyDir.nope = 1;
    expect(findUnknownFields(apps('Deployment'), obj)).toEqual([
      'metadata.bogus',
      'spec.template.spec.containers[0].env[1].valueFrom.fieldRef.extra',
      'spec.template.spec.containers[0].bogus',
      'spec.template.spec.volumes[3].emptyDir.nope',
      'spec.foo',
    ]);
  });

  it('treats apiVersion, kind, metadata and status as known on every kind, with or without a status upstream', () => {
    for (const id of kindSchemaIds.filter((i) => !i.startsWith('meta.'))) {
      expect(findUnknownFields(gvkOfId(id), { apiVersion: 'x', kind: 'y', metadata: { name: 'n' }, status: {} }), id).toEqual([]);
    }
  });

  it('does not look inside free-form JSON (RawExtension, FieldsV1) or free-form maps', () => {
    const rev = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r' }, revision: 1, data: { anything: { goes: [1] } } };
    expect(findUnknownFields(apps('ControllerRevision'), rev)).toEqual([]);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { 'any.key/x': 'v' } }, data: { whatever: 'v' } };
    expect(findUnknownFields(core('ConfigMap'), cm)).toEqual([]);
  });

  it('knows the fields added in 1.31 and 1.32 and rejects the ones removed', () => {
    const pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
      spec: {
        containers: [{ name: 'a', image: 'x' }],
        resources: { limits: { cpu: '1' } },
        resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: 't', source: { resourceClaimName: 'old' } }],
      },
      status: { containerStatuses: [{ name: 'a', ready: true, restartCount: 0, image: 'x', imageID: 'y', user: { linux: { uid: 1, gid: 1 } }, allocatedResourcesStatus: [] }] },
    };
    expect(findUnknownFields(core('Pod'), pod)).toEqual(['spec.resourceClaims[0].source']);
  });

  it('returns [] for kinds it has no schema for', () => {
    expect(findUnknownFields({ group: 'example.com', version: 'v1', kind: 'Widget' }, { spec: { x: 1 } })).toEqual([]);
  });

  it('ignores values whose JSON type does not match the schema', () => {
    expect(findUnknownFields(core('Pod'), { metadata: 'nope', spec: { containers: 'x' } })).toEqual([]);
  });
});

describe('pruneUnknownFields', () => {
  it('drops unknown fields from a copy and leaves the input alone', () => {
    const obj = structuredClone(deployment) as any;
    obj.spec.foo = 1;
    obj.spec.template.spec.containers[0].bogus = 'x';
    const pruned = pruneUnknownFields(apps('Deployment'), obj as KObject) as any;
    expect(pruned.spec.foo).toBeUndefined();
    expect(pruned.spec.template.spec.containers[0].bogus).toBeUndefined();
    expect(pruned.spec.template.spec.containers[0].image).toBe('nginx:1.27');
    expect(obj.spec.foo).toBe(1);
    expect(findUnknownFields(apps('Deployment'), pruned)).toEqual([]);
  });
});

describe('patchMetaFor', () => {
  it('gives merge keys and strategies as upstream struct tags do', () => {
    const meta = patchMetaFor(apps('Deployment'))!;
    const spec = meta.lookup('spec').meta;
    expect(spec.lookup('strategy').strategies).toEqual(['retainKeys']);
    const podSpec = spec.lookup('template').meta.lookup('spec').meta;
    expect(podSpec.lookup('containers')).toMatchObject({ strategies: ['merge'], mergeKey: 'name' });
    expect(podSpec.lookup('volumes')).toMatchObject({ strategies: ['merge', 'retainKeys'], mergeKey: 'name' });
    expect(podSpec.lookup('topologySpreadConstraints').mergeKey).toBe('topologyKey');
    expect(podSpec.lookup('hostAliases').mergeKey).toBe('ip');
    expect(podSpec.lookup('tolerations').strategies).toEqual([]);
    const container = podSpec.lookup('containers').meta;
    expect(container.lookup('ports').mergeKey).toBe('containerPort');
    expect(container.lookup('env').mergeKey).toBe('name');
    expect(container.lookup('volumeMounts').mergeKey).toBe('mountPath');
    expect(container.lookup('args').strategies).toEqual([]);
    const objectMeta = meta.lookup('metadata').meta;
    expect(objectMeta.lookup('finalizers')).toEqual({ strategies: ['merge'], meta: expect.anything() });
    expect(objectMeta.lookup('ownerReferences').mergeKey).toBe('uid');
  });

  it('covers nodes, services, service accounts and status lists', () => {
    const node = patchMetaFor(core('Node'))!;
    expect(node.lookup('spec').meta.lookup('podCIDRs').strategies).toEqual(['merge']);
    expect(node.lookup('spec').meta.lookup('taints').strategies).toEqual([]);
    expect(node.lookup('status').meta.lookup('addresses').mergeKey).toBe('type');
    expect(patchMetaFor(core('Service'))!.lookup('spec').meta.lookup('ports').mergeKey).toBe('port');
    expect(patchMetaFor(core('ServiceAccount'))!.lookup('secrets').mergeKey).toBe('name');
    expect(patchMetaFor(core('Pod'))!.lookup('status').meta.lookup('podIPs').mergeKey).toBe('ip');
    expect(patchMetaFor({ group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' })!.lookup('spec').meta.lookup('selector').strategies).toEqual(['replace']);
  });

  it('descends through maps to their values', () => {
    const limits = patchMetaFor(core('Pod'))!.lookup('spec').meta.lookup('containers').meta.lookup('resources').meta.lookup('limits');
    expect(limits.strategies).toEqual([]);
    expect(patchMetaFor(core('ConfigMap'))!.lookup('data').meta.lookup('anything').strategies).toEqual([]);
  });

  it('is undefined for kinds without a schema', () => {
    expect(patchMetaFor({ group: 'example.com', version: 'v1', kind: 'Widget' })).toBeUndefined();
  });
});

describe('schemas', () => {
  const walk = (s: Schema, visit: (s: Schema) => void) => {
    visit(s);
    Object.values(s.properties ?? {}).forEach((p) => walk(p, visit));
    if (s.items) walk(s.items, visit);
    if (s.additionalProperties) walk(s.additionalProperties, visit);
  };

  it('resolves every reference and describes every type and field', () => {
    for (const [id, schema] of Object.entries(schemas)) {
      expect(schema.description, id).toBeTruthy();
      for (const [name, field] of Object.entries(schema.properties ?? {})) {
        expect(field.description, `${id}.${name}`).toBeTruthy();
        walk(field, (s) => expect(() => resolve(s), `${id}.${name}`).not.toThrow());
      }
    }
  });

  it('maps every kind to its schema', () => {
    expect(schemaFor(apps('Deployment'))).toEqual({ ref: 'apps.v1.Deployment' });
    expect(schemaFor({ group: 'events.k8s.io', version: 'v1', kind: 'Event' })).toEqual({ ref: 'events.v1.Event' });
    expect(schemaFor({ group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' })).toEqual({ ref: 'autoscaling.v2.HorizontalPodAutoscaler' });
    expect(schemaFor({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole' })).toEqual({ ref: 'rbac.v1.ClusterRole' });
  });

  // kubernetes-types (1.30) is the field inventory of record; 1.32 only removed
  // PodResourceClaim.source (replaced by resourceClaimName / resourceClaimTemplateName in 1.31).
  it('has every field kubernetes-types declares for the same types', () => {
    const removedSince130 = new Set(['core.v1.PodResourceClaim.source']);
    const missing: string[] = [];
    let checked = 0;
    for (const [id, schema] of Object.entries(schemas)) {
      const [prefix, version, name] = id.split('.');
      let src: string;
      try {
        src = readFileSync(new URL(`../../../node_modules/kubernetes-types/${prefix}/${version}.d.ts`, import.meta.url), 'utf8');
      } catch {
        continue;
      }
      const body = new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(src)?.[1];
      if (!body || !schema.properties) continue;
      checked++;
      for (const [, field] of body.matchAll(/^ {4}(?:readonly )?(\w+)\??:/gm)) {
        if (!(field in schema.properties) && !removedSince130.has(`${id}.${field}`)) missing.push(`${id}.${field}`);
      }
    }
    expect(checked).toBeGreaterThan(250);
    expect(missing).toEqual([]);
  });
});
