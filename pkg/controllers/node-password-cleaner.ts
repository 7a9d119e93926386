import type { Client, InformerFactory } from '../api/client/index.ts';
import { bootstrapNamespace, nodePasswordSecretName } from '../api/auth/index.ts';
import { isNotFound } from '../api/status.ts';
import type { core, KObject } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { controllerLoop, WorkQueue } from './runtime/index.ts';

type Node = core.Node & KObject;

/**
 * k3s's node-password cleanup: when a Node is deleted its password record
 * (kube-system/<node>.node-password.skiff, written at join) goes too, so the name is free for
 * another machine and no record outlives its node. A Node that exists again by the time the
 * deletion is worked keeps its record.
 */
export function nodePasswordCleaner(client: Client, informers: InformerFactory, log: Logger): Component {
  const nodes = informers.informer<Node>('v1', 'nodes');
  const api = client.resource('v1', 'secrets');
  const queue = new WorkQueue();

  async function reconcile(node: string): Promise<void> {
    if (nodes.get(node)) return;
    try {
      await api.delete(bootstrapNamespace, nodePasswordSecretName(node));
      log.info('deleted the password record of a deleted node', { node });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  const loop = controllerLoop('node-password-cleaner', queue, reconcile, log, 1);
  return {
    name: 'node-password-cleaner',
    async start(signal) {
      nodes.onDelete((n) => queue.add(n.metadata.name!));
      await loop.start(signal);
    },
    stop: () => loop.stop!(),
  };
}
