import type { Client } from '../api/client/index.ts';
import { isNotFound } from '../api/status.ts';
import type { core, KObject } from '../api/types/index.ts';
import type { Logger } from '../util/index.ts';
import { readMachineFacts } from './node/facts.ts';
import { nodeLease, nodeObject, nodeStatus, statusChanged } from './node/node-status.ts';

type Node = core.Node & KObject;

export const leaseRenewMs = 10_000;
const statusEveryMs = 60_000;

/**
 * Registers this machine as a Node and keeps it alive: the Lease every 10 s, the status when it
 * changes and at least every 60 s. Returns the registered Node (with its pod CIDR once the server
 * has assigned one: the caller waits for it).
 */
export class NodeLoop {
  private last?: core.NodeStatus;
  private lastPost = 0;
  private uid?: string;
  private timer?: NodeJS.Timeout;

  constructor(private readonly client: Client, private readonly name: string, private readonly dataDir: string, private readonly runtimeVersion: string,
    private readonly labels: Record<string, string>, private readonly log: Logger) {}

  async register(): Promise<Node> {
    const nodes = this.client.resource<Node>('v1', 'nodes');
    const facts = readMachineFacts(this.dataDir);
    let node: Node;
    try {
      node = await nodes.get(undefined, this.name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      node = await nodes.create(undefined, { ...nodeObject(this.name, facts, { labels: this.labels }), status: nodeStatus(facts, this.runtimeVersion, new Date()) } as Node);
      this.log.info('registered node', { node: this.name });
    }
    this.uid = node.metadata.uid;
    await this.tick();
    return node;
  }

  /** Polls until the server has given this node a pod CIDR. */
  async waitForPodCIDR(signal: AbortSignal, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!signal.aborted && Date.now() < deadline) {
      const n = await this.client.resource<Node>('v1', 'nodes').get(undefined, this.name);
      if (n.spec?.podCIDR) return n.spec.podCIDR;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`node ${this.name} got no pod CIDR from the server within ${timeoutMs / 1000}s (is the server's node-ipam running?)`);
  }

  start(): void {
    const loop = () => {
      this.timer = setTimeout(() => void this.tick().catch((err: unknown) => this.log.warn('node heartbeat failed', { err: (err as Error).message })).finally(loop), leaseRenewMs);
      this.timer.unref();
    };
    loop();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private async tick(): Promise<void> {
    const now = new Date();
    await this.renewLease(now);
    const status = nodeStatus(readMachineFacts(this.dataDir), this.runtimeVersion, now, this.last);
    if (statusChanged(this.last, status) || now.getTime() - this.lastPost >= statusEveryMs) {
      await this.client.resource<Node>('v1', 'nodes').patch(undefined, this.name, 'merge', { status }, { subresource: 'status' });
      this.last = status;
      this.lastPost = now.getTime();
    }
  }

  private async renewLease(now: Date): Promise<void> {
    const leases = this.client.resource('coordination.k8s.io/v1', 'leases');
    const lease = nodeLease(this.name, this.uid, now);
    try {
      await leases.patch('kube-node-lease', this.name, 'merge', { spec: lease.spec });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await leases.create('kube-node-lease', lease as KObject);
    }
  }
}
