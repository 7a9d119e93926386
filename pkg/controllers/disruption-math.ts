import type { KObject } from '../api/types/index.ts';

/** intstr.GetScaledValueFromIntOrPercent with rounding up: a number, or "N%" of `total`. */
export function scaledValue(v: number | string, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  return Math.ceil((Number(m[1]) * total) / 100);
}

/** A value given as a percentage needs the controllers' scale; a plain number does not. */
export const isPercent = (v: unknown) => typeof v === 'string';

/** Where a pod's controller's scale is read from, by owner kind. */
export interface ScaleSources {
  replicaSet(ns: string, name: string): KObject | undefined;
  deployment(ns: string, name: string): KObject | undefined;
  statefulSet(ns: string, name: string): KObject | undefined;
  replicationController(ns: string, name: string): KObject | undefined;
}

type Owner = { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean };
const controllerRef = (o: KObject) => o.metadata.ownerReferences?.find((r) => r.controller) as Owner | undefined;
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
const replicas = (o: KObject) => ((o as { spec?: { replicas?: number } }).spec?.replicas ?? 1);

/**
 * The scale of the controller owning a pod, keyed by that controller's uid, as upstream's finders:
 * a ReplicaSet owned by a Deployment counts as the Deployment; otherwise the ReplicaSet, the
 * StatefulSet or the ReplicationController itself. Undefined: no such controller is known.
 */
function controllerScale(owner: Owner, ns: string, src: ScaleSources): { uid: string; scale: number } | undefined {
  const g = groupOf(owner.apiVersion);
  if (owner.kind === 'ReplicaSet' && (g === 'apps' || g === 'extensions')) {
    const rs = src.replicaSet(ns, owner.name);
    if (!rs || rs.metadata.uid !== owner.uid) return undefined;
    const up = controllerRef(rs);
    if (up?.kind === 'Deployment' && (groupOf(up.apiVersion) === 'apps' || groupOf(up.apiVersion) === 'extensions')) {
      const d = src.deployment(ns, up.name);
      return d && d.metadata.uid === up.uid ? { uid: d.metadata.uid!, scale: replicas(d) } : undefined;
    }
    return up ? undefined : { uid: rs.metadata.uid!, scale: replicas(rs) };
  }
  if (owner.kind === 'StatefulSet' && g === 'apps') {
    const s = src.statefulSet(ns, owner.name);
    return s && s.metadata.uid === owner.uid ? { uid: s.metadata.uid!, scale: replicas(s) } : undefined;
  }
  if (owner.kind === 'ReplicationController' && g === '') {
    const rc = src.replicationController(ns, owner.name);
    return rc && rc.metadata.uid === owner.uid ? { uid: rc.metadata.uid!, scale: replicas(rc) } : undefined;
  }
  return undefined;
}

/**
 * getExpectedScale: the sum of the scales of the controllers of `pods` (each counted once).
 * Pods without a controller are returned as unmanaged; a controller that cannot be found is an
 * error (`found no controllers for pod "x"`), as upstream.
 */
export function expectedScale(pods: KObject[], src: ScaleSources): { expected: number; unmanaged: string[] } {
  const scales = new Map<string, number>();
  const unmanaged: string[] = [];
  for (const pod of pods) {
    const ref = controllerRef(pod);
    if (!ref) {
      unmanaged.push(pod.metadata.name!);
      continue;
    }
    if (scales.has(ref.uid)) continue;
    const found = controllerScale(ref, pod.metadata.namespace ?? '', src);
    if (!found) throw new Error(`found no controllers for pod "${pod.metadata.name}"`);
    scales.set(found.uid, found.scale);
  }
  let expected = 0;
  for (const s of scales.values()) expected += s;
  return { expected, unmanaged };
}

export interface BudgetSpec {
  minAvailable?: number | string | null;
  maxUnavailable?: number | string | null;
}

/**
 * getExpectedPodCount: maxUnavailable is taken from the controllers' scale; minAvailable as a
 * number counts the selected pods, as a percentage the controllers' scale.
 */
export function expectedPodCount(spec: BudgetSpec, pods: KObject[], src: ScaleSources): { expected: number; desiredHealthy: number; unmanaged: string[] } {
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    const { expected, unmanaged } = expectedScale(pods, src);
    return { expected, desiredHealthy: Math.max(0, expected - scaledValue(spec.maxUnavailable, expected)), unmanaged };
  }
  if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (!isPercent(spec.minAvailable)) return { expected: pods.length, desiredHealthy: spec.minAvailable as number, unmanaged: [] };
    const { expected, unmanaged } = expectedScale(pods, src);
    return { expected, desiredHealthy: scaledValue(spec.minAvailable, expected), unmanaged };
  }
  return { expected: 0, desiredHealthy: 0, unmanaged: [] };
}
