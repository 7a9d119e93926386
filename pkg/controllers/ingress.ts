import { keyOf, type Client, type InformerFactory } from '../api/client/index.ts';
import { isAlreadyExists, isNotFound } from '../api/status.ts';
import type { core, networking, KObject } from '../api/types/index.ts';
import { isServed, skiffIngressClass } from '../agent/ingress/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { controllerLoop, WorkQueue } from './runtime/index.ts';
import { enableLbLabel, loadBalancerIPs } from './service-lb.ts';

type Ingress = networking.Ingress & KObject;
type IngressClass = networking.IngressClass & KObject;
type Node = core.Node & KObject;

/**
 * skiff's ingress controller, server side: creates the default IngressClass `skiff` at start
 * (kept if it exists, so a user may take away its default mark) and keeps
 * status.loadBalancer.ingress of every served Ingress at the addresses of the nodes that proxy it
 * (the same ready nodes a LoadBalancer service is published on). An Ingress that stops being
 * served has its addresses cleared when they are still ours.
 */
export function ingressController(client: Client, informers: InformerFactory, log: Logger): Component {
  const ingresses = informers.informer<Ingress>('networking.k8s.io/v1', 'ingresses');
  const classes = informers.informer<IngressClass>('networking.k8s.io/v1', 'ingressclasses');
  const nodes = informers.informer<Node>('v1', 'nodes');
  const queue = new WorkQueue();

  async function reconcile(key: string): Promise<void> {
    const ing = ingresses.get(key);
    if (!ing || ing.metadata.deletionTimestamp) return;
    const current = (ing.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '');
    const ips = loadBalancerIPs(nodes.list());
    let want: string[];
    if (isServed(ing, classes.list())) want = ips;
    else if (current.length && current.every((ip) => ips.includes(ip))) want = [];
    else return;
    if (current.join(',') === want.join(',')) return;
    try {
      await client.resource<Ingress>('networking.k8s.io/v1', 'ingresses').patch(ing.metadata.namespace, ing.metadata.name!, 'merge',
        { status: { loadBalancer: { ingress: want.length ? want.map((ip) => ({ ip })) : null } } }, { subresource: 'status' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  const enqueueAll = () => {
    for (const i of ingresses.list()) queue.add(keyOf(i));
  };
  const loop = controllerLoop('ingress', queue, reconcile, log);
  return {
    name: 'ingress',
    async start(signal) {
      try {
        await client.resource<IngressClass>('networking.k8s.io/v1', 'ingressclasses').create(undefined, skiffIngressClass());
        log.info('created the default IngressClass skiff');
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      ingresses.onAdd((i) => queue.add(keyOf(i)));
      ingresses.onUpdate((_o, i) => queue.add(keyOf(i)));
      classes.onAdd(enqueueAll);
      classes.onUpdate(enqueueAll);
      classes.onDelete(enqueueAll);
      nodes.onAdd(enqueueAll);
      // Heartbeats update nodes all the time; only a change of the published addresses matters.
      nodes.onUpdate((o, n) => {
        if (loadBalancerIPs([o]).join() !== loadBalancerIPs([n]).join() || o.metadata.labels?.[enableLbLabel] !== n.metadata.labels?.[enableLbLabel]) enqueueAll();
      });
      nodes.onDelete(enqueueAll);
      await loop.start(signal);
    },
    stop: () => loop.stop!(),
  };
}
