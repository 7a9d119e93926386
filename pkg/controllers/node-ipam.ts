import type { Client, InformerFactory } from '../api/client/index.ts';
import type { core, KObject } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';

type Node = core.Node & KObject;

/** The cluster's pod network (k3s's default): each node gets one /24 of it as Node.spec.podCIDR. */
export const defaultClusterCIDR = '10.42.0.0/16';

/**
 * Gives every Node without one a pod CIDR (upstream's node-ipam controller, range allocator).
 * One allocation at a time, from the lowest free /24, so two nodes registering together never
 * get the same range. spec.podCIDR is immutable once set, so a range is never moved.
 */
export function nodeIpam(client: Client, informers: InformerFactory, clusterCIDR: string, log: Logger): Component {
  const m = /^(\d+)\.(\d+)\.0\.0\/16$/.exec(clusterCIDR);
  if (!m || Number(m[1]) > 255 || Number(m[2]) > 255) throw new Error(`--cluster-cidr must be an IPv4 /16 such as 10.42.0.0/16, got ${JSON.stringify(clusterCIDR)}`);
  const prefix = `${m[1]}.${m[2]}`;
  const nodes = informers.informer<Node>('v1', 'nodes');
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;
  const enqueue = (n: Node) => {
    if (n.spec?.podCIDR || stopped) return;
    chain = chain.then(() => allocate(n.metadata.name!)).catch((err: unknown) => log.warn('pod CIDR not assigned; will retry on the next change', { node: n.metadata.name, err: (err as Error).message }));
  };
  const allocate = async (name: string) => {
    const current = nodes.get(name);
    if (!current || current.spec?.podCIDR) return;
    const used = new Set(nodes.list().map((n) => n.spec?.podCIDR).filter(Boolean));
    for (let i = 0; i < 256; i++) {
      const cidr = `${prefix}.${i}.0/24`;
      if (used.has(cidr)) continue;
      await client.resource<Node>('v1', 'nodes').patch(undefined, name, 'merge', { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
      log.info('assigned pod CIDR', { node: name, podCIDR: cidr });
      // Wait for the informer to see it, so the next allocation counts it as used.
      for (let t = 0; t < 100 && !nodes.get(name)?.spec?.podCIDR; t++) await new Promise((r) => setTimeout(r, 20));
      return;
    }
    throw new Error(`no free /24 left in ${clusterCIDR}`);
  };
  return {
    name: 'node-ipam',
    async start() {
      nodes.onAdd(enqueue);
      nodes.onUpdate((_old, n) => enqueue(n));
    },
    async stop() {
      stopped = true;
      await chain;
    },
  };
}
