import { EventRecorder, keyOf, type Client, type InformerFactory } from '../api/client/index.ts';
import { isAlreadyExists } from '../api/status.ts';
import type { apps, KObject } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { deploymentStatus } from './deployment-status.ts';
import { canonical, surgeAndUnavailable, templateHash } from './deployment-math.ts';
import { rollbackPatch, rollbackTarget, rolloutCompleteAnnotation } from './deployment-rollback.ts';
import { controllerLoop, controllerOf, WorkQueue } from './runtime/index.ts';

type Deployment = apps.Deployment & KObject;
type ReplicaSet = apps.ReplicaSet & KObject;

const hashLabel = 'pod-template-hash';
const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const revisionOf = (rs: ReplicaSet) => Number(rs.metadata.annotations?.[revisionAnnotation] ?? 0);

/**
 * Templates compare equal when they differ only in the pod-template-hash label, as upstream. A
 * null is the same as an absent field (upstream compares decoded structs): clients send
 * `creationTimestamp: null` in templates, and `kubectl rollout undo` copies a ReplicaSet's
 * template that has none.
 */
function sameTemplate(a: unknown, b: unknown): boolean {
  const strip = (t: unknown) => {
    const c = withoutNulls(structuredClone(t ?? {})) as { metadata?: { labels?: Record<string, string> } };
    if (c.metadata?.labels) delete c.metadata.labels[hashLabel];
    return canonical(c);
  };
  return strip(a) === strip(b);
}

function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
}

/**
 * The Deployment controller: one ReplicaSet per pod template (named `<deployment>-<hash>`,
 * labelled pod-template-hash, revision annotations), RollingUpdate within maxSurge and
 * maxUnavailable or Recreate, old ReplicaSets pruned beyond revisionHistoryLimit, and status with
 * the Available and Progressing conditions `kubectl rollout status` reads.
 */
