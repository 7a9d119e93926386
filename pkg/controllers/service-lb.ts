import { keyOf, type Client, type InformerFactory } from '../api/client/index.ts';
import { isNotFound } from '../api/status.ts';
import type { core, KObject } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { controllerLoop, WorkQueue } from './runtime/index.ts';

type Service = core.Service & KObject;
type Node = core.Node & KObject;

/** k3s's node label: when any node carries it "true", only those nodes serve load balancers. */
export const enableLbLabel = 'svccontroller.k3s.cattle.io/enablelb';

const isReady = (n: Node) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const internalIP = (n: Node) => n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;

/**
 * The addresses a LoadBalancer service is published on (k3s's servicelb): the InternalIP of every
 * ready, schedulable node — or of the nodes labelled enablelb=true when some are — sorted. Each
 * node's proxy answers the service's ports on these addresses, so they are the service's ingress.
 */
export function loadBalancerIPs(nodes: Node[]): string[] {
  const labelled = nodes.filter((n) => n.metadata.labels?.[enableLbLabel] === 'true');
  const pool = labelled.length ? labelled : nodes.filter((n) => n.metadata.labels?.[enableLbLabel] !== 'false');
  const ips = pool.filter((n) => isReady(n) && !n.spec?.unschedulable && !n.metadata.deletionTimestamp).map(internalIP).filter((ip): ip is string => !!ip);
  return [...new Set(ips)].sort();
}

/** A service this controller owns: type LoadBalancer without a loadBalancerClass of another implementation. */
const isOurs = (s: Service) => s.spec?.type === 'LoadBalancer' && !s.spec.loadBalancerClass;

/**
 * Keeps status.loadBalancer.ingress of LoadBalancer services at the node addresses (k3s's
 * servicelb, without its DaemonSet: the node proxies answer instead). A service that stops being
 * a LoadBalancer has its ingress cleared, as upstream's service controller does.
 */
export function serviceLbController(client: Client, informers: InformerFactory, log: Logger): Component {
  const services = informers.informer<Service>('v1', 'services');
  const nodes = informers.informer<Node>('v1', 'nodes');
  const queue = new WorkQueue();

  async function reconcile(key: string): Promise<void> {
    const svc = services.get(key);
    if (!svc || svc.metadata.deletionTimestamp) return;
    const current = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '');
    let ingress: core.LoadBalancerIngress[] | null;
    if (isOurs(svc)) ingress = loadBalancerIPs(nodes.list()).map((ip) => ({ ip, ipMode: 'VIP' }));
    else if (current.length && !svc.spec?.loadBalancerClass) ingress = null;
    else return;
    if (ingress && current.join(',') === ingress.map((i) => i.ip).join(',')) return;
    try {
      await client.resource<Service>('v1', 'services').patch(svc.metadata.namespace, svc.metadata.name!, 'merge', { status: { loadBalancer: { ingress } } }, { subresource: 'status' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  const enqueueAll = () => {
    for (const s of services.list()) if (isOurs(s)) queue.add(keyOf(s));
  };
  const loop = controllerLoop('service-lb', queue, reconcile, log);
  return {
    name: 'service-lb',
    async start(signal) {
      services.onAdd((s) => queue.add(keyOf(s)));
      services.onUpdate((_o, s) => queue.add(keyOf(s)));
      nodes.onAdd(enqueueAll);
      nodes.onUpdate((o, n) => {
        if (isReady(o) !== isReady(n) || internalIP(o) !== internalIP(n) || o.spec?.unschedulable !== n.spec?.unschedulable || o.metadata.labels?.[enableLbLabel] !== n.metadata.labels?.[enableLbLabel]) enqueueAll();
      });
      nodes.onDelete(enqueueAll);
      await loop.start(signal);
    },
    stop: () => loop.stop!(),
  };
}
