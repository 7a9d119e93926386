import { createInformerFactory, type Client, type InformerFactory } from '../api/client/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { nodeIpam } from './node-ipam.ts';

export { defaultClusterCIDR, nodeIpam } from './node-ipam.ts';

/**
 * The controllers `skiff server` runs, sharing one informer factory (DESIGN.md §5). `client` is
 * read at start, once the API it talks to is up. So far: node IPAM; issue 6 adds the rest.
 */
export function controllers(client: () => Client, opts: { clusterCIDR: string }, log: Logger): Component {
  let informers: InformerFactory | undefined;
  let parts: Component[] = [];
  return {
    name: 'controllers',
    async start(signal) {
      const c = client();
      informers = createInformerFactory(c, { log });
      parts = [nodeIpam(c, informers, opts.clusterCIDR, log.child({ controller: 'node-ipam' }))];
      for (const p of parts) await p.start(signal);
      informers.start();
      await informers.waitForSync(signal);
    },
    async stop() {
      for (const p of [...parts].reverse()) await p.stop?.();
      await informers?.stop();
    },
  };
}
