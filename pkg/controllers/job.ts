import { EventRecorder, keyOf, type Client, type InformerFactory } from '../api/client/index.ts';
import { isNotFound } from '../api/status.ts';
import type { batch, core, KObject } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { controllerLoop, controllerOf, Expectations, WorkQueue } from './runtime/index.ts';

type Job = batch.Job & KObject;
type Pod = core.Pod & KObject;

const indexAnnotation = 'batch.kubernetes.io/job-completion-index';
const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** "0-2,4" as upstream writes completedIndexes. */
export function indexRanges(xs: number[]): string {
  const s = [...new Set(xs)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    out.push(j > i ? `${s[i]}-${s[j]}` : `${s[i]}`);
    i = j;
  }
  return out.join(',');
}

/**
 * The Job controller: runs pods from the template until `completions` succeed (NonIndexed or
 * Indexed, at most `parallelism` at once), fails the Job after `backoffLimit` failed pods or
 * `activeDeadlineSeconds`, and deletes finished Jobs after `ttlSecondsAfterFinished`. Status and
 * conditions as upstream 1.32 (SuccessCriteriaMet/Complete, FailureTarget/Failed).
 */
export function jobController(client: Client, informers: InformerFactory, log: Logger, now: () => number = Date.now): Component {
  const jobs = informers.informer<Job>('batch/v1', 'jobs');
  const pods = informers.informer<Pod>('v1', 'pods');
  const queue = new WorkQueue();
  const expectations = new Expectations(now);
  const events = new EventRecorder(client, { component: 'job-controller' }, log);
  const kind = { apiVersion: 'batch/v1', kind: 'Job' };
  const jobClient = client.resource<Job>('batch/v1', 'jobs');
  const podClient = client.resource<Pod>('v1', 'pods');

  async function reconcile(key: string): Promise<number | void> {
    const job = jobs.get(key);
    if (!job) return expectations.delete(key);
    if (job.metadata.deletionTimestamp) return;
    const t = now();
    const finished = job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
    if (finished) return ttl(job, t);

    const owned = pods.byIndex('namespace', job.metadata.namespace ?? '').filter((p) => controllerOf(p)?.uid === job.metadata.uid);
    const active = owned.filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    const succeeded = owned.filter((p) => p.status?.phase === 'Succeeded');
    const failed = owned.filter((p) => p.status?.phase === 'Failed');
    const spec = job.spec!;
    const indexed = spec.completionMode === 'Indexed';
    const completions = spec.completions;
    const startTime = job.status?.startTime ? Date.parse(job.status.startTime) : t;
    const doneIndexes = succeeded.map((p) => Number(p.metadata.annotations?.[indexAnnotation])).filter((n) => Number.isInteger(n));
    const succeededCount = indexed ? new Set(doneIndexes).size : succeeded.length;

    let outcome: { type: 'Complete' | 'Failed'; reason: string; message: string } | undefined;
    if (failed.length > (spec.backoffLimit ?? 6)) outcome = { type: 'Failed', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    else if (spec.activeDeadlineSeconds !== undefined && t - startTime >= spec.activeDeadlineSeconds * 1000) outcome = { type: 'Failed', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
    else if (completions !== undefined ? succeededCount >= completions : succeeded.length > 0 && active.length === 0) outcome = { type: 'Complete', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };

    if (outcome) {
      for (const p of active) await podClient.delete(p.metadata.namespace, p.metadata.name!, {}).catch(() => undefined);
    } else if (expectations.satisfied(key)) {
      await managePods(job, key, active, indexed ? new Set(doneIndexes) : undefined, succeededCount);
    }

    const conditions = [...(job.status?.conditions ?? [])];
    if (outcome) {
      const first = outcome.type === 'Complete' ? 'SuccessCriteriaMet' : 'FailureTarget';
      for (const type of [first, outcome.type]) conditions.push({ type, status: 'True', reason: outcome.reason, message: outcome.message, lastProbeTime: stamp(t), lastTransitionTime: stamp(t) });
      events.record(job, outcome.type === 'Complete' ? { type: 'Normal', reason: 'Completed', message: 'Job completed' } : { type: 'Warning', reason: outcome.reason, message: outcome.message }, undefined, kind);
    }
    const status: batch.JobStatus = {
      ...job.status,
      startTime: stamp(startTime),
      active: active.length,
      succeeded: succeededCount,
      failed: failed.length,
      ready: active.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length,
      terminating: owned.filter((p) => p.metadata.deletionTimestamp).length,
      ...(indexed ? { completedIndexes: indexRanges(doneIndexes) } : {}),
      ...(outcome?.type === 'Complete' ? { completionTime: stamp(t) } : {}),
      ...(conditions.length ? { conditions } : {}),
    };
    if (JSON.stringify(status) !== JSON.stringify(job.status)) await jobClient.patch(job.metadata.namespace, job.metadata.name!, 'merge', { status }, { subresource: 'status' });
    if (!outcome && spec.activeDeadlineSeconds !== undefined) return Math.max(100, startTime + spec.activeDeadlineSeconds * 1000 - t);
  }

  async function managePods(job: Job, key: string, active: Pod[], done: Set<number> | undefined, succeeded: number): Promise<void> {
    const spec = job.spec!;
    const parallelism = spec.parallelism ?? 1;
    const remaining = spec.completions !== undefined ? spec.completions - succeeded : parallelism;
    const want = Math.max(0, Math.min(parallelism, remaining));
    if (active.length > want) {
      const extra = active.slice(want);
      expectations.expect(key, 0, extra.length);
      for (const p of extra) await podClient.delete(p.metadata.namespace, p.metadata.name!, {}).catch((err: unknown) => {
        expectations.lowerDels(key);
        if (!isNotFound(err)) throw err;
      });
      return;
    }
    const n = want - active.length;
    if (n <= 0) return;
    let indexes: (number | undefined)[] = Array.from({ length: n }, () => undefined);
    if (done) {
      const busy = new Set(active.map((p) => Number(p.metadata.annotations?.[indexAnnotation])));
      const free: number[] = [];
      for (let i = 0; i < (spec.completions ?? 0) && free.length < n; i++) if (!done.has(i) && !busy.has(i)) free.push(i);
      indexes = free;
    }
    expectations.expect(key, indexes.length, 0);
    for (const index of indexes) {
      try {
        await podClient.create(job.metadata.namespace, podFor(job, index));
      } catch (err) {
        expectations.lowerAdds(key);
        throw err;
      }
    }
  }

  async function ttl(job: Job, t: number): Promise<number | void> {
    const after = job.spec?.ttlSecondsAfterFinished;
    if (after === undefined) return;
    const done = Date.parse(job.status?.completionTime ?? job.status?.conditions?.find((c) => c.type === 'Failed')?.lastTransitionTime ?? '') || t;
    const left = done + after * 1000 - t;
    if (left > 0) return left;
    await jobClient.delete(job.metadata.namespace, job.metadata.name!, { propagationPolicy: 'Background', preconditions: { uid: job.metadata.uid } }).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
  }

  const loop = controllerLoop('job', queue, reconcile, log);
  const byOwner = (p: Pod) => {
    const o = controllerOf(p);
    if (o?.kind === 'Job') queue.add(`${p.metadata.namespace}/${o.name}`);
  };
  return {
    name: 'job',
    async start(signal) {
      jobs.onAdd((j) => queue.add(keyOf(j)));
      jobs.onUpdate((_o, j) => queue.add(keyOf(j)));
      jobs.onDelete((j) => expectations.delete(keyOf(j)));
      pods.onAdd((p) => {
        const o = controllerOf(p);
        if (o?.kind === 'Job') expectations.observedAdd(`${p.metadata.namespace}/${o.name}`);
        byOwner(p);
      });
      pods.onUpdate((o, p) => {
        const owner = controllerOf(p);
        if (owner?.kind === 'Job' && p.metadata.deletionTimestamp && !o.metadata.deletionTimestamp) expectations.observedDel(`${p.metadata.namespace}/${owner.name}`);
        byOwner(p);
      });
      pods.onDelete((p) => {
        const o = controllerOf(p);
        if (o?.kind === 'Job') expectations.observedDel(`${p.metadata.namespace}/${o.name}`);
        byOwner(p);
      });
      await loop.start(signal);
    },
    stop: () => loop.stop!(),
  };
}

function podFor(job: Job, index: number | undefined): Pod {
  const t = job.spec!.template;
  const annotations = { ...t.metadata?.annotations, ...(index !== undefined ? { [indexAnnotation]: String(index) } : {}) };
  const spec = structuredClone(t.spec!) as core.PodSpec;
  if (index !== undefined) {
    for (const c of spec.containers) c.env = [...(c.env ?? []), { name: 'JOB_COMPLETION_INDEX', value: String(index) }];
    spec.hostname ??= `${job.metadata.name}-${index}`;
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: index !== undefined ? `${job.metadata.name}-${index}-` : `${job.metadata.name}-`,
      namespace: job.metadata.namespace,
      labels: { ...t.metadata?.labels, ...(index !== undefined ? { [indexAnnotation]: String(index) } : {}) },
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name!, uid: job.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec,
  };
}
