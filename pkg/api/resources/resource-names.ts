import { qualifiedNameErrors } from '../validation/index.ts';

/** core/v1 helper's resource name classes, for LimitRange and ResourceQuota validation. */

const standard = new Set(['cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory',
  'limits.ephemeral-storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims', 'storage',
  'requests.storage', 'services.nodeports', 'services.loadbalancers']);
const standardQuota = new Set(['cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.storage', 'requests.ephemeral-storage', 'limits.cpu',
  'limits.memory', 'limits.ephemeral-storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'persistentvolumeclaims', 'configmaps',
  'services.nodeports', 'services.loadbalancers']);
const integer = new Set(['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers']);

const hugePages = (n: string) => n.startsWith('hugepages-');
const isNative = (n: string) => !n.includes('/') || n.includes('kubernetes.io/');

export const isStandardResourceName = (n: string) => standard.has(n) || hugePages(n) || n.startsWith('requests.hugepages-');
export const isStandardQuotaResourceName = (n: string) => standardQuota.has(n) || hugePages(n) || n.startsWith('requests.hugepages-');
export const isStandardContainerResourceName = (n: string) => n === 'cpu' || n === 'memory' || n === 'ephemeral-storage' || hugePages(n);
/** Domain-qualified names outside kubernetes.io that would also be valid behind `requests.`. */
export const isExtendedResourceName = (n: string) => !isNative(n) && !n.startsWith('requests.') && qualifiedNameErrors(`requests.${n}`).length === 0;
export const isIntegerResourceName = (n: string) => integer.has(n) || isExtendedResourceName(n);

/** validateResourceName: a qualified name, and a standard one unless domain-qualified. */
export function resourceNameErrors(n: string): string[] {
  const errs = qualifiedNameErrors(n);
  if (errs.length) return errs;
  return n.includes('/') || isStandardResourceName(n) ? [] : ['must be a standard resource type or fully qualified'];
}

/** validateContainerResourceName: as resourceNameErrors, and a container resource or an extended one. */
export function containerResourceNameErrors(n: string): string[] {
  const errs = resourceNameErrors(n);
  if (!n.includes('/')) return isStandardContainerResourceName(n) ? errs : [...errs, 'must be a standard resource for containers'];
  return isNative(n) || isExtendedResourceName(n) ? errs : [...errs, "doesn't follow extended resource name standard"];
}
