import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { admin, cluster, configMap, configmaps, deployments, failure } from './fixtures.ts';

const dryRun = true;
const web = (replicas = 2): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } } },
});

/** A cluster holding one Deployment and two ConfigMaps, and a check that nothing was written since. */
async function seeded() {
  const c = await cluster();
  await c.create(deployments, 'default', web());
  await c.create(configmaps, 'default', configMap('a', { k: 'v' }));
  await c.create(configmaps, 'default', configMap('b', { k: 'v' }));
  const revision = c.store.currentRevision();
  const before = JSON.stringify([await c.list(deployments, 'default'), await c.list(configmaps, 'default')]);
  const untouched = async () => {
    expect(c.store.currentRevision()).toBe(revision);
    expect(JSON.stringify([await c.list(deployments, 'default'), await c.list(configmaps, 'default')])).toBe(before);
  };
  return { c, untouched };
}

describe('dryRun on every write', () => {
  it('create answers the would-be object with generated name, uid and creationTimestamp, and stores nothing', async () => {
    const { c, untouched } = await seeded();
    const res = await c.api.create({ verb: 'create', def: configmaps, namespace: 'default', body: { metadata: { generateName: 'cm-' }, data: { x: 'y' } }, options: { dryRun } }, admin);
    expect(res.created).toBe(true);
    expect(res.object.metadata.name).toMatch(/^cm-[a-z0-9]{5}$/);
    expect(res.object.metadata.uid).toBeTruthy();
    expect(res.object.metadata.creationTimestamp).toBe('2026-01-01T12:00:00Z');
    expect(res.object.metadata.resourceVersion).toBeUndefined();
    expect(res.object.metadata.managedFields?.[0]).toMatchObject({ operation: 'Update' });
    // An existing name is still a conflict, as upstream's dry-run storage checks.
    expect((await failure(c.create(configmaps, 'default', configMap('a'), { dryRun }))).reason).toBe('AlreadyExists');
    // Validation still runs.
    expect((await failure(c.create(deployments, 'default', { ...web(-1), metadata: { name: 'bad' } }, { dryRun }))).code).toBe(422);
    await untouched();
  });

  it('update, merge patch and apply answer the result with defaults and generation, and store nothing', async () => {
    const { c, untouched } = await seeded();
    const cur = await c.get(deployments, 'default', 'web');
    const updated = await c.update(deployments, 'default', { ...cur, spec: { ...(cur.spec as object), replicas: 3 } }, { dryRun });
    expect(updated.metadata.generation).toBe(2);
    const patched = await c.patch(deployments, 'default', 'web', { spec: { replicas: 4 } }, { type: 'merge', dryRun });
    expect((patched.spec as { replicas: number }).replicas).toBe(4);
    const applied = await c.patch(deployments, 'default', 'web', web(5), { type: 'apply', fieldManager: 'ci', force: true, dryRun });
    expect((applied.spec as { replicas: number }).replicas).toBe(5);
    expect(applied.metadata.managedFields?.map((e) => e.manager)).toContain('ci');
    const conflict = await failure(c.patch(deployments, 'default', 'web', web(5), { type: 'apply', fieldManager: 'ci', dryRun }));
    expect(conflict.code).toBe(409);
    await untouched();
  });

  it('apply that would create answers 201 and creates nothing', async () => {
    const { c, untouched } = await seeded();
    const res = await c.api.patch({ verb: 'patch', def: deployments, namespace: 'default', name: 'new', patchType: 'apply', patch: { ...web(), metadata: { name: 'new' } }, options: { fieldManager: 'ci', dryRun } }, admin);
    expect(res.created).toBe(true);
    expect(res.object.metadata.uid).toBeTruthy();
    expect((res.object.spec as { replicas: number }).replicas).toBe(2);
    await untouched();
    expect((await failure(c.get(deployments, 'default', 'new'))).code).toBe(404);
  });

  it('status and scale subresources write nothing', async () => {
    const { c, untouched } = await seeded();
    const cur = await c.get(deployments, 'default', 'web');
    const status = await c.update(deployments, 'default', { ...cur, status: { replicas: 2 } }, { subresource: 'status', dryRun });
    expect(status.status).toEqual({ replicas: 2 });
    const scale = await c.api.update({ verb: 'update', def: deployments, namespace: 'default', name: 'web', subresource: 'scale', body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 7 } }, options: { dryRun } }, admin);
    expect(scale.object.spec).toEqual({ replicas: 7 });
    const scaled = await c.patch(deployments, 'default', 'web', { spec: { replicas: 8 } }, { type: 'merge', subresource: 'scale', dryRun });
    expect(scaled.spec).toEqual({ replicas: 8 });
    await untouched();
  });

  it('delete and deletecollection answer what they would remove and remove nothing', async () => {
    const { c, untouched } = await seeded();
    const gone = await c.api.delete({ verb: 'delete', def: configmaps, namespace: 'default', name: 'a', options: { dryRun: ['All'] } }, admin);
    expect(gone.object.metadata.name).toBe('a');
    const all = await c.api.deletecollection({ verb: 'deletecollection', def: configmaps, namespace: 'default', listOptions: {}, options: { dryRun: ['All'] } }, admin);
    expect(all.items.map((o) => o.metadata.name).sort()).toEqual(['a', 'b']);
    const bad = await failure(c.remove(configmaps, 'default', 'a', { dryRun: ['Everything'] }));
    expect(bad.code).toBe(422);
    expect(bad.message).toBe('DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Everything"}: supported values: "All"');
    await untouched();
  });
});
