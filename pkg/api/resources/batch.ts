import type { ResourceDef } from '../resource.ts';
import type { FieldError } from '../status.ts';
import { cronScheduleErrors, goStringMap, invalidPrinted, invalidValue, nonNegative, notSupported, required } from '../validation/index.ts';
import { deepEqual } from '../registry/meta.ts';
import { ageCol, col, created, nameCol, resource, table, wide } from './define.ts';
import { age, containersOf, selectorString } from './format.ts';
import { defaultPodSpec } from './pod-defaults.ts';
import { validatePodTemplate } from './pod-validation.ts';
import { selectorMatches } from '../label-selector.ts';
import { immutableSelector, validateLabelSelector } from './workload-validation.ts';

/** The batch/v1 rows: Job and CronJob. */

const n = (v: unknown) => (typeof v === 'number' ? v : 0);
const isObj = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);
const batch = (row: Parameters<typeof resource>[2]) => resource('batch', 'v1', row);
const isSet = (v: unknown) => v !== undefined && v !== null;

/** SetDefaults_Job (its template gets only the PodSpec defaults: restartPolicy stays Always → 422). */
function defaultJob(o: any): void {
  const s = (o.spec ??= {});
  if (!isSet(s.completions) && !isSet(s.parallelism)) s.completions = 1;
  s.parallelism ??= 1;
  s.backoffLimit ??= isSet(s.backoffLimitPerIndex) ? 2147483647 : 6;
  copyTemplateLabels(o);
  s.completionMode ||= 'NonIndexed';
  s.suspend ??= false;
  for (const rule of Array.isArray(s.podFailurePolicy?.rules) ? s.podFailurePolicy.rules : []) for (const c of rule?.onPodConditions ?? []) if (isObj(c)) c.status ||= 'True';
  s.podReplacementPolicy ??= s.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  if (isObj(s.template)) defaultPodSpec(s.template.spec);
}

/** A job without labels takes its template's (defaulting, which upstream also runs on every read). */
function copyTemplateLabels(o: any): void {
  const labels = o.spec?.template?.metadata?.labels;
  if (isObj(labels) && !Object.keys(o.metadata.labels ?? {}).length) o.metadata.labels = { ...labels };
}

/** generateSelector: the job's pods carry its name and uid; the selector picks the uid. Only on create. */
function generateJobSelector(o: any): void {
  const s = o.spec;
  if (!isObj(s) || s.manualSelector === true || !o.metadata.uid || !isObj(s.template)) return;
  const t = s.template;
  t.metadata = isObj(t.metadata) ? t.metadata : {};
  const labels = (t.metadata.labels = isObj(t.metadata.labels) ? t.metadata.labels : {});
  for (const k of ['job-name', 'batch.kubernetes.io/job-name']) labels[k] ??= o.metadata.name ?? '';
  for (const k of ['controller-uid', 'batch.kubernetes.io/controller-uid']) labels[k] ??= o.metadata.uid;
  s.selector = isObj(s.selector) ? s.selector : {};
  s.selector.matchLabels = isObj(s.selector.matchLabels) ? s.selector.matchLabels : {};
  s.selector.matchLabels['batch.kubernetes.io/controller-uid'] ??= o.metadata.uid;
}

/** validateJobSpec: counts, completion mode, the template and its restartPolicy (OnFailure/Never). */
function validateJobSpec(s: any, path: string): FieldError[] {
  if (!isObj(s)) return [required(path)];
  const out: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'backoffLimit']) out.push(...nonNegative(`${path}.${f}`, s[f]));
  if (typeof s.activeDeadlineSeconds === 'number' && s.activeDeadlineSeconds <= 0) out.push(invalidValue(`${path}.activeDeadlineSeconds`, s.activeDeadlineSeconds, 'must be greater than zero'));
  if (s.completionMode && !['NonIndexed', 'Indexed'].includes(s.completionMode)) out.push(notSupported(`${path}.completionMode`, s.completionMode, ['NonIndexed', 'Indexed']));
  if (s.completionMode === 'Indexed' && !isSet(s.completions)) out.push(required(`${path}.completions`, 'when completion mode is Indexed'));
  if (!isObj(s.template)) return [...out, required(`${path}.template`)];
  out.push(...validatePodTemplate(s.template, `${path}.template`));
  const rp = s.template.spec?.restartPolicy;
  if (rp !== 'OnFailure' && rp !== 'Never') out.push(notSupported(`${path}.template.spec.restartPolicy`, rp ?? '', ['OnFailure', 'Never']));
  return out;
}

function validateJob(o: any): FieldError[] {
  if (o.metadata.generation === undefined || o.metadata.generation === 1) {
    // Runs after the registry assigned uid and name (upstream generates it in PrepareForCreate).
    generateJobSelector(o);
    copyTemplateLabels(o);
  }
  const s = o.spec;
  const out = validateJobSpec(s, 'spec');
  if (!isObj(s)) return out;
  if (!isObj(s.selector)) out.push(required('spec.selector'));
  else {
    out.push(...validateLabelSelector(s.selector, 'spec.selector'));
    if (isObj(s.template) && !selectorMatches(s.selector, s.template.metadata?.labels)) {
      out.push(invalidPrinted('spec.template.metadata.labels', goStringMap(s.template.metadata?.labels), '`selector` does not match template `labels`'));
    }
  }
  return out;
}

