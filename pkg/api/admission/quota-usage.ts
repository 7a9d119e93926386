import { parseExact, type Quantity } from '../quantity-exact.ts';
import type { KObject } from '../types/index.ts';
import { podResources, type PodSpecLike, type Resources } from './resource-lists.ts';

/**
 * What an object charges against a ResourceQuota (upstream's quota evaluators), shared by the
 * ResourceQuota admission plugin and the resource quota controller so the two always agree.
 */

const one = (): Quantity => ({ nanos: 10n ** 9n, format: 'DecimalSI' });
const count = (n: number): Quantity => ({ nanos: BigInt(n) * 10n ** 9n, format: 'DecimalSI' });
const storageClassSuffix = '.storageclass.storage.k8s.io/';

/** `count/<plural>` for core kinds, `count/<plural>.<group>` otherwise. */
export const objectCountName = (group: string, plural: string) => (group ? `count/${plural}.${group}` : `count/${plural}`);

/** Core kinds that also have a bare count name (`pods`, `services`, …). */
const legacyCounts = new Set(['pods', 'services', 'configmaps', 'secrets', 'persistentvolumeclaims', 'replicationcontrollers', 'resourcequotas']);

type Pod = KObject & { spec?: PodSpecLike & { activeDeadlineSeconds?: number; priorityClassName?: string }; status?: { phase?: string } };

/** QuotaV1Pod: pods that finished, or whose deletion grace period is over, no longer use compute resources. */
function podCharged(pod: Pod, now: number): boolean {
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return false;
  const del = pod.metadata.deletionTimestamp;
  if (del && pod.metadata.deletionGracePeriodSeconds !== undefined && now > Date.parse(del) + pod.metadata.deletionGracePeriodSeconds * 1000) return false;
  return true;
}

function podUsage(pod: Pod, now: number): Resources {
  const usage: Resources = new Map([['count/pods', one()]]);
  if (!podCharged(pod, now)) return usage;
  usage.set('pods', one());
  const requests = podResources(pod.spec, 'requests');
  const limits = podResources(pod.spec, 'limits');
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    const req = requests.get(r);
    if (req) usage.set(r, req).set(`requests.${r}`, req);
    const lim = limits.get(r);
    if (lim) usage.set(`limits.${r}`, lim);
  }
  for (const [r, q] of requests) {
    if (r.startsWith('hugepages-')) usage.set(r, q).set(`requests.${r}`, q);
    else if (r.includes('/') && !r.startsWith('kubernetes.io/') && !r.startsWith('requests.')) usage.set(`requests.${r}`, q);
  }
  return usage;
}

function serviceUsage(svc: KObject): Resources {
  const spec = (svc.spec ?? {}) as { type?: string; ports?: { nodePort?: number }[]; allocateLoadBalancerNodePorts?: boolean };
  const ports = spec.ports?.length ?? 0;
  const usage: Resources = new Map([['count/services', one()], ['services', one()], ['services.loadbalancers', count(0)], ['services.nodeports', count(0)]]);
  if (spec.type === 'NodePort') usage.set('services.nodeports', count(ports));
  if (spec.type === 'LoadBalancer') {
    const nodePorts = spec.allocateLoadBalancerNodePorts === false ? (spec.ports ?? []).filter((p) => p.nodePort).length : ports;
    usage.set('services.nodeports', count(nodePorts)).set('services.loadbalancers', one());
  }
  return usage;
}

function claimUsage(pvc: KObject): Resources {
  const spec = (pvc.spec ?? {}) as { storageClassName?: string; resources?: { requests?: { storage?: unknown } } };
  const status = (pvc.status ?? {}) as { allocatedResources?: { storage?: unknown } };
  const usage: Resources = new Map([['persistentvolumeclaims', one()], ['count/persistentvolumeclaims', one()]]);
  const cls = spec.storageClassName ?? pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '';
  if (cls) usage.set(`${cls}${storageClassSuffix}persistentvolumeclaims`, one());
  // The larger of the request and what a resize already allocated.
  const req = parseExact(spec.resources?.requests?.storage);
  const allocated = parseExact(status.allocatedResources?.storage);
  const storage = req && allocated ? (allocated.nanos > req.nanos ? allocated : req) : (req ?? allocated);
  if (storage) {
    usage.set('requests.storage', storage);
    if (cls) usage.set(`${cls}${storageClassSuffix}requests.storage`, storage);
  }
  return usage;
}

