import { keyOf, type Client, type InformerFactory } from '../api/client/index.ts';
import { bootstrapNamespace, bootstrapSecretType, expirationOf } from '../api/auth/index.ts';
import { isConflict, isNotFound } from '../api/status.ts';
import type { core, KObject } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { controllerLoop, WorkQueue } from './runtime/index.ts';

type Secret = core.Secret & KObject;

/**
 * Upstream's tokencleaner: a bootstrap token Secret (kube-system, type
 * bootstrap.kubernetes.io/token) whose `expiration` has passed is deleted; one that expires later
 * is looked at again then. The join endpoint already refuses expired tokens; this keeps
 * `skiff token list` and the store free of them. An expiration that does not parse is left alone,
 * as upstream does (the token is refused anyway).
 */
export function tokenCleaner(client: Client, informers: InformerFactory, log: Logger, now: () => number = Date.now): Component {
  const secrets = informers.informer<Secret>('v1', 'secrets', { namespace: bootstrapNamespace, fieldSelector: `type=${bootstrapSecretType}` });
  const api = client.resource<Secret>('v1', 'secrets');
  const queue = new WorkQueue();

  async function reconcile(key: string): Promise<number | void> {
    const s = secrets.get(key);
    if (!s || s.type !== bootstrapSecretType || s.metadata.deletionTimestamp) return;
    const at = expirationOf(s);
    if (at === undefined || Number.isNaN(at)) return;
    const left = at - now();
    if (left > 0) return left;
    try {
      await api.delete(s.metadata.namespace, s.metadata.name!, { preconditions: { uid: s.metadata.uid, resourceVersion: s.metadata.resourceVersion } });
      log.info('deleted an expired bootstrap token', { secret: key });
    } catch (err) {
      // Gone already, or changed since it was read (the update is queued and judged again).
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }

  const loop = controllerLoop('token-cleaner', queue, reconcile, log, 1);
  return {
    name: 'token-cleaner',
    async start(signal) {
      secrets.onAdd((s) => queue.add(keyOf(s)));
      secrets.onUpdate((_o, s) => queue.add(keyOf(s)));
      await loop.start(signal);
    },
    stop: () => loop.stop!(),
  };
}
