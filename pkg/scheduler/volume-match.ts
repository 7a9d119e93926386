import { selectorMatches } from '../api/label-selector.ts';
import { quantityValue } from '../api/quantity.ts';
import type { core } from '../api/types/index.ts';
import { nodeAffinity } from './filters.ts';

type Claim = core.PersistentVolumeClaim;
type Volume = core.PersistentVolume;
type Node = core.Node;

/** Set on a WaitForFirstConsumer claim by the scheduler: the node its first pod goes to. */
export const selectedNodeAnnotation = 'volume.kubernetes.io/selected-node';

/** Whether `node` is one a volume's nodeAffinity allows (a volume without one fits anywhere). */
export function volumeFitsNode(pv: Volume, node: Node): boolean {
  const required = pv.spec?.nodeAffinity?.required;
  if (!required) return true;
  const probe = { spec: { containers: [], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: required } } } } as core.Pod;
  return nodeAffinity(probe, { node }) === undefined;
}

const storageOf = (q: string | undefined) => {
  try {
    return q === undefined ? 0 : quantityValue(q);
  } catch {
    return Number.NaN;
  }
};

/** A volume already promised to this claim (claimRef by name, and by uid when it carries one). */
export const isPreboundTo = (pv: Volume, claim: Claim) => {
  const ref = pv.spec?.claimRef;
  return !!ref && ref.name === claim.metadata?.name && ref.namespace === claim.metadata?.namespace && (!ref.uid || ref.uid === claim.metadata?.uid);
};

/**
 * Upstream's checkVolumeSatisfyClaim plus the selector: same class ("" for none) and volume mode,
 * every access mode the claim asks for, at least the requested size, the claim's selector.
 */
export function volumeSatisfies(pv: Volume, claim: Claim): boolean {
  const s = claim.spec ?? {};
  if ((pv.spec?.storageClassName ?? '') !== (s.storageClassName ?? '')) return false;
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (s.volumeMode ?? 'Filesystem')) return false;
  if (!(s.accessModes ?? []).every((m) => (pv.spec?.accessModes ?? []).includes(m))) return false;
  if (!(storageOf(pv.spec?.capacity?.storage) >= storageOf(s.resources?.requests?.storage))) return false;
  // A claim without a selector takes any volume.
  return !s.selector || selectorMatches(s.selector, pv.metadata?.labels ?? {});
}

/**
 * The volume a claim should bind to, as upstream's findMatchingVolume: one pre-bound to it if it
 * satisfies the claim, else the smallest unclaimed one that does (and fits `node` when given).
 */
export function findVolume<V extends Volume>(claim: Claim, volumes: V[], node?: Node): V | undefined {
  const usable = (pv: V) => !pv.metadata?.deletionTimestamp && volumeSatisfies(pv, claim) && (!node || volumeFitsNode(pv, node));
  const prebound = volumes.find((pv) => isPreboundTo(pv, claim) && usable(pv));
  if (prebound) return prebound;
  const free = volumes.filter((pv) => !pv.spec?.claimRef && (pv.status?.phase ?? 'Available') !== 'Released' && pv.status?.phase !== 'Failed' && usable(pv));
  return free.sort((a, b) => storageOf(a.spec?.capacity?.storage) - storageOf(b.spec?.capacity?.storage))[0];
}