/** The usage of one object of a kind (group, plural); `now` in ms decides whether a terminating pod still counts. */
export function usageOf(group: string, plural: string, obj: KObject, now: number): Resources {
  if (group === '' && plural === 'pods') return podUsage(obj as Pod, now);
  if (group === '' && plural === 'services') return serviceUsage(obj);
  if (group === '' && plural === 'persistentvolumeclaims') return claimUsage(obj);
  const usage: Resources = new Map([[objectCountName(group, plural), one()]]);
  if (group === '' && legacyCounts.has(plural)) usage.set(plural, one());
  return usage;
}

/** Whether a quota resource name is one this kind's evaluator charges (MatchingResources). */
export function kindCharges(group: string, plural: string, resource: string): boolean {
  if (resource === objectCountName(group, plural)) return true;
  if (group !== '') return false;
  if (plural === 'pods') {
    return resource === 'pods' || /^(requests\.|limits\.)?(cpu|memory|ephemeral-storage)$/.test(resource) || /^(requests\.)?hugepages-/.test(resource)
      || (resource.startsWith('requests.') && resource.includes('/') && !resource.startsWith('requests.kubernetes.io/'));
  }
  if (plural === 'services') return resource === 'services' || resource === 'services.loadbalancers' || resource === 'services.nodeports';
  if (plural === 'persistentvolumeclaims') return resource === 'persistentvolumeclaims' || resource === 'requests.storage' || resource.includes(storageClassSuffix);
  return legacyCounts.has(plural) && resource === plural;
}

/** The kind a quota resource name counts, for names that count objects: `count/x.y`, `pods`, `secrets`, … */
export function countedKind(resource: string): { group: string; plural: string } | undefined {
  if (legacyCounts.has(resource)) return { group: '', plural: resource };
  const m = /^count\/([a-z0-9-]+)(?:\.(.+))?$/.exec(resource);
  return m ? { group: m[2] ?? '', plural: m[1]! } : undefined;
}

type Selector = { operator?: string; scopeName?: string; values?: string[] };
export interface QuotaSpec {
  hard?: Record<string, unknown>;
  scopes?: string[];
  scopeSelector?: { matchExpressions?: Selector[] };
}

function isBestEffort(pod: Pod): boolean {
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  return containers.every((c) => ['requests', 'limits'].every((w) => {
    const list = (c?.resources as Record<string, Record<string, unknown> | undefined> | undefined)?.[w] ?? {};
    return ['cpu', 'memory'].every((r) => !parseExact(list[r])?.nanos);
  }));
}

function podInScope(pod: Pod, s: Selector): boolean {
  const deadline = pod.spec?.activeDeadlineSeconds;
  switch (s.scopeName) {
    case 'Terminating': return deadline !== undefined && deadline !== null && deadline >= 0;
    case 'NotTerminating': return deadline === undefined || deadline === null;
    case 'BestEffort': return isBestEffort(pod);
    case 'NotBestEffort': return !isBestEffort(pod);
    case 'PriorityClass': {
      const pc = pod.spec?.priorityClassName ?? '';
      if (s.operator === 'Exists') return pc !== '';
      if (s.operator === 'DoesNotExist') return pc === '';
      const inValues = (s.values ?? []).includes(pc);
      return s.operator === 'NotIn' ? !inValues : inValues;
    }
    default: return false;
  }
}

/** Whether a quota's scopes select the object: no scopes select everything; scoped quotas only pods, as upstream. */
export function quotaSelects(spec: QuotaSpec, group: string, plural: string, obj: KObject): boolean {
  const selectors: Selector[] = [...(spec.scopes ?? []).map((scopeName) => ({ scopeName, operator: 'Exists' })), ...(spec.scopeSelector?.matchExpressions ?? [])];
  if (!selectors.length) return true;
  if (group !== '' || plural !== 'pods') return false;
  return selectors.every((s) => podInScope(obj as Pod, s));
}
