import type { ApiHandler } from '../request.ts';
import type { ResourceDef } from '../resource.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../status.ts';
import type { KObject } from '../types/index.ts';
import type { Logger } from '../../util/index.ts';

type Find = (group: string, version: string, plural: string) => ResourceDef | undefined;
const system = { name: 'system:apiserver', groups: ['system:masters'] };

/**
 * The `default/kubernetes` service (upstream's apiserver endpoint reconciler, run at start): a
 * ClusterIP at the range's .1 whose Endpoints and EndpointSlice name this API server's address
 * and port, rewritten when they changed since the last start. A service left at another IP
 * (the service CIDR changed) is kept and reported: its clients may hold that address.
 */
export async function reconcileKubernetesService(handler: ApiHandler, find: Find, clusterIP: string, address: { ip: string; port: number }, log: Logger): Promise<void> {
  const svcDef = find('', 'v1', 'services');
  const epDef = find('', 'v1', 'endpoints');
  const sliceDef = find('discovery.k8s.io', 'v1', 'endpointslices');
  if (!svcDef || !epDef || !sliceDef) return;
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  const svc: any = await ensure(handler, svcDef, {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default', labels },
    spec: { type: 'ClusterIP', clusterIP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: address.port }], sessionAffinity: 'None' },
  }, (cur) => cur.spec?.ports?.[0]?.targetPort === address.port);
  if (svc.spec?.clusterIP !== clusterIP) log.warn('the kubernetes service keeps its address outside of --service-cidr; delete it to move it', { clusterIP: svc.spec?.clusterIP, wanted: clusterIP });
  await ensure(handler, epDef, {
    apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: address.ip }], ports: [{ name: 'https', port: address.port, protocol: 'TCP' }] }],
  }, (cur) => JSON.stringify(cur.subsets) === JSON.stringify([{ addresses: [{ ip: address.ip }], ports: [{ name: 'https', port: address.port, protocol: 'TCP' }] }]));
  await ensure(handler, sliceDef, {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4', endpoints: [{ addresses: [address.ip], conditions: { ready: true } }], ports: [{ name: 'https', port: address.port, protocol: 'TCP' }],
  }, (cur) => cur.endpoints?.[0]?.addresses?.[0] === address.ip && cur.ports?.[0]?.port === address.port);
}

/** Creates `want`, or replaces the stored object's content when `current` says it is stale. */
async function ensure(handler: ApiHandler, def: ResourceDef, want: any, current: (cur: any) => boolean): Promise<KObject> {
  const { name, namespace } = want.metadata;
  try {
    return (await handler.create({ verb: 'create', def, namespace, body: want, options: {} }, system)).object;
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  // Another writer may change it meanwhile (409): read again and retry, a bounded number of times.
  for (let attempt = 0; ; attempt++) {
    const cur: any = await handler.get({ verb: 'get', def, namespace, name }, system);
    if (current(cur)) return cur;
    // A service keeps its allocated address: only what the reconciler owns is replaced.
    const body = def.kind === 'Service' ? { ...cur, spec: { ...cur.spec, ports: want.spec.ports } } : { ...want, metadata: { ...cur.metadata, labels: { ...cur.metadata.labels, ...want.metadata.labels } } };
    try {
      return (await handler.update({ verb: 'update', def, namespace, name, body, options: {} }, system)).object;
    } catch (err) {
      if ((!isNotFound(err) && !isConflict(err)) || attempt >= 5) throw err;
    }
  }
}
