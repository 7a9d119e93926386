import { keyOf, type Client, type InformerFactory } from '../api/client/index.ts';
import { isAlreadyExists, isNotFound } from '../api/status.ts';
import type { core, KObject } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { canonical } from './deployment-math.ts';
import { controllerLoop, selectorMatches, WorkQueue } from './runtime/index.ts';

type Service = core.Service & KObject;
type Pod = core.Pod & KObject;

const podReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/**
 * The DNS label a pod is published under in its service's endpoints: its spec.hostname when its
 * spec.subdomain names the service (how StatefulSet pods get `<pod>.<service>.<ns>.svc` names).
 */
const hostnameOf = (p: Pod, svc: Service) => (p.spec?.hostname && p.spec.subdomain === svc.metadata.name ? { hostname: p.spec.hostname } : {});

/** A service port's target on one pod: a number, or the name of one of the pod's container ports. */
function targetPort(port: core.ServicePort, pod: Pod): number | undefined {
  const t = port.targetPort ?? port.port;
  if (typeof t === 'number') return t;
  if (/^\d+$/.test(t)) return Number(t);
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === t && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP')) return p.containerPort;
  return undefined;
}

/**
 * Endpoints and EndpointSlices of every Service with a selector, from its pods: ready pods as
 * addresses, the others as notReadyAddresses (or `ready: false` endpoints), per upstream's
 * endpoints and endpointslice controllers. Services without a selector are left to their owners.
 */
export function endpointsController(client: Client, informers: InformerFactory, log: Logger): Component {
  const services = informers.informer<Service>('v1', 'services');
  const pods = informers.informer<Pod>('v1', 'pods');
  const queue = new WorkQueue();

  async function reconcile(key: string): Promise<void> {
    const svc = services.get(key);
    const [ns, name] = key.split('/') as [string, string];
    if (!svc) {
      // The slice goes with its owner (garbage collector); Endpoints have none, so remove them here.
      await client.resource('v1', 'endpoints').delete(ns, name).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
      return;
    }
    const selector = svc.spec?.selector;
    if (!selector || !Object.keys(selector).length) return;
    const matching = pods.byIndex('namespace', ns).filter((p) => p.status?.podIP && !p.metadata.deletionTimestamp
      && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && selectorMatches({ matchLabels: selector }, p.metadata.labels));
    const ports = svc.spec?.ports ?? [];
    // publishNotReadyAddresses: every pod counts as ready (upstream's endpoint controllers).
    const ready = (p: Pod) => svc.spec?.publishNotReadyAddresses === true || podReady(p);

    const subsets: core.EndpointSubset[] = [];
    const groups = new Map<string, { ports: core.EndpointPort[]; ready: core.EndpointAddress[]; notReady: core.EndpointAddress[] }>();
    for (const p of matching) {
      const resolved = ports.map((sp) => ({ name: sp.name, port: targetPort(sp, p), protocol: sp.protocol ?? 'TCP' })).filter((x) => x.port !== undefined) as core.EndpointPort[];
      if (!resolved.length) continue;
      const gk = canonical(resolved);
      const g = groups.get(gk) ?? { ports: resolved, ready: [], notReady: [] };
      const addr: core.EndpointAddress = { ip: p.status!.podIP!, ...hostnameOf(p, svc), nodeName: p.spec?.nodeName, targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid } };
      (ready(p) ? g.ready : g.notReady).push(addr);
      groups.set(gk, g);
    }
    const byIp = (a: core.EndpointAddress, b: core.EndpointAddress) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0);
    for (const g of groups.values()) {
      subsets.push({ ...(g.ready.length ? { addresses: g.ready.sort(byIp) } : {}), ...(g.notReady.length ? { notReadyAddresses: g.notReady.sort(byIp) } : {}), ports: g.ports });
    }
    await upsert('v1', 'endpoints', ns, name, { subsets }, (cur) => canonical(cur.subsets ?? []) === canonical(subsets), svc);

    const endpoints: object[] = matching.map((p) => ({
      addresses: [p.status!.podIP!],
      conditions: { ready: ready(p), serving: podReady(p), terminating: false },
      ...hostnameOf(p, svc),
      nodeName: p.spec?.nodeName,
      targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid },
    })).sort((a, b) => ((a.addresses[0] ?? '') < (b.addresses[0] ?? '') ? -1 : 1));
    const slicePorts = ports.map((sp) => ({ name: sp.name ?? '', port: matching.length ? targetPort(sp, matching[0]!) : undefined, protocol: sp.protocol ?? 'TCP' }));
    await upsert('discovery.k8s.io/v1', 'endpointslices', ns, `${name}-skiff`, { addressType: 'IPv4', endpoints, ports: slicePorts },
      (cur) => canonical({ e: cur.endpoints ?? [], p: cur.ports ?? [] }) === canonical({ e: endpoints, p: slicePorts }),
      svc, { 'kubernetes.io/service-name': name, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
  }

  async function upsert(apiVersion: string, plural: string, ns: string, name: string, body: Record<string, unknown>, same: (cur: KObject & Record<string, unknown>) => boolean,
    svc: Service, labels?: Record<string, string>): Promise<void> {
    const rc = client.resource<KObject & Record<string, unknown>>(apiVersion, plural);
    const owner = [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name!, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true }];
    let cur: (KObject & Record<string, unknown>) | undefined;
    try {
      cur = await rc.get(ns, name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (cur && same(cur)) return;
    const metadata = { name, namespace: ns, labels: { ...labels, ...(cur?.metadata.labels ?? {}) }, ...(plural === 'endpointslices' ? { ownerReferences: owner } : {}) };
    if (!cur) {
      try {
        await rc.create(ns, { apiVersion, kind: plural === 'endpoints' ? 'Endpoints' : 'EndpointSlice', metadata, ...body });
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        throw new Error(`${plural} ${ns}/${name} appeared meanwhile; retrying`);
      }
      return;
    }
    await rc.update(ns, { ...cur, ...body, metadata: { ...cur.metadata, ...metadata } });
  }

  const svcKeysFor = (p: Pod) => services.byIndex('namespace', p.metadata.namespace ?? '').filter((s) => s.spec?.selector && selectorMatches({ matchLabels: s.spec.selector }, p.metadata.labels)).map(keyOf);
  const loop = controllerLoop('endpoints', queue, reconcile, log);
  return {
    name: 'endpoints',
    async start(signal) {
      services.onAdd((s) => queue.add(keyOf(s)));
      services.onUpdate((_o, s) => queue.add(keyOf(s)));
      services.onDelete((s) => queue.add(keyOf(s)));
      pods.onAdd((p) => svcKeysFor(p).forEach((k) => queue.add(k)));
      pods.onUpdate((o, p) => [...svcKeysFor(o), ...svcKeysFor(p)].forEach((k) => queue.add(k)));
      pods.onDelete((p) => svcKeysFor(p).forEach((k) => queue.add(k)));
      await loop.start(signal);
    },
    stop: () => loop.stop!(),
  };
}
