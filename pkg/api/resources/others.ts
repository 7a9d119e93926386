import type { ResourceDef } from '../resource.ts';
import { col, created, nameCol, ageCol, resource, table } from './define.ts';
import { formatLabelSelector, listWithMore, sortedUnique } from './format.ts';
import { coreToEventsV1, eventTable, eventsV1FieldSelectors, eventsV1ToCore, validateEventsV1 } from './events.ts';
import { storageClassRow } from './storage.ts';
import { rbac } from './rbac.ts';
import { validatePodDisruptionBudget, validatePodDisruptionBudgetStatus } from './pdb-validation.ts';

/** The smaller groups: coordination, discovery, networking, policy, rbac, storage and events.k8s.io. */

const n = (v: unknown) => (typeof v === 'number' ? v : 0);
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/** formatHosts: up to three hosts, `*` when no rule names one. */
function ingressHosts(rules: any[]): string {
  const list: string[] = [];
  let more = false;
  for (const r of rules) {
    if (list.length === 3) more = true;
    if (!more && r?.host) list.push(r.host);
  }
  if (!list.length) return '*';
  return more ? `${list.join(',')} + ${rules.length - 3} more...` : list.join(',');
}

/** formatDiscoveryPorts: the port number, else its name, else `*`. */
const sliceEndpointPorts = (o: any) => listWithMore(arr(o.ports).map((p) => (p?.port !== undefined && p?.port !== null ? String(p.port) : p?.name ?? '*')), 3);
const sliceEndpoints = (o: any) => listWithMore(arr(o.endpoints).flatMap((e) => arr(e?.addresses)), 3);

/** SetDefaults_NetworkPolicy: port protocols TCP; policyTypes from the rules given. */
function defaultNetworkPolicy(o: any): void {
  const s = (o.spec ??= {});
  for (const rule of [...arr(s.ingress), ...arr(s.egress)]) for (const p of arr(rule?.ports)) if (p && typeof p === 'object') p.protocol ??= 'TCP';
  if (!arr(s.policyTypes).length) s.policyTypes = ['Ingress', ...(arr(s.egress).length ? ['Egress'] : [])];
}

export const others: ResourceDef[] = [
  resource('coordination.k8s.io', 'v1', {
    kind: 'Lease', plural: 'leases',
    table: table([nameCol, col('Holder', 'holderIdentity contains the identity of the holder of a current lease.'), ageCol], (o, now) => [o.metadata.name, o.spec?.holderIdentity ?? '', created(o, now)]),
  }),
  resource('discovery.k8s.io', 'v1', {
    kind: 'EndpointSlice', plural: 'endpointslices',
    strategy: { defaults: (o: any) => arr(o.ports).forEach((p) => p && typeof p === 'object' && (p.name ??= '', p.protocol ??= 'TCP')) },
    table: table([nameCol, col('AddressType', 'addressType specifies the type of address carried by this EndpointSlice.'), col('Ports', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
      col('Endpoints', 'endpoints is a list of unique endpoints in this slice.'), ageCol], (o, now) => [o.metadata.name, o.addressType ?? '', sliceEndpointPorts(o), sliceEndpoints(o), created(o, now)]),
  }),
  resource('networking.k8s.io', 'v1', {
    kind: 'Ingress', plural: 'ingresses', shortNames: ['ing'], status: true, generation: true,
    table: table([nameCol, col('Class', 'ingressClassName is the name of an IngressClass cluster resource.'), col('Hosts', 'Hosts that incoming requests are matched against before the ingress rule'),
      col('Address', 'Address is a list containing ingress points for the load-balancer'), col('Ports', 'Ports of TLS configurations that open'), ageCol], (o, now) => {
      const addr = sortedUnique(arr(o.status?.loadBalancer?.ingress).map((i) => i?.ip || i?.hostname).filter(Boolean)).join(',');
      return [o.metadata.name, o.spec?.ingressClassName ?? '<none>', ingressHosts(arr(o.spec?.rules)), addr, arr(o.spec?.tls).length ? '80, 443' : '80', created(o, now)];
    }),
  }),
  resource('networking.k8s.io', 'v1', {
    kind: 'IngressClass', plural: 'ingressclasses', namespaced: false,
    table: table([nameCol, col('Controller', 'Controller that is responsible for handling this class'), col('Parameters', 'A reference to a resource with additional parameters'), ageCol], (o, now) => {
      const p = o.spec?.parameters;
      const params = p ? `${p.kind}${p.apiGroup ? `.${p.apiGroup}` : ''}/${p.name}` : '<none>';
      return [o.metadata.name, o.spec?.controller ?? '', params, created(o, now)];
    }),
  }),
  resource('networking.k8s.io', 'v1', {
    kind: 'NetworkPolicy', plural: 'networkpolicies', shortNames: ['netpol'], generation: true,
    strategy: { defaults: defaultNetworkPolicy },
    table: table([nameCol, col('Pod-Selector', 'podSelector selects the pods to which this NetworkPolicy object applies.'), ageCol], (o, now) => [o.metadata.name, formatLabelSelector(o.spec?.podSelector), created(o, now)]),
  }),
  resource('policy', 'v1', {
    kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', shortNames: ['pdb'], status: true, generation: true,
    strategy: { validate: validatePodDisruptionBudget, validateStatusUpdate: validatePodDisruptionBudgetStatus },
    table: table([nameCol, col('Min Available', 'The minimum number of pods that must be available simultaneously.'), col('Max Unavailable', 'The maximum number of pods that may be unavailable simultaneously.'),
      col('Allowed Disruptions', 'Calculated number of pods that may be disrupted at this time.', { type: 'integer' }), ageCol],
    (o, now) => [o.metadata.name, o.spec?.minAvailable !== undefined && o.spec?.minAvailable !== null ? String(o.spec.minAvailable) : 'N/A',
      o.spec?.maxUnavailable !== undefined && o.spec?.maxUnavailable !== null ? String(o.spec.maxUnavailable) : 'N/A', n(o.status?.disruptionsAllowed), created(o, now)]),
  }),
  ...rbac,
  resource('storage.k8s.io', 'v1', storageClassRow),
  resource('events.k8s.io', 'v1', {
    kind: 'Event', plural: 'events', shortNames: ['ev'], storage: { group: '', resource: 'events' },
    toStorage: eventsV1ToCore, fromStorage: coreToEventsV1,
    strategy: { validate: validateEventsV1 },
    // Upstream serves this group from core's storage with core's printer.
    table: { columns: eventTable.columns, cells: (o, now) => eventTable.cells(eventsV1ToCore(o), now) },
    fieldSelectors: eventsV1FieldSelectors,
  }),
];
