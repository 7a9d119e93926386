import type { apps, core, KObject } from '../api/types/index.ts';
import { canonical, templateHash } from './deployment-math.ts';
import { controllerOf } from './runtime/index.ts';
import type { StatefulSet } from './statefulset-identity.ts';

export type Revision = apps.ControllerRevision & KObject;

/** The label upstream puts on a ControllerRevision with its hash. */
const hashLabel = 'controller.kubernetes.io/hash';

/**
 * A revision's data as upstream's getPatch makes it, which `kubectl rollout undo` applies as a
 * strategic merge patch and `kubectl rollout history` prints: the template, replacing the old one.
 */
export function revisionData(set: { spec?: { template?: core.PodTemplateSpec } }): { spec: { template: Record<string, unknown> } } {
  return { spec: { template: { ...structuredClone(set.spec?.template ?? {}), $patch: 'replace' } } };
}

/** The pod template a revision holds. */
export function templateOf(rev: Revision): core.PodTemplateSpec {
  const t = structuredClone((rev.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template ?? {});
  delete t.$patch;
  return t as core.PodTemplateSpec;
}

/** Upstream compares revisions by data; null and absent fields are the same to a decoded struct. */
export const sameData = (a: unknown, b: unknown) => canonical(withoutNulls(a)) === canonical(withoutNulls(b));

export function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
}

export const ownedRevisions = (set: KObject, all: Revision[]) =>
  all.filter((r) => controllerOf(r)?.uid === set.metadata.uid).sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));

/** A new ControllerRevision `<set>-<hash>` for the set's current template, numbered `revision`. */
export function newRevision(set: StatefulSet, revision: number): Revision {
  const data = revisionData(set);
  const hash = templateHash(withoutNulls(data), set.status?.collisionCount ?? 0);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `${set.metadata.name}-${hash}`,
      namespace: set.metadata.namespace,
      labels: { ...set.spec?.template?.metadata?.labels, [hashLabel]: hash },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name!, uid: set.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    data,
    revision,
  };
}

/**
 * Revisions beyond revisionHistoryLimit to delete, oldest first, never one still live (the
 * current or update revision, or one a pod runs), as upstream's truncateHistory.
 */
export function revisionsToPrune(set: { spec?: { revisionHistoryLimit?: number } }, owned: Revision[], live: Set<string>): Revision[] {
  const old = owned.filter((r) => !live.has(r.metadata.name!));
  const limit = set.spec?.revisionHistoryLimit ?? 10;
  return old.slice(0, Math.max(0, old.length - limit));
}
