import { describe, expect, it } from 'vitest';
import { cluster, configMap, configmaps, events, failure, namespaces } from './fixtures.ts';

describe('createApiHandler namespaces', () => {
  it('removes an empty namespace at once (standing in for the namespace controller)', async () => {
    const c = await cluster();
    await c.create(namespaces, undefined, { metadata: { name: 'tmp' } });
    await c.create(events, 'tmp', { metadata: { name: 'e1' }, message: 'hi' });
    const last = await c.remove(namespaces, undefined, 'tmp');
    expect(last.status).toEqual({ phase: 'Terminating' });
    expect(last.metadata.deletionTimestamp).toBe('2026-01-01T12:00:00Z');
    expect((await failure(c.get(namespaces, undefined, 'tmp'))).code).toBe(404);
    expect((await c.list(events, 'tmp')).items).toEqual([]);
  });

  it('keeps a namespace with content Terminating until it is empty and deleted again', async () => {
    const c = await cluster();
    await c.create(namespaces, undefined, { metadata: { name: 'app' } });
    await c.create(configmaps, 'app', configMap('cfg'));
    const terminating = await c.remove(namespaces, undefined, 'app');
    expect(terminating.status).toEqual({ phase: 'Terminating' });
    expect(terminating.spec).toEqual({ finalizers: ['kubernetes'] });
    expect((await c.get(namespaces, undefined, 'app')).metadata.deletionTimestamp).toBeTruthy();
    const again = await failure(c.remove(namespaces, undefined, 'app'));
    expect(again).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(again.message).toBe('Operation cannot be fulfilled on namespaces "app": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.');
    // Content may still be deleted; then the next delete finishes the namespace.
    await c.remove(configmaps, 'app', 'cfg');
    await c.remove(namespaces, undefined, 'app');
    expect((await failure(c.get(namespaces, undefined, 'app'))).code).toBe(404);
  });

  it('removes a terminating namespace when finalize empties spec.finalizers', async () => {
    const c = await cluster();
    await c.create(namespaces, undefined, { metadata: { name: 'app' } });
    await c.create(configmaps, 'app', configMap('cfg'));
    const ns = await c.remove(namespaces, undefined, 'app');
    // The namespace controller's hand-off: PUT namespaces/app/finalize without "kubernetes".
    const out = await c.update(namespaces, undefined, { ...ns, spec: { finalizers: [] } }, { subresource: 'finalize' });
    expect(out.metadata.name).toBe('app');
    expect((await failure(c.get(namespaces, undefined, 'app'))).code).toBe(404);
  });

  it('finalize on a live namespace only sets spec.finalizers', async () => {
    const c = await cluster();
    const ns = await c.create(namespaces, undefined, { metadata: { name: 'live' } });
    const out = await c.update(namespaces, undefined, { ...ns, metadata: { ...ns.metadata, labels: { x: 'y' } }, spec: { finalizers: ['example.com/f'] } }, { subresource: 'finalize' });
    expect(out.spec).toEqual({ finalizers: ['example.com/f'] });
    expect(out.metadata.labels).toBeUndefined();
    expect(out.status).toEqual({ phase: 'Active' });
  });

  it('finalize decodes its body as a Namespace: a value of the wrong JSON type is a 400 and changes nothing', async () => {
    const c = await cluster();
    const ns = await c.create(namespaces, undefined, { metadata: { name: 'typed' } });
    const err = await failure(c.update(namespaces, undefined, { ...ns, spec: { finalizers: 'kubernetes' } }, { subresource: 'finalize' }));
    expect(err).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(err.message).toMatch(/^Namespace in version "v1" cannot be handled as a Namespace: json: cannot unmarshal string into Go struct field NamespaceSpec\.spec\.finalizers of type \[\]/);
    expect((await c.get(namespaces, undefined, 'typed')).spec).toEqual(ns.spec);
  });

  it('refuses to delete the immortal namespaces', async () => {
    const c = await cluster();
    const err = await failure(c.remove(namespaces, undefined, 'default'));
    expect(err).toMatchObject({ code: 403, reason: 'Forbidden', message: 'namespaces "default" is forbidden: this namespace may not be deleted' });
  });

  it('dryRun shows the Terminating namespace without writing', async () => {
    const c = await cluster();
    await c.create(namespaces, undefined, { metadata: { name: 'dry' } });
    const out = await c.remove(namespaces, undefined, 'dry', { dryRun: ['All'] });
    expect(out.status).toEqual({ phase: 'Terminating' });
    expect((await c.get(namespaces, undefined, 'dry')).status).toEqual({ phase: 'Active' });
  });
});
