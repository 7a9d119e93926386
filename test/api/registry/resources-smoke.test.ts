import { describe, expect, it } from 'vitest';
import type { ResourceDef } from '../../../pkg/api/resource.ts';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { admin, cluster, failure, take } from './fixtures.ts';

// The real resource table is written in parallel (pkg/api/resources); a computed specifier keeps
// this file compiling before it lands, and the suite runs as soon as it exists.
const spec = '../../../pkg/api/resources/index.ts';
const table = (await import(/* @vite-ignore */ spec).catch((err: Error) => {
  // Absent: skip. Present but broken: fail loudly.
  if (/Cannot find module|Failed to load url/.test(err.message) && err.message.includes('resources/index.ts')) return undefined;
  throw err;
})) as { resources: ResourceDef[]; findResource(g: string, v: string, p: string): ResourceDef | undefined } | undefined;

describe.skipIf(!table)('createApiHandler over the real resource table', () => {
  const find = (g: string, v: string, p: string): ResourceDef => {
    const def = table!.findResource(g, v, p);
    if (!def) throw new Error(`no ${g}/${v} ${p} in the table`);
    return def;
  };

  it('lists and watches every kind', async () => {
    const c = await cluster({ defs: table!.resources });
    for (const def of table!.resources) {
      if (def.verbs && !def.verbs.includes('list')) continue;
      const list = await c.list(def, def.namespaced ? 'default' : undefined);
      expect(list.kind, def.plural).toBe(`${def.kind}List`);
      // metrics.k8s.io lists but does not watch, as upstream's metrics-server.
      if (def.verbs && !def.verbs.includes('watch')) continue;
      const w = await c.watch(def, def.namespaced ? 'default' : undefined, { resourceVersion: list.metadata.resourceVersion });
      await w.return!();
    }
  });

  it('serves the main kinds end to end', async () => {
    const c = await cluster({ defs: table!.resources });
    const namespaces = find('', 'v1', 'namespaces');
    const pods = find('', 'v1', 'pods');
    const configmaps = find('', 'v1', 'configmaps');
    const deployments = find('apps', 'v1', 'deployments');

    // System namespaces are the API server component's bootstrap, not the registry's.
    await c.create(namespaces, undefined, { metadata: { name: 'smoke' } });
    const ns = await c.get(namespaces, undefined, 'smoke');
    expect((ns.status as { phase?: string }).phase).toBe('Active');

    const podWatch = await c.watch(pods, 'smoke');
    const p = await c.create(pods, 'smoke', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    expect(p.spec).toMatchObject({ restartPolicy: 'Always', terminationGracePeriodSeconds: 30 });
    expect((await take(podWatch, 1))[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'p' } } });
    await c.api.create({ verb: 'create', def: pods, namespace: 'smoke', name: 'p', subresource: 'binding', body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: 'n1' } }, options: {} }, admin);
    expect(((await c.get(pods, 'smoke', 'p')).spec as { nodeName: string }).nodeName).toBe('n1');

    await c.create(configmaps, 'smoke', { metadata: { name: 'cm' }, data: { a: 'b' } });
    const strict = await failure(c.create(configmaps, 'smoke', { metadata: { name: 'cm2' }, bogus: true } as KObject, { fieldValidation: 'Strict' }));
    expect(strict.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"');

    const d = await c.create(deployments, 'smoke', {
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    expect(d.metadata.generation).toBe(1);
    const scale = await c.patch(deployments, 'smoke', 'web', { spec: { replicas: 3 } }, { subresource: 'scale' });
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 }, status: { selector: 'app=web' } });
    expect((await c.get(deployments, 'smoke', 'web')).metadata.generation).toBe(2);
    const smp = await c.patch(deployments, 'smoke', 'web', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } } }, { type: 'strategic' });
    expect(smp.metadata.generation).toBe(3);

    await c.remove(pods, 'smoke', 'p', { gracePeriodSeconds: 0 });
    await c.remove(configmaps, 'smoke', 'cm');
    await c.remove(deployments, 'smoke', 'web');
    await c.remove(namespaces, undefined, 'smoke');
    expect((await failure(c.get(namespaces, undefined, 'smoke'))).code).toBe(404);
  });
});