/** ValidateJobSpecUpdate's immutable fields. */
function validateJobUpdate(o: any, old: any): FieldError[] {
  const s = o.spec ?? {};
  const was = old.spec ?? {};
  const out = immutableSelector(o, old);
  const elastic = s.completionMode === 'Indexed' && was.completionMode === 'Indexed' && s.completions === s.parallelism && was.completions === was.parallelism;
  if (!elastic && !deepEqual(s.completions, was.completions)) out.push(invalidValue('spec.completions', s.completions ?? null, 'field is immutable'));
  if (!deepEqual(s.template, was.template)) out.push(invalidValue('spec.template', s.template, 'field is immutable'));
  for (const f of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy']) {
    if (!deepEqual(s[f], was[f])) out.push(invalidValue(`spec.${f}`, s[f] ?? null, 'field is immutable'));
  }
  return out;
}

function validateCronJob(o: any): FieldError[] {
  const out: FieldError[] = [];
  if ((o.metadata.name ?? '').length > 52) out.push(invalidValue('metadata.name', o.metadata.name, 'must be no more than 52 characters'));
  const s = o.spec;
  if (!isObj(s)) return [...out, required('spec')];
  if (typeof s.schedule !== 'string' || !s.schedule) out.push(required('spec.schedule'));
  else for (const m of cronScheduleErrors(s.schedule)) out.push(invalidValue('spec.schedule', s.schedule, m));
  if (!s.concurrencyPolicy) out.push(required('spec.concurrencyPolicy'));
  else if (!['Allow', 'Forbid', 'Replace'].includes(s.concurrencyPolicy)) out.push(notSupported('spec.concurrencyPolicy', s.concurrencyPolicy, ['Allow', 'Forbid', 'Replace']));
  out.push(...nonNegative('spec.startingDeadlineSeconds', s.startingDeadlineSeconds));
  out.push(...nonNegative('spec.successfulJobsHistoryLimit', s.successfulJobsHistoryLimit), ...nonNegative('spec.failedJobsHistoryLimit', s.failedJobsHistoryLimit));
  if (!isObj(s.jobTemplate)) return [...out, required('spec.jobTemplate')];
  out.push(...validateJobSpec(s.jobTemplate.spec, 'spec.jobTemplate.spec'));
  if (isSet(s.jobTemplate.spec?.selector)) out.push(invalidValue('spec.jobTemplate.spec.selector', s.jobTemplate.spec.selector, '`selector` will be auto-generated'));
  return out;
}

const jobStatus = (o: any) => {
  const is = (t: string) => (o.status?.conditions ?? []).some((c: any) => c.type === t && c.status === 'True');
  if (is('Complete')) return 'Complete';
  if (is('Failed')) return 'Failed';
  if (o.metadata.deletionTimestamp) return 'Terminating';
  if (is('Suspended')) return 'Suspended';
  if (is('FailureTarget')) return 'FailureTarget';
  if (is('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
};

const templateColumns = [wide(col('Containers', 'Names of each container in the template.')), wide(col('Images', 'Images referenced by each container in the template.')), wide(col('Selector', 'Label selector for pods.'))];

export const workloadsBatch: ResourceDef[] = [
  batch({
    kind: 'Job', plural: 'jobs', categories: ['all'], status: true, generation: true,
    strategy: { defaults: defaultJob, validate: validateJob, validateUpdate: validateJobUpdate },
    table: table([nameCol, col('Status', 'Status of the job.'), col('Completions', 'The number of pods which reached phase Succeeded.'), col('Duration', 'Time required to complete the job.'), ageCol, ...templateColumns],
      (o, now) => {
        const c = containersOf(o.spec?.template);
        const succeeded = n(o.status?.succeeded);
        const parallelism = n(o.spec?.parallelism);
        const completions = isSet(o.spec?.completions) ? `${succeeded}/${o.spec.completions}` : parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
        const start = o.status?.startTime;
        const end = o.status?.completionTime;
        const duration = !start ? '' : end ? age(start, new Date(end)) : age(start, now);
        return [o.metadata.name, jobStatus(o), completions, duration, created(o, now), c.names, c.images, selectorString(o.spec?.selector)];
      }),
    fieldSelectors: { 'status.successful': (o: any) => String(n(o.status?.succeeded)) },
  }),
  batch({
    kind: 'CronJob', plural: 'cronjobs', shortNames: ['cj'], categories: ['all'], status: true, generation: true,
    strategy: {
      defaults(o: any) {
        const s = (o.spec ??= {});
        s.concurrencyPolicy ||= 'Allow';
        s.suspend ??= false;
        s.successfulJobsHistoryLimit ??= 3;
        s.failedJobsHistoryLimit ??= 1;
        if (isObj(s.jobTemplate?.spec?.template)) defaultPodSpec(s.jobTemplate.spec.template.spec);
      },
      validate: validateCronJob,
    },
    table: table([nameCol, col('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'), col('Timezone', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
      col('Suspend', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.', { type: 'boolean' }),
      col('Active', 'A list of pointers to currently running jobs.', { type: 'integer' }), col('Last Schedule', 'Information when was the last time the job was successfully scheduled.'), ageCol, ...templateColumns],
    (o, now) => {
      const c = containersOf(o.spec?.jobTemplate?.spec?.template);
      const suspend = isSet(o.spec?.suspend) ? (o.spec.suspend ? 'True' : 'False') : '<unset>';
      return [o.metadata.name, o.spec?.schedule ?? '', o.spec?.timeZone ?? '<none>', suspend, (o.status?.active ?? []).length,
        o.status?.lastScheduleTime ? age(o.status.lastScheduleTime, now) : '<none>', created(o, now), c.names, c.images, selectorString(o.spec?.jobTemplate?.spec?.selector)];
    }),
  }),
];