export function deploymentController(client: Client, informers: InformerFactory, log: Logger, now: () => number = Date.now): Component {
  const deployments = informers.informer<Deployment>('apps/v1', 'deployments');
  const sets = informers.informer<ReplicaSet>('apps/v1', 'replicasets');
  const queue = new WorkQueue();
  const events = new EventRecorder(client, { component: 'deployment-controller' }, log);
  const rsClient = client.resource<ReplicaSet>('apps/v1', 'replicasets');
  const kind = { apiVersion: 'apps/v1', kind: 'Deployment' };

  async function scale(d: Deployment, rs: ReplicaSet, to: number): Promise<void> {
    const from = rs.spec?.replicas ?? 0;
    if (from === to) return;
    await rsClient.patch(rs.metadata.namespace, rs.metadata.name!, 'merge', { spec: { replicas: to }, metadata: { annotations: { 'deployment.kubernetes.io/desired-replicas': String(d.spec?.replicas ?? 1) } } });
    events.record(d, { type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}` }, undefined, kind);
  }

  async function reconcile(key: string): Promise<number | void> {
    const d = deployments.get(key);
    if (!d || d.metadata.deletionTimestamp) return;
    const owned = sets.byIndex('namespace', d.metadata.namespace ?? '').filter((rs) => controllerOf(rs)?.uid === d.metadata.uid);
    let newRS = owned.find((rs) => sameTemplate(rs.spec?.template, d.spec?.template));
    const old = owned.filter((rs) => rs !== newRS).sort((a, b) => revisionOf(a) - revisionOf(b));
    const replicas = d.spec?.replicas ?? 1;
    const { surge, unavailable } = surgeAndUnavailable(d);
    const recreate = d.spec?.strategy?.type === 'Recreate';
    const maxOld = Math.max(0, ...old.map(revisionOf));

    if (!d.spec?.paused) {
      if (!newRS) {
        newRS = await createNewRS(d, maxOld + 1, recreate ? 0 : Math.max(0, Math.min(replicas, replicas + surge - old.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0))));
        if (!newRS) return 100; // hash collision: status.collisionCount was bumped, try again
      } else if (revisionOf(newRS) <= maxOld) {
        // Rolled back to an older template: it becomes the newest revision again.
        await rsClient.patch(newRS.metadata.namespace, newRS.metadata.name!, 'merge', { metadata: { annotations: { [revisionAnnotation]: String(maxOld + 1) } } });
      }
      if (recreate) {
        for (const rs of old) await scale(d, rs, 0);
        const oldRunning = old.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
        if (oldRunning === 0) await scale(d, newRS, replicas);
      } else {
        await rollingUpdate(d, newRS, old, replicas, surge, unavailable);
      }
      await prune(d, old);
    } else {
      // A paused Deployment does not roll, but it still scales, as upstream (the one active
      // ReplicaSet; several active ones mid-rollout wait for the resume).
      const active = owned.filter((rs) => (rs.spec?.replicas ?? 0) > 0);
      const only = active.length === 1 ? active[0] : active.length === 0 ? (newRS ?? old.at(-1)) : undefined;
      if (only) await scale(d, only, replicas);
    }
    const status = deploymentStatus(d, newRS, owned, unavailable, now());
    if (canonical(status) !== canonical({ ...d.status, ...{} })) {
      await client.resource<Deployment>('apps/v1', 'deployments').patch(d.metadata.namespace, d.metadata.name!, 'merge', { status }, { subresource: 'status' });
    }
    const progressing = status.conditions?.find((c) => c.type === 'Progressing');
    if (newRS && progressing?.reason === 'NewReplicaSetAvailable' && newRS.metadata.annotations?.[rolloutCompleteAnnotation] !== 'true') {
      await rsClient.patch(newRS.metadata.namespace, newRS.metadata.name!, 'merge', { metadata: { annotations: { [rolloutCompleteAnnotation]: 'true' } } });
    }
    const target = rollbackTarget(d, status, newRS, old);
    if (target) {
      await client.resource<Deployment>('apps/v1', 'deployments').patch(d.metadata.namespace, d.metadata.name!, 'json', rollbackPatch(target));
      events.record(d, { type: 'Warning', reason: 'DeploymentRollback', message: `Rolled back deployment "${d.metadata.name}" to revision ${revisionOf(target)}: ${progressing!.message}` }, undefined, kind);
      return;
    }
    // Re-check the progress deadline while a rollout is under way.
    if (progressing?.status === 'True' && progressing.reason !== 'NewReplicaSetAvailable') return ((d.spec?.progressDeadlineSeconds ?? 600) * 1000) / 4;
  }

  async function createNewRS(d: Deployment, revision: number, initial: number): Promise<ReplicaSet | undefined> {
    const hash = templateHash(d.spec?.template, d.status?.collisionCount ?? 0);
    const t = structuredClone(d.spec!.template);
    t.metadata = { ...t.metadata, labels: { ...t.metadata?.labels, [hashLabel]: hash } };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels: { ...d.spec?.template?.metadata?.labels, [hashLabel]: hash },
        annotations: {
          [revisionAnnotation]: String(revision),
          'deployment.kubernetes.io/desired-replicas': String(d.spec?.replicas ?? 1),
          'deployment.kubernetes.io/max-replicas': String((d.spec?.replicas ?? 1) + surgeAndUnavailable(d).surge),
        },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name!, uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        replicas: initial,
        minReadySeconds: d.spec?.minReadySeconds,
        selector: { ...d.spec!.selector, matchLabels: { ...d.spec!.selector.matchLabels, [hashLabel]: hash } },
        template: t,
      },
    };
    try {
      const created = await rsClient.create(d.metadata.namespace, rs);
      events.record(d, { type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled up replica set ${created.metadata.name} from 0 to ${initial}` }, undefined, kind);
      return created;
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = sets.get(`${d.metadata.namespace}/${rs.metadata.name}`);
      if (existing && controllerOf(existing)?.uid === d.metadata.uid && sameTemplate(existing.spec?.template, d.spec?.template)) return existing;
      await client.resource<Deployment>('apps/v1', 'deployments').patch(d.metadata.namespace, d.metadata.name!, 'merge', { status: { collisionCount: (d.status?.collisionCount ?? 0) + 1 } }, { subresource: 'status' });
      return undefined;
    }
  }

  async function rollingUpdate(d: Deployment, newRS: ReplicaSet, old: ReplicaSet[], replicas: number, surge: number, unavailable: number): Promise<void> {
    const all = [newRS, ...old];
    const total = all.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0);
    const cur = newRS.spec?.replicas ?? 0;
    if (cur > replicas) await scale(d, newRS, replicas);
    else if (cur < replicas) {
      const room = Math.min(replicas + surge - total, replicas - cur);
      if (room > 0) await scale(d, newRS, cur + room);
    }
    // Scale old ones down only as far as availability allows (oldest first), as upstream.
    const minAvailable = replicas - unavailable;
    const available = all.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
    let budget = available - minAvailable;
    // Old pods that are not available do not count toward availability: they go first, then
    // available ones as far as the budget allows, oldest ReplicaSet first.
    for (const rs of old) {
      let target = rs.spec?.replicas ?? 0;
      target -= Math.max(0, target - (rs.status?.availableReplicas ?? 0));
      const down = Math.max(0, Math.min(target, budget));
      target -= down;
      budget -= down;
      await scale(d, rs, target);
    }
  }

  async function prune(d: Deployment, old: ReplicaSet[]): Promise<void> {
    const limit = d.spec?.revisionHistoryLimit ?? 10;
    const idle = old.filter((rs) => (rs.spec?.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0);
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) await rsClient.delete(rs.metadata.namespace, rs.metadata.name!, {}).catch(() => undefined);
  }

  const loop = controllerLoop('deployment', queue, reconcile, log);
  const byOwner = (rs: ReplicaSet) => {
    const o = controllerOf(rs);
    if (o?.kind === 'Deployment') queue.add(`${rs.metadata.namespace}/${o.name}`);
  };
  return {
    name: 'deployment',
    async start(signal) {
      deployments.onAdd((d) => queue.add(keyOf(d)));
      deployments.onUpdate((_o, d) => queue.add(keyOf(d)));
      sets.onAdd(byOwner);
      sets.onUpdate((_o, rs) => byOwner(rs));
      sets.onDelete(byOwner);
      await loop.start(signal);
    },
    stop: () => loop.stop!(),
  };
}
