import { EventRecorder, keyOf, type Client, type InformerFactory } from '../api/client/index.ts';
import { isAlreadyExists, isNotFound } from '../api/status.ts';
import type { batch, KObject } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { lastFiring, nextFiring, parseSchedule } from './cron-schedule.ts';
import { controllerLoop, controllerOf, WorkQueue } from './runtime/index.ts';

type CronJob = batch.CronJob & KObject;
type Job = batch.Job & KObject;

const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const finished = (j: Job) => j.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type;

/**
 * The CronJob controller: at each scheduled time (in spec.timeZone) it creates a Job named
 * `<cronjob>-<minutes since epoch>` from the jobTemplate, unless suspended, past
 * startingDeadlineSeconds, or forbidden by concurrencyPolicy (Forbid skips, Replace deletes the
 * running ones). It keeps successfulJobsHistoryLimit / failedJobsHistoryLimit finished Jobs and
 * reports active Jobs, lastScheduleTime and lastSuccessfulTime.
 */
export function cronJobController(client: Client, informers: InformerFactory, log: Logger, now: () => number = Date.now): Component {
  const cronjobs = informers.informer<CronJob>('batch/v1', 'cronjobs');
  const jobs = informers.informer<Job>('batch/v1', 'jobs');
  const queue = new WorkQueue();
  const events = new EventRecorder(client, { component: 'cronjob-controller' }, log);
  const kind = { apiVersion: 'batch/v1', kind: 'CronJob' };
  const jobClient = client.resource<Job>('batch/v1', 'jobs');

  async function reconcile(key: string): Promise<number | void> {
    const cj = cronjobs.get(key);
    if (!cj || cj.metadata.deletionTimestamp) return;
    const t = now();
    const ns = cj.metadata.namespace!;
    const owned = jobs.byIndex('namespace', ns).filter((j) => controllerOf(j)?.uid === cj.metadata.uid);
    const active = owned.filter((j) => !finished(j) && !j.metadata.deletionTimestamp);
    const schedule = parseSchedule(cj.spec!.schedule, cj.spec?.timeZone ?? 'UTC');
    let lastSchedule = cj.status?.lastScheduleTime ? Date.parse(cj.status.lastScheduleTime) : undefined;

    if (schedule && !cj.spec?.suspend) {
      const after = lastSchedule ?? (Date.parse(cj.metadata.creationTimestamp ?? '') || t);
      const due = lastFiring(schedule, after, t);
      const deadline = cj.spec?.startingDeadlineSeconds;
      if (due !== undefined && (deadline === undefined || t - due <= deadline * 1000)) {
        const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
        if (policy === 'Forbid' && active.length) {
          events.record(cj, { type: 'Normal', reason: 'JobAlreadyActive', message: 'Not starting job because prior execution is running and concurrency policy is Forbid' }, undefined, kind);
          return 1_000;
        }
        if (policy === 'Replace') {
          for (const j of active) {
            await jobClient.delete(ns, j.metadata.name!, { propagationPolicy: 'Background' }).catch(() => undefined);
            events.record(cj, { type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted job ${j.metadata.name}` }, undefined, kind);
          }
        }
        const name = `${cj.metadata.name}-${Math.floor(due / 60_000)}`;
        try {
          await jobClient.create(ns, jobFor(cj, name, due));
          events.record(cj, { type: 'Normal', reason: 'SuccessfulCreate', message: `Created job ${name}` }, undefined, kind);
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
        }
        lastSchedule = due;
      } else if (due !== undefined) {
        lastSchedule = due; // missed its starting deadline: skipped, as upstream
      }
    }
    await pruneHistory(cj, owned);
    const ok = owned.filter((j) => finished(j) === 'Complete').map((j) => Date.parse(j.status?.completionTime ?? '') || 0);
    const status: batch.CronJobStatus = {
      ...(active.length ? { active: active.map((j) => ({ kind: 'Job', namespace: ns, name: j.metadata.name, uid: j.metadata.uid, apiVersion: 'batch/v1', resourceVersion: j.metadata.resourceVersion })) } : {}),
      ...(lastSchedule !== undefined ? { lastScheduleTime: stamp(lastSchedule) } : {}),
      ...(ok.length ? { lastSuccessfulTime: stamp(Math.max(...ok)) } : cj.status?.lastSuccessfulTime ? { lastSuccessfulTime: cj.status.lastSuccessfulTime } : {}),
    };
    const strip = (s: batch.CronJobStatus | undefined) => JSON.stringify({ ...s, active: s?.active?.map((a) => a.uid) });
    if (strip(status) !== strip(cj.status)) {
      await client.resource<CronJob>('batch/v1', 'cronjobs').patch(ns, cj.metadata.name!, 'merge', { status: { active: null, lastScheduleTime: null, ...status } }, { subresource: 'status' });
    }
    const next = schedule ? nextFiring(schedule, t) : undefined;
    return next !== undefined ? Math.max(100, next - t + 50) : undefined;
  }

  async function pruneHistory(cj: CronJob, owned: Job[]): Promise<void> {
    const limits: [string, number][] = [['Complete', cj.spec?.successfulJobsHistoryLimit ?? 3], ['Failed', cj.spec?.failedJobsHistoryLimit ?? 1]];
    for (const [type, limit] of limits) {
      const done = owned.filter((j) => finished(j) === type && !j.metadata.deletionTimestamp)
        .sort((a, b) => Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? ''));
      for (const j of done.slice(0, Math.max(0, done.length - limit))) {
        await jobClient.delete(j.metadata.namespace, j.metadata.name!, { propagationPolicy: 'Background' }).catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        });
      }
    }
  }

  const loop = controllerLoop('cronjob', queue, reconcile, log);
  const byOwner = (j: Job) => {
    const o = controllerOf(j);
    if (o?.kind === 'CronJob') queue.add(`${j.metadata.namespace}/${o.name}`);
  };
  return {
    name: 'cronjob',
    async start(signal) {
      cronjobs.onAdd((c) => queue.add(keyOf(c)));
      cronjobs.onUpdate((_o, c) => queue.add(keyOf(c)));
      jobs.onAdd(byOwner);
      jobs.onUpdate((_o, j) => byOwner(j));
      jobs.onDelete(byOwner);
      await loop.start(signal);
    },
    stop: () => loop.stop!(),
  };
}

function jobFor(cj: CronJob, name: string, scheduled: number): Job {
  const t = cj.spec!.jobTemplate;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cj.metadata.namespace,
      labels: { ...t.metadata?.labels },
      annotations: { ...t.metadata?.annotations, 'batch.kubernetes.io/cronjob-scheduled-timestamp': new Date(scheduled).toISOString().replace(/\.\d{3}Z$/, 'Z') },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name!, uid: cj.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: structuredClone(t.spec!),
  };
}
