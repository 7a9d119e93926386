import { keyOf, type Client, type InformerFactory } from '../api/client/index.ts';
import type { ResourceDef } from '../api/resource.ts';
import { isNotFound } from '../api/status.ts';
import type { core, KObject } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { controllerLoop, WorkQueue } from './runtime/index.ts';

type Namespace = core.Namespace & KObject;

/**
 * The namespace controller: a namespace being deleted (Terminating, with the `kubernetes`
 * finalizer) has everything in it deleted, kind by kind; once nothing is left, the finalizer is
 * removed through namespaces/finalize and the namespace goes. `kinds` are the namespaced kinds
 * the API serves (the resource table).
 */
export function namespaceController(client: Client, informers: InformerFactory, kinds: ResourceDef[], log: Logger): Component {
  const namespaces = informers.informer<Namespace>('v1', 'namespaces');
  const queue = new WorkQueue();

  async function reconcile(key: string): Promise<number | void> {
    const ns = namespaces.get(key);
    if (!ns?.metadata.deletionTimestamp || !ns.spec?.finalizers?.includes('kubernetes')) return;
    const name = ns.metadata.name!;
    let left = 0;
    // Read per pass: the table grows and shrinks with CustomResourceDefinitions.
    const namespaced = kinds.filter((d) => d.namespaced && (!d.verbs || (d.verbs.includes('list') && d.verbs.includes('delete'))));
    for (const d of namespaced) {
      const rc = client.resource(d.group ? `${d.group}/${d.version}` : d.version, d.plural);
      const items = (await rc.list(name)).items;
      for (const o of items) {
        left++;
        if (o.metadata.deletionTimestamp) continue;
        try {
          await rc.delete(name, o.metadata.name!, { propagationPolicy: 'Background' });
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
    }
    if (left > 0) return 1_000; // pods wind down, finalizers clear: look again
    const finalized = { ...ns, spec: { ...ns.spec, finalizers: ns.spec.finalizers.filter((f) => f !== 'kubernetes') } } as Namespace;
    try {
      await client.resource<Namespace>('v1', 'namespaces').updateSubresource(undefined, finalized, 'finalize');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  const loop = controllerLoop('namespace', queue, reconcile, log);
  return {
    name: 'namespace',
    async start(signal) {
      namespaces.onAdd((n) => queue.add(keyOf(n)));
      namespaces.onUpdate((_o, n) => queue.add(keyOf(n)));
      await loop.start(signal);
    },
    stop: () => loop.stop!(),
  };
}
