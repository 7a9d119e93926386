import { describe, expect, it } from 'vitest';
import type { Store } from '../../../pkg/store/index.ts';
import { admin, cluster, configMap, delegating, configmaps, deployments, failure, namespaces, nodes, pod, pods } from './fixtures.ts';

describe('createApiHandler create', () => {
  it('sets the server fields and returns the object as stored', async () => {
    const c = await cluster();
    const res = await c.api.create({ verb: 'create', def: deployments, namespace: 'default', body: { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } } } }, options: {} }, admin);
    expect(res.created).toBe(true);
    const d = res.object;
    expect(d.apiVersion).toBe('apps/v1');
    expect(d.kind).toBe('Deployment');
    expect(d.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(d.metadata.creationTimestamp).toBe('2026-01-01T12:00:00Z');
    expect(d.metadata.generation).toBe(1);
    expect(d.metadata.namespace).toBe('default');
    expect(d.metadata.resourceVersion).toBe(String(c.store.currentRevision()));
    expect((d.spec as { replicas: number }).replicas).toBe(1);
    expect(await c.get(deployments, 'default', 'web')).toEqual(d);
  });

  it('drops client-set system fields and keeps generation off kinds without it', async () => {
    const c = await cluster();
    const cm = await c.create(configmaps, 'default', {
      metadata: { name: 'x', uid: 'mine', resourceVersion: '77', creationTimestamp: '2000-01-01T00:00:00Z', deletionTimestamp: '2000-01-01T00:00:00Z', generation: 9 } as never,
    });
    expect(cm.metadata.uid).not.toBe('mine');
    expect(cm.metadata.resourceVersion).not.toBe('77');
    expect(cm.metadata.creationTimestamp).toBe('2026-01-01T12:00:00Z');
    expect(cm.metadata.deletionTimestamp).toBeUndefined();
    expect(cm.metadata.generation).toBeUndefined();
  });

  it('runs prepareForCreate, then defaults, then validation', async () => {
    const c = await cluster();
    const p = await c.create(pods, 'default', pod('p1', { status: { phase: 'Running' } }));
    expect(p.status).toEqual({ phase: 'Pending' });
    expect((p.spec as { terminationGracePeriodSeconds: number }).terminationGracePeriodSeconds).toBe(30);
    const err = await failure(c.create(pods, 'default', { metadata: { name: 'p2' }, spec: {} }));
    expect(err.code).toBe(422);
    expect(err.message).toBe('Pod "p2" is invalid: spec.containers: Required value');
    const bad = await failure(c.create(deployments, 'default', { metadata: { name: 'd' }, spec: { replicas: -1 } }));
    expect(bad.message).toBe('Deployment.apps "d" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  });

  it('validates ObjectMeta generically once the kind validation passed', async () => {
    const c = await cluster();
    const noName = await failure(c.create(configmaps, 'default', { metadata: {} }));
    expect(noName.code).toBe(422);
    expect(noName.message).toBe('ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
    const badLabel = await failure(c.create(configmaps, 'default', { metadata: { name: 'x', labels: { 'bad key': 'v' } } }));
    expect(badLabel.message).toContain('metadata.labels: Invalid value: "bad key": name part must consist of alphanumeric characters');
    const slash = await failure(c.create(nodes, undefined, { metadata: { name: 'a/b' } }));
    expect(slash.message).toBe('Node "a/b" is invalid: metadata.name: Invalid value: "a/b": may not contain \'/\'');
  });

  it('generates names from generateName with upstream\'s alphabet', async () => {
    const c = await cluster();
    const names = new Set<string>();
    for (let i = 0; i < 20; i++) names.add((await c.create(configmaps, 'default', { metadata: { generateName: 'web-' } })).metadata.name!);
    expect(names.size).toBe(20);
    for (const n of names) expect(n).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const long = await c.create(configmaps, 'default', { metadata: { generateName: 'x'.repeat(70) } });
    expect(long.metadata.name).toHaveLength(63);
  });

  it('retries a generated name that collides', async () => {
    let collide = true;
    // Makes the first generated name exist for real just before the registry creates it.
    const wrap = (s: Store): Store =>
      delegating(s, {
        create: async (key, value, opts) => {
          if (collide && key.includes('/gen-')) {
            collide = false;
            await s.create(key, value);
          }
          return s.create(key, value, opts);
        },
      });
    const c = await cluster({ wrap });
    const cm = await c.create(configmaps, 'default', { metadata: { generateName: 'gen-' } });
    expect(collide).toBe(false);
    expect((await c.list(configmaps, 'default')).items.map((i) => i.metadata.name)).toContain(cm.metadata.name);
    expect((await c.list(configmaps, 'default')).items).toHaveLength(2);
  });

  it('answers 409 AlreadyExists for an existing name', async () => {
    const c = await cluster();
    await c.create(deployments, 'default', { metadata: { name: 'web' }, spec: {} });
    const err = await failure(c.create(deployments, 'default', { metadata: { name: 'web' }, spec: {} }));
    expect(err.code).toBe(409);
    expect(err.reason).toBe('AlreadyExists');
    expect(err.message).toBe('deployments.apps "web" already exists');
  });

  it('checks the namespace: match, existence, termination', async () => {
    const c = await cluster();
    const mismatch = await failure(c.create(configmaps, 'default', { metadata: { name: 'x', namespace: 'other' } }));
    expect(mismatch.code).toBe(400);
    expect(mismatch.message).toBe('the namespace of the provided object does not match the namespace sent on the request');
    const missing = await failure(c.create(configmaps, 'foo', configMap('x')));
    expect(missing.code).toBe(404);
    expect(missing.message).toBe('namespaces "foo" not found');
    await c.create(namespaces, undefined, { metadata: { name: 'busy' } });
    await c.create(configmaps, 'busy', configMap('keep'));
    await c.remove(namespaces, undefined, 'busy');
    const terminating = await failure(c.create(configmaps, 'busy', configMap('y')));
    expect(terminating.code).toBe(403);
    expect(terminating.message).toBe('configmaps "y" is forbidden: unable to create new content in namespace busy because it is being terminated');
    expect((terminating.status.details as { causes: unknown[] }).causes).toEqual([{ reason: 'NamespaceTerminating', message: 'namespace busy is being terminated', field: 'metadata.namespace' }]);
  });

  it('takes the namespace from the body when the request has none, and clears it for cluster scope', async () => {
    const c = await cluster();
    const cm = await c.create(configmaps, undefined, { metadata: { name: 'x', namespace: 'default' } });
    expect(cm.metadata.namespace).toBe('default');
    const n = await c.create(nodes, 'default', { metadata: { name: 'n1', namespace: 'default' } });
    expect(n.metadata.namespace).toBeUndefined();
    const none = await failure(c.create(configmaps, undefined, { metadata: { name: 'y' } }));
    expect(none.code).toBe(422);
  });

  it('rejects a body of another kind or version', async () => {
    const c = await cluster();
    const av = await failure(c.create(deployments, 'default', { apiVersion: 'apps/v1beta1', kind: 'Deployment', metadata: { name: 'x' }, spec: {} }));
    expect(av.message).toBe('the API version in the data (apps/v1beta1) does not match the expected API version (apps/v1)');
    const kind = await failure(c.create(configmaps, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }));
    expect(kind.code).toBe(400);
  });

  it('dryRun runs everything but the write', async () => {
    const c = await cluster();
    const rev = c.store.currentRevision();
    const d = await c.create(deployments, 'default', { metadata: { name: 'web' }, spec: {} }, { dryRun: true });
    expect(d.metadata.uid).toBeTruthy();
    expect(d.metadata.resourceVersion).toBeUndefined();
    expect((d.spec as { replicas: number }).replicas).toBe(1);
    expect(c.store.currentRevision()).toBe(rev);
    expect((await failure(c.get(deployments, 'default', 'web'))).code).toBe(404);
    expect((await failure(c.create(deployments, 'default', { metadata: { name: 'bad' }, spec: { replicas: -2 } }, { dryRun: true }))).code).toBe(422);
  });

  it('applies fieldValidation with the schema\'s unknown fields (absent means Warn)', async () => {
    const c = await cluster();
    const body = () => ({ metadata: { name: 'web' }, spec: { foo: 1, selector: {} } });
    const strict = await failure(c.create(deployments, 'default', body(), { fieldValidation: 'Strict' }));
    expect(strict.code).toBe(400);
    expect(strict.message).toBe('Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"');
    const warned = await c.api.create({ verb: 'create', def: deployments, namespace: 'default', body: body(), options: { fieldValidation: 'Warn' } }, admin);
    expect(warned.warnings).toEqual(['unknown field "spec.foo"']);
    expect(warned.object.spec).not.toHaveProperty('foo');
    const ignored = await c.api.create({ verb: 'create', def: deployments, namespace: 'default', body: { ...body(), metadata: { name: 'w2' } }, options: { fieldValidation: 'Ignore' } }, admin);
    expect(ignored.warnings).toBeUndefined();
    expect(ignored.object.spec).not.toHaveProperty('foo');
    const absent = await c.api.create({ verb: 'create', def: deployments, namespace: 'default', body: { ...body(), metadata: { name: 'w3' } }, options: {} }, admin);
    expect(absent.warnings).toEqual(['unknown field "spec.foo"']);
  });

  it('drops a status the kind does not have without a warning, under every fieldValidation, and stores none', async () => {
    const c = await cluster();
    for (const fieldValidation of ['Strict', 'Warn', 'Ignore'] as const) {
      const name = `cm-${fieldValidation.toLowerCase()}`;
      const out = await c.api.create({ verb: 'create', def: configmaps, namespace: 'default', body: { ...configMap(name), status: { big: { x: 'y'.repeat(1000) } } }, options: { fieldValidation } }, admin);
      expect(out.warnings ?? []).toEqual([]);
      expect(out.object).not.toHaveProperty('status');
      expect(await c.get(configmaps, 'default', name)).not.toHaveProperty('status');
      expect(JSON.stringify(out.object.metadata.managedFields ?? [])).not.toContain('f:status');
    }
  });

  it('takes unknown-field knowledge from injected hooks for kinds the schema package lacks', async () => {
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
    const err = await failure(c.create(widgets, 'ns', { metadata: { name: 'w' }, extra: 1 }, { fieldValidation: 'Strict' }));
    expect(err.message).toBe('Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "extra"');
    const w = await c.create(widgets, 'ns', { metadata: { name: 'w' }, extra: 1, kept: 2 });
    expect(w).toMatchObject({ apiVersion: 'example.com/v1', kind: 'Widget', kept: 2 });
    expect(w).not.toHaveProperty('extra');
  });

  it('answers 405 for a verb the kind does not serve', async () => {
    const c = await cluster();
    const err = await failure(c.api.deletecollection({ verb: 'deletecollection', def: nodes, listOptions: {}, options: {} }, admin));
    expect(err.code).toBe(405);
  });
});
