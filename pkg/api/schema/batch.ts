// batch/v1 Job and CronJob.
// Field inventory, types and patch tags follow k8s.io/api v0.32; descriptions are skiff's own.
import { bool, int32, int64, list, obj, oneOf, ref, str, strList, time, typeMeta } from './dsl.ts';
import type { SchemaSet } from './dsl.ts';

export const batchSchemas: SchemaSet = {
  'batch.v1.Job': obj('Runs pods until a number of them complete successfully.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    spec: ref('batch.v1.JobSpec', 'Desired behaviour: pod template, completions, parallelism, retry limits.'),
    status: ref('batch.v1.JobStatus', 'Observed progress. Read-only.'),
  }),
  'batch.v1.JobSpec': obj('Desired behaviour of a job.', {
    parallelism: int32('Most pods running at once; defaults to 1.'),
    completions: int32('Successful pods needed; unset means any one success finishes the job.'),
    activeDeadlineSeconds: int64('Seconds the job may run before it is failed.'),
    podFailurePolicy: ref('batch.v1.PodFailurePolicy', 'Rules for how pod failures count toward backoffLimit.'),
    successPolicy: ref('batch.v1.SuccessPolicy', 'Rules for declaring an Indexed job succeeded early.'),
    backoffLimit: int32('Retries before the job is failed; defaults to 6.'),
    backoffLimitPerIndex: int32('Retries per index of an Indexed job.'),
    maxFailedIndexes: int32('Failed indexes tolerated before the job fails.'),
    selector: ref('meta.v1.LabelSelector', "Labels of the job's pods; generated unless manualSelector is set."),
    manualSelector: bool('Use the given selector instead of generating one.'),
    template: ref('core.v1.PodTemplateSpec', 'Pod template; restartPolicy must be Never or OnFailure.'),
    ttlSecondsAfterFinished: int32('Seconds after finishing before the job is deleted automatically.'),
    completionMode: oneOf(['NonIndexed', 'Indexed'], 'NonIndexed (default) or Indexed, which gives each pod an index.'),
    suspend: bool('Stop creating pods, and remove running ones, while true.'),
    podReplacementPolicy: oneOf(['TerminatingOrFailed', 'Failed'], 'When a replacement pod is created: TerminatingOrFailed or Failed.'),
    managedBy: str('Controller responsible for the job; empty means the built-in one.'),
  }, ['template']),
  'batch.v1.PodFailurePolicy': obj('Ordered rules applied to failed pods of a job.', {
    rules: list(ref('batch.v1.PodFailurePolicyRule'), 'Rules checked in order; the first match decides.', { listType: 'atomic' }),
  }, ['rules']),
  'batch.v1.PodFailurePolicyRule': obj('What to do with a pod failure that matches.', {
    action: oneOf(['FailJob', 'FailIndex', 'Ignore', 'Count'], 'FailJob, FailIndex, Ignore or Count.'),
    onExitCodes: ref('batch.v1.PodFailurePolicyOnExitCodesRequirement', 'Match on container exit codes.'),
    onPodConditions: list(ref('batch.v1.PodFailurePolicyOnPodConditionsPattern'), 'Match on pod conditions.', { listType: 'atomic' }),
  }, ['action']),
  'batch.v1.PodFailurePolicyOnExitCodesRequirement': obj('Exit codes a failed pod must (or must not) have.', {
    containerName: str('Only check this container.'),
    operator: oneOf(['In', 'NotIn'], 'In or NotIn.'),
    values: list(int32(), 'Exit codes.', { listType: 'set' }),
  }, ['operator', 'values']),
  'batch.v1.PodFailurePolicyOnPodConditionsPattern': obj('A pod condition a failed pod must have.', {
    type: str('Condition type, such as DisruptionTarget.'),
    status: str('Condition status; defaults to True.'),
  }, ['type', 'status']),
  'batch.v1.SuccessPolicy': obj('Rules for declaring an Indexed job succeeded.', {
    rules: list(ref('batch.v1.SuccessPolicyRule'), 'Rules of which any one suffices.', { listType: 'atomic' }),
  }, ['rules']),
  'batch.v1.SuccessPolicyRule': obj('A set of indexes or a count that makes the job succeed.', {
    succeededIndexes: str('Indexes that must all succeed, such as 1,3-5.'),
    succeededCount: int32('Number of succeeded indexes needed.'),
  }),
  'batch.v1.JobStatus': obj('Observed progress of a job.', {
    conditions: list(ref('batch.v1.JobCondition'), 'Current conditions, such as Complete, Failed or Suspended.', { mergeKey: 'type', strategy: 'merge', listType: 'atomic' }),
    startTime: time('When the controller started the job.'),
    completionTime: time('When the job completed.'),
    active: int32('Pods running or pending, not terminating.'),
    succeeded: int32('Pods that succeeded.'),
    failed: int32('Pods that failed.'),
    terminating: int32('Pods being terminated.'),
    completedIndexes: str('Completed indexes of an Indexed job, such as 1,3-5.'),
    failedIndexes: str('Failed indexes of an Indexed job.'),
    uncountedTerminatedPods: ref('batch.v1.UncountedTerminatedPods', 'UIDs of finished pods not yet added to the counters.'),
    ready: int32('Active pods with a Ready condition.'),
  }),
  'batch.v1.JobCondition': obj('One condition of a job.', {
    type: str('Complete, Failed, Suspended, FailureTarget or SuccessCriteriaMet.'),
    status: str('True, False or Unknown.'),
    lastProbeTime: time('When the condition was last checked.'),
    lastTransitionTime: time('When the status last changed.'),
    reason: str('CamelCase reason for the last transition.'),
    message: str('Human-readable details of the last transition.'),
  }, ['type', 'status']),
  'batch.v1.UncountedTerminatedPods': obj('Finished pods not yet counted in the job status.', {
    succeeded: strList('UIDs of succeeded pods.', { listType: 'set' }),
    failed: strList('UIDs of failed pods.', { listType: 'set' }),
  }),
  'batch.v1.CronJob': obj('Creates jobs on a repeating schedule.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    spec: ref('batch.v1.CronJobSpec', 'Schedule and job template.'),
    status: ref('batch.v1.CronJobStatus', 'Active jobs and last run times. Read-only.'),
  }),
  'batch.v1.CronJobSpec': obj('Desired behaviour of a cron job.', {
    schedule: str('Cron expression, such as */5 * * * *.'),
    timeZone: str("Time zone of the schedule, such as Europe/Paris; defaults to the controller's."),
    startingDeadlineSeconds: int64('Seconds after a missed time within which the job may still start.'),
    concurrencyPolicy: oneOf(['Allow', 'Forbid', 'Replace'], 'Allow (default), Forbid or Replace overlapping runs.'),
    suspend: bool('Skip future runs while true.'),
    jobTemplate: ref('batch.v1.JobTemplateSpec', 'Job created at each scheduled time.'),
    successfulJobsHistoryLimit: int32('Finished successful jobs kept; defaults to 3.'),
    failedJobsHistoryLimit: int32('Failed jobs kept; defaults to 1.'),
  }, ['schedule', 'jobTemplate']),
  'batch.v1.JobTemplateSpec': obj('Metadata and spec of the jobs a cron job creates.', {
    metadata: ref('meta.v1.ObjectMeta', 'Metadata given to created jobs.'),
    spec: ref('batch.v1.JobSpec', 'Spec of created jobs.'),
  }),
  'batch.v1.CronJobStatus': obj('Observed state of a cron job.', {
    active: list(ref('core.v1.ObjectReference'), 'Jobs currently running.', { listType: 'atomic' }),
    lastScheduleTime: time('When a job was last scheduled.'),
    lastSuccessfulTime: time('When a job last succeeded.'),
  }),
};
