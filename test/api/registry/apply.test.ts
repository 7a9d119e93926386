import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { admin, cluster, configmaps, deployments, failure } from './fixtures.ts';

const manifest = (spec: Record<string, unknown>, extra: Partial<KObject['metadata']> = {}): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', ...extra },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } }, ...spec },
});

const managers = (o: KObject) => (o.metadata.managedFields ?? []).map((e) => `${e.manager}/${e.operation}`);

describe('createApiHandler server-side apply', () => {
  it('creates with an Apply entry, defaults unowned, then re-applies as a no-op', async () => {
    const c = await cluster();
    const res = await c.api.patch({ verb: 'patch', def: deployments, namespace: 'default', name: 'web', patchType: 'apply', patch: manifest({ replicas: 2 }), options: { fieldManager: 'alice' } }, admin);
    expect(res.created).toBe(true);
    expect(managers(res.object)).toEqual(['alice/Apply']);
    expect(res.object.metadata.managedFields![0].time).toBe('2026-01-01T12:00:00Z');
    const rev = c.store.currentRevision();
    c.clock.advance(60_000);
    const again = await c.patch(deployments, 'default', 'web', manifest({ replicas: 2 }), { type: 'apply', fieldManager: 'alice' });
    expect(c.store.currentRevision()).toBe(rev);
    expect(again.metadata.managedFields).toEqual(res.object.metadata.managedFields);
  });

  it('refuses a second manager changing owned fields with 409, lets force take them, and removes what the owner stops applying', async () => {
    const c = await cluster();
    await c.patch(deployments, 'default', 'web', manifest({ replicas: 2, minReadySeconds: 3 }), { type: 'apply', fieldManager: 'alice' });
    const conflict = await failure(c.patch(deployments, 'default', 'web', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 5 } }, { type: 'apply', fieldManager: 'bob' }));
    expect(conflict.code).toBe(409);
    expect(conflict.reason).toBe('Conflict');
    expect(conflict.message).toBe('Apply failed with 1 conflict: conflict with "alice": .spec.replicas');
    expect(conflict.status.details).toEqual({ causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.spec.replicas' }] });
    expect(((await c.get(deployments, 'default', 'web')).spec as { replicas: number }).replicas).toBe(2);

    const forced = await c.patch(deployments, 'default', 'web', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 5 } }, { type: 'apply', fieldManager: 'bob', force: true });
    expect((forced.spec as { replicas: number }).replicas).toBe(5);
    expect(managers(forced)).toEqual(['alice/Apply', 'bob/Apply']);

    // alice drops minReadySeconds (hers alone: removed) and replicas (bob's now: kept).
    const dropped = await c.patch(deployments, 'default', 'web', manifest({}), { type: 'apply', fieldManager: 'alice' });
    const spec = dropped.spec as { replicas: number; minReadySeconds?: number };
    expect(spec.minReadySeconds).toBeUndefined();
    expect(spec.replicas).toBe(5);
    // bob stops applying replicas: it goes, and the strategy's default comes back.
    const bobGone = await c.patch(deployments, 'default', 'web', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }, { type: 'apply', fieldManager: 'bob' });
    expect((bobGone.spec as { replicas: number }).replicas).toBe(1);
    expect(managers(bobGone)).toEqual(['alice/Apply']);
  });

  it('removing an annotation it applied leaves the annotations other managers own', async () => {
    const c = await cluster();
    await c.patch(deployments, 'default', 'web', manifest({}, { annotations: { mine: '1', shared: 's' } }), { type: 'apply', fieldManager: 'alice' });
    await c.patch(deployments, 'default', 'web', { metadata: { annotations: { theirs: '2' } } }, { type: 'merge', fieldManager: 'kubectl-annotate' });
    await c.patch(deployments, 'default', 'web', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', annotations: { shared: 's' } } }, { type: 'apply', fieldManager: 'bob' });
    const after = await c.patch(deployments, 'default', 'web', manifest({}), { type: 'apply', fieldManager: 'alice' });
    expect(after.metadata.annotations).toEqual({ theirs: '2', shared: 's' });
    const gone = await c.patch(deployments, 'default', 'web', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }, { type: 'apply', fieldManager: 'bob' });
    expect(gone.metadata.annotations).toEqual({ theirs: '2' });
  });

  it('an ordinary patch after an apply takes the fields it changes; the applier then conflicts with it', async () => {
    const c = await cluster();
    await c.patch(deployments, 'default', 'web', manifest({ replicas: 2 }), { type: 'apply', fieldManager: 'alice' });
    const patched = await c.patch(deployments, 'default', 'web', { spec: { replicas: 4 } }, { type: 'merge', fieldManager: 'kubectl-edit' });
    expect(managers(patched)).toEqual(['alice/Apply', 'kubectl-edit/Update']);
    const err = await failure(c.patch(deployments, 'default', 'web', manifest({ replicas: 2 }), { type: 'apply', fieldManager: 'alice' }));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas');
  });

  it('a scale write owns replicas through its own entry; re-applying them conflicts with it', async () => {
    const c = await cluster();
    await c.patch(deployments, 'default', 'web', manifest({ replicas: 2 }), { type: 'apply', fieldManager: 'kubectl' });
    const scaled = await c.patch(deployments, 'default', 'web', { spec: { replicas: 6 } }, { type: 'merge', subresource: 'scale', fieldManager: 'kubectl-scale' });
    expect(scaled.spec).toEqual({ replicas: 6 });
    const err = await failure(c.patch(deployments, 'default', 'web', manifest({ replicas: 2 }), { type: 'apply', fieldManager: 'kubectl' }));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-scale" with subresource "scale" using apps/v1: .spec.replicas');
    // Leaving replicas out leaves them to the scaler.
    const kept = await c.patch(deployments, 'default', 'web', manifest({}), { type: 'apply', fieldManager: 'kubectl' });
    expect((kept.spec as { replicas: number }).replicas).toBe(6);
  });

  it('applies a Scale: replicas owned through a scale Apply entry, conflicts and force as any apply', async () => {
    const c = await cluster();
    await c.patch(deployments, 'default', 'web', manifest({ replicas: 2 }), { type: 'apply', fieldManager: 'kubectl' });
    const scale = (replicas?: number) => ({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, ...(replicas === undefined ? {} : { spec: { replicas } }) });
    const err = await failure(c.patch(deployments, 'default', 'web', scale(4), { type: 'apply', fieldManager: 'hpa', subresource: 'scale' }));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    const same = await c.patch(deployments, 'default', 'web', scale(2), { type: 'apply', fieldManager: 'hpa', subresource: 'scale' });
    expect(same).toMatchObject({ kind: 'Scale', spec: { replicas: 2 } });
    const forced = await c.patch(deployments, 'default', 'web', scale(4), { type: 'apply', fieldManager: 'hpa', subresource: 'scale', force: true });
    expect(forced.spec).toEqual({ replicas: 4 });
    const d = await c.get(deployments, 'default', 'web');
    expect(d.metadata.managedFields?.find((e) => e.manager === 'hpa')).toMatchObject({ operation: 'Apply', apiVersion: 'apps/v1', subresource: 'scale', fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
    expect(JSON.stringify(d.metadata.managedFields?.find((e) => e.manager === 'kubectl')?.fieldsV1)).not.toContain('replicas');
    const bad = await failure(c.patch(deployments, 'default', 'web', { ...scale(1), spec: { replicas: 1, bogus: 1 } }, { type: 'apply', fieldManager: 'hpa', subresource: 'scale' }));
    expect(bad.message).toBe('failed to create typed patch object (/web; autoscaling/v1, Kind=Scale): .spec.bogus: field not declared in schema');
    const released = await c.patch(deployments, 'default', 'web', scale(), { type: 'apply', fieldManager: 'hpa', subresource: 'scale' });
    expect(released.spec).toEqual({ replicas: 4 });
    expect((await c.get(deployments, 'default', 'web')).metadata.managedFields?.map((e) => e.manager)).not.toContain('hpa');
  });

  it('refuses configurations upstream cannot type, whatever fieldValidation says', async () => {
    const c = await cluster();
    for (const fieldValidation of ['Ignore', 'Warn', 'Strict'] as const) {
      const err = await failure(c.patch(deployments, 'default', 'web', manifest({ foo: 1 }), { type: 'apply', fieldManager: 'alice', fieldValidation }));
      expect(err.code).toBe(400);
      expect(err.message).toBe('failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.foo: field not declared in schema');
    }
    const version = await failure(c.patch(deployments, 'default', 'web', { ...manifest({}), apiVersion: 'apps/v2' }, { type: 'apply', fieldManager: 'alice' }));
    expect(version.message).toBe('Incorrect version specified in apply patch. Specified patch version: apps/v2, expected: apps/v1');
    const managed = await failure(c.patch(deployments, 'default', 'web', manifest({}, { managedFields: [] }), { type: 'apply', fieldManager: 'alice' }));
    expect(managed.message).toBe('metadata.managedFields must be nil');
    expect(await c.list(deployments, 'default')).toMatchObject({ items: [] });
  });

  it('judges repeated keys by fieldValidation, worded as go-yaml', async () => {
    const c = await cluster();
    const duplicateFields = ['line 3: key "replicas" already set in map'];
    const strict = await failure(c.patch(deployments, 'default', 'web', manifest({}), { type: 'apply', fieldManager: 'a', fieldValidation: 'Strict', duplicateFields }));
    expect(strict.message).toBe('error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 3: key "replicas" already set in map');
    const warn = await c.api.patch({ verb: 'patch', def: deployments, namespace: 'default', name: 'web', patchType: 'apply', patch: manifest({}), options: { fieldManager: 'a', duplicateFields } }, admin);
    expect(warn.warnings).toEqual(duplicateFields);
  });

  it('kinds without a schema merge maps per key, replace lists whole, and take unknown fields from the hooks', async () => {
    const widgets = { ...configmaps, group: 'example.com', kind: 'Widget', plural: 'widgets', singular: 'widget', storage: { group: 'example.com', resource: 'widgets' } };
    const c = await cluster({
      defs: [widgets],
      schema: {
        findUnknownFields: (_gvk, obj) => ('extra' in (obj as object) ? ['extra'] : []),
        pruneUnknownFields: (_gvk, obj) => {
          const { extra: _x, ...rest } = obj as Record<string, unknown>;
          return rest as typeof obj;
        },
      },
    });
    const w = (spec: object, extra: object = {}) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec, ...extra });
    await c.patch(widgets, 'ns', 'w', w({ a: 1, list: [1, 2] }), { type: 'apply', fieldManager: 'one' });
    const merged = await c.patch(widgets, 'ns', 'w', w({ b: 2, list: [3] }), { type: 'apply', fieldManager: 'two', force: true });
    expect(merged.spec).toEqual({ a: 1, b: 2, list: [3] });
    const strict = await failure(c.patch(widgets, 'ns', 'w', w({}, { extra: 1 }), { type: 'apply', fieldManager: 'one', fieldValidation: 'Strict' }));
    expect(strict.message).toBe('strict decoding error: unknown field "extra"');
    const warned = await c.api.patch({ verb: 'patch', def: widgets, namespace: 'ns', name: 'w', patchType: 'apply', patch: w({ a: 1 }, { extra: 1 }), options: { fieldManager: 'one' } }, admin);
    expect(warned.warnings).toEqual(['unknown field "extra"']);
    expect(warned.object).not.toHaveProperty('extra');
  });

  it('applies status through the status subresource as its own entry', async () => {
    const c = await cluster();
    await c.patch(deployments, 'default', 'web', manifest({}), { type: 'apply', fieldManager: 'alice' });
    const st = await c.patch(deployments, 'default', 'web', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, status: { replicas: 1 }, spec: { replicas: 9 } }, { type: 'apply', fieldManager: 'ctl', subresource: 'status' });
    expect(st.status).toEqual({ replicas: 1 });
    expect((st.spec as { replicas: number }).replicas).toBe(1);
    expect(st.metadata.managedFields?.find((e) => e.manager === 'ctl')).toMatchObject({ operation: 'Apply', subresource: 'status', fieldsV1: { 'f:status': { 'f:replicas': {} } } });
  });
});
