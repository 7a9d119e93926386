import type { ResourceDef } from '../resource.ts';
import type { FieldError } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { invalidValue, required, validateLabels } from '../validation/index.ts';
import { ageCol, col, created, nameCol, resource, table, wide } from './define.ts';
import { age, containersOf, selectorString } from './format.ts';
import { defaultPodSpec, validatePodSpec } from './pod.ts';
import { deepEqual } from '../registry/meta.ts';

const n = (v: unknown) => (typeof v === 'number' ? v : 0);

function defaultTemplate(spec: any): void {
  if (spec?.template && typeof spec.template === 'object') defaultPodSpec(spec.template.spec);
}

function matchesSelector(sel: any, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel?.matchExpressions ?? []) {
    const has = e.key in labels;
    if (e.operator === 'In' && !(has && (e.values ?? []).includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && (e.values ?? []).includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

const goMap = (m: Record<string, string>) => `map[string]string{${Object.entries(m).map(([k, v]) => `"${k}":"${v}"`).join(', ')}}`;

/** Selector + template rules shared by Deployment, ReplicaSet, StatefulSet and DaemonSet. */
function validateWorkload(obj: any, replicas: boolean): FieldError[] {
  const s = obj.spec;
  if (!s || typeof s !== 'object') return [required('spec')];
  const out: FieldError[] = [];
  if (replicas && s.replicas !== undefined && (!Number.isInteger(s.replicas) || s.replicas < 0)) out.push(invalidValue('spec.replicas', s.replicas, 'must be greater than or equal to 0'));
  const sel = s.selector;
  if (!sel || typeof sel !== 'object' || (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length)) out.push(required('spec.selector'));
  else out.push(...validateLabels('spec.selector.matchLabels', sel.matchLabels));
  const labels = s.template?.metadata?.labels;
  if (!s.template || typeof s.template !== 'object') out.push(required('spec.template'));
  else {
    out.push(...validateLabels('spec.template.metadata.labels', labels));
    if (sel && typeof sel === 'object' && labels && typeof labels === 'object' && !matchesSelector(sel, labels)) {
      out.push(invalidValue('spec.template.metadata.labels', undefined, '`selector` does not match template `labels`'));
      out[out.length - 1].message = `Invalid value: ${goMap(labels)}: \`selector\` does not match template \`labels\``;
    }
    out.push(...validatePodSpec(s.template.spec, 'spec.template.spec'));
  }
  return out;
}

function immutableSelector(obj: any, old: any): FieldError[] {
  if (!deepEqual(obj.spec?.selector, old.spec?.selector)) {
    return [{ type: 'FieldValueInvalid', field: 'spec.selector', message: `Invalid value: v1.LabelSelector${JSON.stringify(obj.spec?.selector ?? {})}: field is immutable` }];
  }
  return [];
}

const workloadColumns = (cols: ReturnType<typeof col>[]) => [...cols, wide(col('Containers', 'Names of each container in the template.')),
  wide(col('Images', 'Images referenced by each container in the template.')), wide(col('Selector', 'Label selector for the pods.'))];

const apps = (row: Parameters<typeof resource>[2]) => resource('apps', 'v1', row);
const batch = (row: Parameters<typeof resource>[2]) => resource('batch', 'v1', row);

export const workloads: ResourceDef[] = [
  apps({
    kind: 'Deployment', plural: 'deployments', shortNames: ['deploy'], categories: ['all'], status: true, scale: true, generation: true,
    strategy: {
      defaults(o: any) {
        const s = (o.spec ??= {});
        s.replicas ??= 1;
        s.revisionHistoryLimit ??= 10;
        s.progressDeadlineSeconds ??= 600;
        s.strategy ??= {};
        s.strategy.type ??= 'RollingUpdate';
        if (s.strategy.type === 'RollingUpdate') {
          s.strategy.rollingUpdate ??= {};
          s.strategy.rollingUpdate.maxSurge ??= '25%';
          s.strategy.rollingUpdate.maxUnavailable ??= '25%';
        }
        defaultTemplate(s);
      },
      validate: (o) => validateWorkload(o, true),
      validateUpdate: immutableSelector,
    },
    table: table(workloadColumns([nameCol, col('Ready', 'Number of the pod with ready state'), col('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', { type: 'integer' }),
      col('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', { type: 'integer' }), ageCol]),
    (o, now) => {
      const c = containersOf(o.spec?.template);
      return [o.metadata.name, `${n(o.status?.readyReplicas)}/${n(o.spec?.replicas)}`, n(o.status?.updatedReplicas), n(o.status?.availableReplicas), created(o, now), c.names, c.images, selectorString(o.spec?.selector)];
    }),
  }),
  apps({
    kind: 'ReplicaSet', plural: 'replicasets', shortNames: ['rs'], categories: ['all'], status: true, scale: true, generation: true,
    strategy: { defaults: (o: any) => void ((o.spec ??= {}).replicas ??= 1, defaultTemplate(o.spec)), validate: (o) => validateWorkload(o, true), validateUpdate: immutableSelector },
    table: table(workloadColumns([nameCol, col('Desired', 'Number of desired pods.', { type: 'integer' }), col('Current', 'Number of actual running pods.', { type: 'integer' }),
      col('Ready', 'Number of ready pods.', { type: 'integer' }), ageCol]),
    (o, now) => {
      const c = containersOf(o.spec?.template);
      return [o.metadata.name, n(o.spec?.replicas), n(o.status?.replicas), n(o.status?.readyReplicas), created(o, now), c.names, c.images, selectorString(o.spec?.selector)];
    }),
    fieldSelectors: { 'status.replicas': (o: any) => String(n(o.status?.replicas)) },
  }),
  apps({
    kind: 'StatefulSet', plural: 'statefulsets', shortNames: ['sts'], categories: ['all'], status: true, scale: true, generation: true,
    strategy: {
      defaults(o: any) {
        const s = (o.spec ??= {});
        s.replicas ??= 1;
        s.podManagementPolicy ??= 'OrderedReady';
        s.revisionHistoryLimit ??= 10;
        s.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
        s.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
        defaultTemplate(s);
      },
      validate: (o) => validateWorkload(o, true),
      validateUpdate: immutableSelector,
    },
    table: table([nameCol, col('Ready', 'Number of the pod with ready state'), ageCol, wide(col('Containers', 'Names of each container in the template.')), wide(col('Images', 'Images referenced by each container in the template.'))],
      (o, now) => {
        const c = containersOf(o.spec?.template);
        return [o.metadata.name, `${n(o.status?.readyReplicas)}/${n(o.spec?.replicas)}`, created(o, now), c.names, c.images];
      }),
  }),
  apps({
    kind: 'DaemonSet', plural: 'daemonsets', shortNames: ['ds'], categories: ['all'], status: true, generation: true,
    strategy: {
      defaults(o: any) {
        const s = (o.spec ??= {});
        s.revisionHistoryLimit ??= 10;
        s.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } };
        defaultTemplate(s);
      },
      validate: (o) => validateWorkload(o, false),
      validateUpdate: immutableSelector,
    },
    table: table(workloadColumns([nameCol, col('Desired', 'Desired pods.', { type: 'integer' }), col('Current', 'Current pods.', { type: 'integer' }), col('Ready', 'Ready pods.', { type: 'integer' }),
      col('Up-to-date', 'Updated pods.', { type: 'integer' }), col('Available', 'Available pods.', { type: 'integer' }), col('Node Selector', 'Node selector.'), ageCol]),
    (o, now) => {
      const c = containersOf(o.spec?.template);
      const st = o.status ?? {};
      return [o.metadata.name, n(st.desiredNumberScheduled), n(st.currentNumberScheduled), n(st.numberReady), n(st.updatedNumberScheduled), n(st.numberAvailable),
        selectorString(o.spec?.template?.spec?.nodeSelector), created(o, now), c.names, c.images, selectorString(o.spec?.selector)];
    }),
  }),
  apps({
    kind: 'ControllerRevision', plural: 'controllerrevisions',
    table: table([nameCol, col('Controller', 'Owner.'), col('Revision', 'Revision.', { type: 'integer' }), ageCol], (o, now) => {
      const owner = (o.metadata.ownerReferences ?? []).find((r: any) => r.controller);
      return [o.metadata.name, owner ? `${owner.kind.toLowerCase()}.${owner.apiVersion.split('/')[0]}/${owner.name}` : '<none>', n(o.revision), created(o, now)];
    }),
  }),
  batch({
    kind: 'Job', plural: 'jobs', categories: ['all'], status: true, generation: true,
    strategy: {
      defaults(o: any) {
        const s = (o.spec ??= {});
        s.parallelism ??= 1;
        s.completions ??= s.completionMode === 'Indexed' ? undefined : 1;
        s.backoffLimit ??= 6;
        s.completionMode ??= 'NonIndexed';
        s.suspend ??= false;
        s.podReplacementPolicy ??= 'TerminatingOrFailed';
        // The selector and template labels carry the uid the registry assigns: generated in validate,
        // which runs after uid and name are set (upstream's job strategy does the same).
        defaultPodSpec(s.template?.spec);
        if (s.template?.spec && s.template.spec.restartPolicy === 'Always') s.template.spec.restartPolicy = 'Never';
      },
      validate(o: any): FieldError[] {
        const s = o.spec;
        if (!s || typeof s !== 'object') return [required('spec')];
        const out: FieldError[] = [];
        if (o.metadata.generation === undefined || o.metadata.generation === 1) generateJobSelector(o);
        for (const f of ['parallelism', 'completions', 'backoffLimit']) {
          if (s[f] !== undefined && s[f] !== null && (!Number.isInteger(s[f]) || s[f] < 0)) out.push(invalidValue(`spec.${f}`, s[f], 'must be greater than or equal to 0'));
        }
        if (!s.template) out.push(required('spec.template'));
        else {
          out.push(...validatePodSpec(s.template.spec, 'spec.template.spec'));
          const rp = s.template.spec?.restartPolicy;
          if (rp !== undefined && rp !== 'OnFailure' && rp !== 'Never') out.push({ type: 'FieldValueNotSupported', field: 'spec.template.spec.restartPolicy', message: `Unsupported value: "${rp}": supported values: "OnFailure", "Never"` });
        }
        return out;
      },
      validateUpdate: immutableSelector,
    },
    table: table([nameCol, col('Status', 'Status of the job.'), col('Completions', 'The completion status of the job.'), col('Duration', 'Time required to complete the job.'), ageCol,
      wide(col('Containers', 'Names of each container in the template.')), wide(col('Images', 'Images referenced by each container in the template.')), wide(col('Selector', 'Label selector for the pods.'))],
    (o, now) => {
      const c = containersOf(o.spec?.template);
      const conds: any[] = o.status?.conditions ?? [];
      const is = (t: string) => conds.some((x) => x.type === t && x.status === 'True');
      const status = is('Complete') ? 'Complete' : is('Failed') ? 'Failed' : o.metadata.deletionTimestamp ? 'Terminating' : is('Suspended') ? 'Suspended' : is('FailureTarget') ? 'FailureTarget' : 'Running';
      const start = o.status?.startTime;
      const end = o.status?.completionTime;
      const duration = start ? age(start, end ? new Date(end) : now) : '';
      const completions = o.spec?.completions !== undefined && o.spec?.completions !== null ? `${n(o.status?.succeeded)}/${o.spec.completions}` : `${n(o.status?.succeeded)}/1 of ${n(o.spec?.parallelism)}`;
      return [o.metadata.name, status, completions, duration, created(o, now), c.names, c.images, selectorString(o.spec?.selector)];
    }),
    fieldSelectors: { 'status.successful': (o: any) => String(n(o.status?.succeeded)) },
  }),
  batch({
    kind: 'CronJob', plural: 'cronjobs', shortNames: ['cj'], categories: ['all'], status: true, generation: true,
    strategy: {
      defaults(o: any) {
        const s = (o.spec ??= {});
        s.concurrencyPolicy ??= 'Allow';
        s.suspend ??= false;
        s.successfulJobsHistoryLimit ??= 3;
        s.failedJobsHistoryLimit ??= 1;
        const js = s.jobTemplate?.spec;
        if (js && typeof js === 'object') {
          js.backoffLimit ??= 6;
          js.completionMode ??= 'NonIndexed';
          js.suspend ??= false;
          defaultPodSpec(js.template?.spec);
        }
      },
      validate(o: any): FieldError[] {
        const s = o.spec;
        if (!s || typeof s !== 'object') return [required('spec')];
        const out: FieldError[] = [];
        if (typeof s.schedule !== 'string' || !s.schedule.trim()) out.push(required('spec.schedule'));
        else if (!/^@(yearly|annually|monthly|weekly|daily|midnight|hourly|every .+)$/.test(s.schedule.trim()) && s.schedule.trim().replace(/^(CRON_)?TZ=\S+\s+/, '').split(/\s+/).length !== 5) {
          out.push(invalidValue('spec.schedule', s.schedule, 'unparseable cron schedule'));
        }
        if (!s.jobTemplate) out.push(required('spec.jobTemplate'));
        else out.push(...validatePodSpec(s.jobTemplate.spec?.template?.spec, 'spec.jobTemplate.spec.template.spec'));
        return out;
      },
    },
    table: table([nameCol, col('Schedule', 'The schedule.'), col('Timezone', 'The time zone.'), col('Suspend', 'Whether suspended.'), col('Active', 'Active jobs.', { type: 'integer' }),
      col('Last Schedule', 'When the last job was scheduled.'), ageCol, wide(col('Containers', 'Names of each container in the template.')), wide(col('Images', 'Images referenced by each container in the template.')), wide(col('Selector', 'Label selector.'))],
    (o, now) => {
      const c = containersOf(o.spec?.jobTemplate?.spec?.template);
      return [o.metadata.name, o.spec?.schedule ?? '', o.spec?.timeZone ?? '<none>', o.spec?.suspend ? 'True' : 'False', (o.status?.active ?? []).length,
        o.status?.lastScheduleTime ? age(o.status.lastScheduleTime, now) : '<none>', created(o, now), c.names, c.images, selectorString(o.spec?.jobTemplate?.spec?.selector)];
    }),
  }),
];

/** Selects a job's pods by its uid unless the user manages the selector. Only on create. */
function generateJobSelector(o: any): void {
  const s = o.spec;
  if (!s || typeof s !== 'object' || s.manualSelector || !o.metadata.uid || s.selector?.matchLabels?.['batch.kubernetes.io/controller-uid']) return;
  const uid = o.metadata.uid;
  const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': o.metadata.name ?? '', 'controller-uid': uid, 'job-name': o.metadata.name ?? '' };
  s.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  if (s.template && typeof s.template === 'object') s.template.metadata = { ...s.template.metadata, labels: { ...(s.template.metadata?.labels ?? {}), ...labels } };
}

export type { KObject };
