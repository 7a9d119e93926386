import { describe, expect, it } from 'vitest';
import { findResource, resources } from '../../../pkg/api/resources/index.ts';
import type { ResourceDef } from '../../../pkg/api/resource.ts';
import { cluster as fixtureCluster, failure, pod } from './fixtures.ts';

const pods = findResource('', 'v1', 'pods') as ResourceDef;
const namespaces = findResource('', 'v1', 'namespaces') as ResourceDef;
const cluster = async () => {
  const c = await fixtureCluster({ defs: resources });
  await c.create(namespaces, undefined, { metadata: { name: 'default' } });
  return c;
};

const dbg = (name: string, extra: object = {}) => ({ name, image: 'busybox', ...extra });
const add = (c: Awaited<ReturnType<typeof cluster>>, ...containers: object[]) =>
  c.patch(pods, 'default', 'p', { spec: { ephemeralContainers: containers } }, { subresource: 'ephemeralcontainers', type: 'strategic' });

describe('pods/ephemeralcontainers', () => {
  it('adds an ephemeral container and changes nothing else of the pod', async () => {
    const c = await cluster();
    await c.create(pods, 'default', pod('p'));
    const out = await c.patch(pods, 'default', 'p', { metadata: { labels: { x: 'y' } }, spec: { ephemeralContainers: [dbg('dbg', { targetContainerName: 'c' })], activeDeadlineSeconds: 5 } },
      { subresource: 'ephemeralcontainers', type: 'strategic' });
    expect(out.kind).toBe('Pod');
    expect(out.metadata.labels).toBeUndefined();
    const spec = out.spec as any;
    expect(spec.activeDeadlineSeconds).toBeUndefined();
    expect(spec.ephemeralContainers).toEqual([expect.objectContaining({ name: 'dbg', image: 'busybox', targetContainerName: 'c', terminationMessagePolicy: 'File', imagePullPolicy: 'Always' })]);
    const got = await c.get(pods, 'default', 'p', { subresource: 'ephemeralcontainers' });
    expect((got.spec as any).ephemeralContainers).toHaveLength(1);
    // A second one is added next to the first (strategic merge by name; the patch's items come first).
    const two = await add(c, dbg('dbg2'));
    expect((two.spec as any).ephemeralContainers.map((e: any) => e.name)).toEqual(['dbg2', 'dbg']);
  });

  it('records the writer under the ephemeralcontainers subresource, for updates and applies', async () => {
    const c = await cluster();
    await c.create(pods, 'default', pod('p'));
    await c.patch(pods, 'default', 'p', { spec: { ephemeralContainers: [dbg('dbg')] } }, { subresource: 'ephemeralcontainers', type: 'strategic', fieldManager: 'kubectl-debug' });
    const applied = await c.patch(pods, 'default', 'p', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { ephemeralContainers: [dbg('dbg2')] } },
      { subresource: 'ephemeralcontainers', type: 'apply', fieldManager: 'me' });
    expect((applied.spec as any).ephemeralContainers.map((e: any) => e.name).sort()).toEqual(['dbg', 'dbg2']);
    const entry = (manager: string) => applied.metadata.managedFields?.find((m) => m.manager === manager);
    expect(entry('kubectl-debug')).toMatchObject({ operation: 'Update', subresource: 'ephemeralcontainers' });
    expect(entry('me')).toMatchObject({ operation: 'Apply', subresource: 'ephemeralcontainers' });
    expect(Object.keys((entry('me')!.fieldsV1 as any)['f:spec']['f:ephemeralContainers'])).toEqual(['k:{"name":"dbg2"}']);
  });

  it('refuses changing or removing an ephemeral container', async () => {
    const c = await cluster();
    await c.create(pods, 'default', pod('p'));
    await add(c, dbg('dbg'));
    const changed = await failure(add(c, dbg('dbg', { image: 'alpine' })));
    expect(changed).toMatchObject({ code: 422, message: 'Pod "p" is invalid: spec.ephemeralContainers[dbg]: Forbidden: existing ephemeral containers "dbg" may not be changed\n' });
    const removed = await failure(c.patch(pods, 'default', 'p', { spec: { ephemeralContainers: null } }, { subresource: 'ephemeralcontainers' }));
    expect(removed.message).toBe('Pod "p" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral containers "dbg" may not be removed\n');
  });

  it('validates names, targets and the fields an ephemeral container may not have', async () => {
    const c = await cluster();
    await c.create(pods, 'default', pod('p'));
    const dup = await failure(add(c, dbg('c')));
    expect(dup.message).toBe('Pod "p" is invalid: spec.ephemeralContainers[0].name: Duplicate value: "c"');
    const target = await failure(add(c, dbg('d', { targetContainerName: 'nope' })));
    expect(target.message).toBe('Pod "p" is invalid: spec.ephemeralContainers[0].targetContainerName: Not found: "nope"');
    const fields = await failure(add(c, dbg('d', { ports: [{ containerPort: 80 }], readinessProbe: { exec: { command: ['true'] } }, lifecycle: {} })));
    expect(fields.message).toBe('Pod "p" is invalid: [spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container, '
      + 'spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container, spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an Ephemeral Container]');
    const twice = await failure(add(c, dbg('d'), dbg('d')));
    expect(twice.message).toContain('spec.ephemeralContainers[1].name: Duplicate value: "d"');
    // Nothing was stored by the refused writes.
    expect((await c.get(pods, 'default', 'p')).spec).not.toHaveProperty('ephemeralContainers');
  });

  it('keeps the main pod update from touching ephemeral containers', async () => {
    const c = await cluster();
    await c.create(pods, 'default', pod('p'));
    const err = await failure(c.patch(pods, 'default', 'p', { spec: { ephemeralContainers: [dbg('dbg')] } }, { type: 'strategic' }));
    expect(err.code).toBe(422);
    expect(err.message).toContain('spec: Forbidden: pod updates may not change fields other than');
  });

  it('refuses ephemeral containers on create', async () => {
    const c = await cluster();
    const err = await failure(c.create(pods, 'default', pod('p', { spec: { containers: [{ name: 'c', image: 'nginx' }], ephemeralContainers: [dbg('d')] } })));
    expect(err).toMatchObject({ code: 422, message: 'Pod "p" is invalid: spec.ephemeralContainers: Forbidden: cannot be set on create' });
  });

  it('answers 404 for a missing pod', async () => {
    const c = await cluster();
    expect((await failure(add(c, dbg('d')))).code).toBe(404);
  });
});
