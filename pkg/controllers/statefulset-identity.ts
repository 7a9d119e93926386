import type { apps, core, KObject } from '../api/types/index.ts';

export type StatefulSet = apps.StatefulSet & KObject;
export type Pod = core.Pod & KObject;
export type Claim = core.PersistentVolumeClaim & KObject;

export const podNameLabel = 'statefulset.kubernetes.io/pod-name';
export const podIndexLabel = 'apps.kubernetes.io/pod-index';
export const revisionLabel = 'controller-revision-hash';

/** The first ordinal (spec.ordinals.start, GA in 1.31) and one past the last wanted one. */
export function ordinalRange(set: StatefulSet): { start: number; end: number } {
  const start = set.spec?.ordinals?.start ?? 0;
  return { start, end: start + (set.spec?.replicas ?? 1) };
}

export const podName = (set: StatefulSet, ordinal: number) => `${set.metadata.name}-${ordinal}`;

/** The ordinal in a pod's name when it is `<set>-<n>`, else -1 (not one of this set's identities). */
export function ordinalOf(set: StatefulSet, pod: Pod): number {
  const prefix = `${set.metadata.name}-`;
  const name = pod.metadata.name ?? '';
  if (!name.startsWith(prefix)) return -1;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : -1;
}

export const claimName = (template: string, set: StatefulSet, ordinal: number) => `${template}-${podName(set, ordinal)}`;

const ownerRef = (set: StatefulSet) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name!, uid: set.metadata.uid!, controller: true, blockOwnerDeletion: true });

/**
 * The pod for `ordinal` from `template` (the set's, or an older revision's): the stable name,
 * hostname and subdomain (the governing service), upstream's identity labels, and each
 * volumeClaimTemplate as a persistentVolumeClaim volume replacing a template volume of that name.
 */
export function newPod(set: StatefulSet, template: core.PodTemplateSpec, revision: string, ordinal: number): Pod {
  const name = podName(set, ordinal);
  const spec = structuredClone(template.spec ?? { containers: [] }) as core.PodSpec;
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  const claims = (set.spec?.volumeClaimTemplates ?? []).map((t) => ({ name: t.metadata?.name ?? '', persistentVolumeClaim: { claimName: claimName(t.metadata?.name ?? '', set, ordinal) } }));
  if (claims.length) spec.volumes = [...(spec.volumes ?? []).filter((v) => !claims.some((c) => c.name === v.name)), ...claims];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata.namespace,
      labels: { ...template.metadata?.labels, [podNameLabel]: name, [podIndexLabel]: String(ordinal), [revisionLabel]: revision },
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [ownerRef(set)],
    },
    spec,
  };
}

/** The claims `ordinal` needs, as upstream's getPersistentVolumeClaims: labelled with the selector's matchLabels. */
export function claimsFor(set: StatefulSet, ordinal: number): Claim[] {
  return (set.spec?.volumeClaimTemplates ?? []).map((t) => {
    const spec = structuredClone(t.spec ?? {}) as core.PersistentVolumeClaimSpec;
    return {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: claimName(t.metadata?.name ?? '', set, ordinal),
        namespace: set.metadata.namespace,
        labels: { ...t.metadata?.labels, ...set.spec?.selector?.matchLabels },
        ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      },
      spec,
    };
  });
}

/**
 * The owner references a claim should carry under persistentVolumeClaimRetentionPolicy
 * (upstream's claim ownership): whenDeleted=Delete → owned by the set; whenScaled=Delete and the
 * ordinal condemned by a scale-down → owned by its pod only, so the garbage collector removes it
 * with the pod. Other owners on the claim are kept; these references never block deletion.
 */
export function claimOwners(claim: Claim, set: StatefulSet, pod: Pod | undefined, condemned: boolean): KObject['metadata']['ownerReferences'] {
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy;
  const refs = (claim.metadata.ownerReferences ?? []).filter((r) => r.uid !== set.metadata.uid && !(r.kind === 'Pod' && r.name === pod?.metadata.name));
  // A scaled-away claim belongs to its pod alone, so it goes with the pod whatever whenDeleted says.
  if (condemned && pod && policy?.whenScaled === 'Delete') refs.push({ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name!, uid: pod.metadata.uid! });
  else if (policy?.whenDeleted === 'Delete') refs.push({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name!, uid: set.metadata.uid! });
  return refs;
}

export const isTerminating = (p: Pod) => !!p.metadata.deletionTimestamp;
export const isFinished = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
export const isRunningAndReady = (p: Pod) => p.status?.phase === 'Running' && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
