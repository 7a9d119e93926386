import { keyOf, type Client, type InformerFactory } from '../api/client/index.ts';
import { isAlreadyExists } from '../api/status.ts';
import type { core, KObject } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { controllerLoop, WorkQueue } from './runtime/index.ts';

type Namespace = core.Namespace & KObject;

/**
 * Every active namespace has a `default` ServiceAccount (upstream's serviceaccounts controller),
 * recreated if deleted. Pods default to it.
 */
export function serviceAccountController(client: Client, informers: InformerFactory, log: Logger): Component {
  const namespaces = informers.informer<Namespace>('v1', 'namespaces');
  const accounts = informers.informer('v1', 'serviceaccounts');
  const queue = new WorkQueue();

  async function reconcile(ns: string): Promise<void> {
    const n = namespaces.get(ns);
    if (!n || n.metadata.deletionTimestamp || n.status?.phase === 'Terminating') return;
    if (accounts.get(`${ns}/default`)) return;
    try {
      await client.resource('v1', 'serviceaccounts').create(ns, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  const loop = controllerLoop('serviceaccount', queue, reconcile, log, 1);
  return {
    name: 'serviceaccount',
    async start(signal) {
      namespaces.onAdd((n) => queue.add(keyOf(n)));
      namespaces.onUpdate((_o, n) => queue.add(keyOf(n)));
      accounts.onDelete((sa) => {
        if (sa.metadata.name === 'default') queue.add(sa.metadata.namespace!);
      });
      await loop.start(signal);
    },
    stop: () => loop.stop!(),
  };
}
