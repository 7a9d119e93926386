import type { ResourceDef } from '../resource.ts';
import type { FieldError } from '../status.ts';
import { forbidden, intOrPercent, invalidPrinted, invalidValue, nonNegative, notSupported, required } from '../validation/index.ts';
import { deepEqual } from '../registry/meta.ts';
import { ageCol, col, created, nameCol, resource, table, wide } from './define.ts';
import { containersOf, formatLabels, selectorString } from './format.ts';
import { defaultPodSpec } from './pod-defaults.ts';
import { immutableSelector, validateWorkloadSpec } from './workload-validation.ts';

/** The apps/v1 rows: Deployment, ReplicaSet, StatefulSet, DaemonSet, ControllerRevision. */

const n = (v: unknown) => (typeof v === 'number' ? v : 0);
const isObj = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);
const apps = (row: Parameters<typeof resource>[2]) => resource('apps', 'v1', row);
const defaultTemplate = (spec: any) => isObj(spec?.template) && defaultPodSpec(spec.template.spec);
const intValue = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' ? parseInt(v, 10) || 0 : 0);
const goIntOrString = (v: unknown) => (typeof v === 'string' ? `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(v)}}` : `intstr.IntOrString{Type:0, IntVal:${intValue(v)}, StrVal:""}`);

const workloadColumns = (cols: ReturnType<typeof col>[]) => [...cols, wide(col('Containers', 'Names of each container in the template.')),
  wide(col('Images', 'Images referenced by each container in the template.')), wide(col('Selector', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.'))];

/** ValidateDeploymentStrategy and ValidateRollingUpdateDeployment. */
function validateDeploymentStrategy(st: any): FieldError[] {
  const p = 'spec.strategy';
  if (st?.type === 'Recreate') return st.rollingUpdate ? [forbidden(`${p}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")] : [];
  if (st?.type !== 'RollingUpdate') {
    return [{ type: 'FieldValueNotSupported', field: p, message: `Unsupported value: apps.DeploymentStrategy{Type:${JSON.stringify(st?.type ?? '')}, RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"` }];
  }
  const ru = st.rollingUpdate;
  if (!isObj(ru)) return [required(`${p}.rollingUpdate`, 'this should be defaulted and never be nil')];
  const out = [...intOrPercent(`${p}.rollingUpdate.maxUnavailable`, ru.maxUnavailable), ...intOrPercent(`${p}.rollingUpdate.maxSurge`, ru.maxSurge)];
  if (intValue(ru.maxUnavailable) === 0 && intValue(ru.maxSurge) === 0) out.push(invalidPrinted(`${p}.rollingUpdate.maxUnavailable`, goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
  if (typeof ru.maxUnavailable === 'string' && /^[0-9]+%$/.test(ru.maxUnavailable) && intValue(ru.maxUnavailable) > 100) {
    out.push(invalidPrinted(`${p}.rollingUpdate.maxUnavailable`, goIntOrString(ru.maxUnavailable), 'must not be greater than 100%'));
  }
  return out;
}

function validateDeployment(o: any): FieldError[] {
  const s = o.spec;
  const out = validateWorkloadSpec(s, { selector: 'deployment', controller: 'ReplicaSet' }, { replicas: true });
  if (!isObj(s)) return out;
  out.push(...validateDeploymentStrategy(s.strategy));
  const pds = s.progressDeadlineSeconds;
  if (typeof pds === 'number') {
    if (pds <= 0) out.push(invalidValue('spec.progressDeadlineSeconds', pds, 'must be greater than zero'));
    if (pds <= n(s.minReadySeconds)) out.push(invalidValue('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
  }
  return out;
}

/** SetDefaults_StatefulSet. */
function defaultStatefulSet(o: any): void {
  const s = (o.spec ??= {});
  s.podManagementPolicy ||= 'OrderedReady';
  const us = (s.updateStrategy ??= {});
  if (!us.type) {
    us.type = 'RollingUpdate';
    us.rollingUpdate ??= {};
  }
  if (us.type === 'RollingUpdate' && isObj(us.rollingUpdate)) us.rollingUpdate.partition ??= 0;
  const retention = (s.persistentVolumeClaimRetentionPolicy ??= {});
  retention.whenDeleted ||= 'Retain';
  retention.whenScaled ||= 'Retain';
  s.replicas ??= 1;
  s.revisionHistoryLimit ??= 10;
  defaultTemplate(s);
  for (const pvc of Array.isArray(s.volumeClaimTemplates) ? s.volumeClaimTemplates : []) {
    if (!isObj(pvc)) continue;
    (pvc.spec ??= {}).volumeMode ||= 'Filesystem';
    (pvc.status ??= {}).phase ||= 'Pending';
  }
}

/**
 * The spec with each volumeClaimTemplate as the claim volume its pods get, so template mounts of
 * claim templates validate (upstream does not hold a set's template to pod volume rules).
 */
function withClaimVolumes(s: any): any {
  if (!isObj(s) || !isObj(s.template?.spec) || !Array.isArray(s.volumeClaimTemplates)) return s;
  const claims = s.volumeClaimTemplates.filter((t: any) => typeof t?.metadata?.name === 'string').map((t: any) => t.metadata.name as string);
  const own = Array.isArray(s.template.spec.volumes) ? s.template.spec.volumes : [];
  const volumes = [...own, ...claims.filter((n: string) => !own.some((v: any) => v?.name === n)).map((n: string) => ({ name: n, persistentVolumeClaim: { claimName: n } }))];
  return { ...s, template: { ...s.template, spec: { ...s.template.spec, volumes } } };
}

function validateStatefulSet(o: any): FieldError[] {
  const s = withClaimVolumes(o.spec);
  const out = validateWorkloadSpec(s, { selector: 'statefulset', controller: 'StatefulSet' }, { replicas: true });
  if (!isObj(s)) return out;
  if (!s.podManagementPolicy) out.push(required('spec.podManagementPolicy'));
  else if (!['OrderedReady', 'Parallel'].includes(s.podManagementPolicy)) out.push(invalidValue('spec.podManagementPolicy', s.podManagementPolicy, "must be 'OrderedReady' or 'Parallel'"));
  const t = s.updateStrategy?.type;
  if (!t) out.push(required('spec.updateStrategy'));
  else if (t !== 'RollingUpdate' && t !== 'OnDelete') out.push(invalidValue('spec.updateStrategy', t, "must be 'RollingUpdate' or 'OnDelete'"));
  else if (t === 'OnDelete' && s.updateStrategy.rollingUpdate) out.push(invalidValue('spec.updateStrategy.rollingUpdate', s.updateStrategy.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
  out.push(...nonNegative('spec.updateStrategy.rollingUpdate.partition', s.updateStrategy?.rollingUpdate?.partition));
  return out;
}

/** ValidateStatefulSetUpdate: only these spec fields may change. */
function validateStatefulSetUpdate(o: any, old: any): FieldError[] {
  const mutable = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
  const strip = (s: any) => Object.fromEntries(Object.entries(s ?? {}).filter(([k]) => !mutable.includes(k)));
  const out = immutableSelector(o, old);
  if (!deepEqual(strip(o.spec), strip(old.spec))) {
    out.push(forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
  }
  return out;
}

/** SetDefaults_DaemonSet. */
function defaultDaemonSet(o: any): void {
  const s = (o.spec ??= {});
  const us = (s.updateStrategy ??= {});
  us.type ||= 'RollingUpdate';
  if (us.type === 'RollingUpdate') {
    const ru = (us.rollingUpdate ??= {});
    ru.maxUnavailable ??= 1;
    ru.maxSurge ??= 0;
  }
  s.revisionHistoryLimit ??= 10;
  defaultTemplate(s);
}

function validateDaemonSet(o: any): FieldError[] {
  const s = o.spec;
  const out = validateWorkloadSpec(s, { selector: 'daemonset', controller: 'DaemonSet' }, { replicas: false });
  if (!isObj(s)) return out;
  const t = s.updateStrategy?.type;
  if (!t) out.push(required('spec.updateStrategy.type'));
  else if (t !== 'RollingUpdate' && t !== 'OnDelete') out.push(notSupported('spec.updateStrategy.type', t, ['OnDelete', 'RollingUpdate']));
  else if (t === 'RollingUpdate') {
    const ru = s.updateStrategy.rollingUpdate ?? {};
    out.push(...intOrPercent('spec.updateStrategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, true), ...intOrPercent('spec.updateStrategy.rollingUpdate.maxSurge', ru.maxSurge, true));
    if (intValue(ru.maxUnavailable) === 0 && intValue(ru.maxSurge) === 0) {
      out.push(invalidPrinted('spec.updateStrategy.rollingUpdate.maxUnavailable', goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
    }
  }
  return out;
}

/** formatResourceName(GroupKind, name): `statefulset.apps/web`, `pod/p` for the core group. */
function controllerOf(o: any): string {
  const ref = (o.metadata.ownerReferences ?? []).find((r: any) => r.controller);
  if (!ref) return '<none>';
  const group = String(ref.apiVersion ?? '').includes('/') ? String(ref.apiVersion).split('/')[0] : '';
  return `${String(ref.kind ?? '').toLowerCase()}${group ? `.${group}` : ''}/${ref.name}`;
}

export const workloadsApps: ResourceDef[] = [
  apps({
    kind: 'Deployment', plural: 'deployments', shortNames: ['deploy'], categories: ['all'], status: true, scale: true, generation: true,
    strategy: {
      defaults(o: any) {
        const s = (o.spec ??= {});
        s.replicas ??= 1;
        const st = (s.strategy ??= {});
        st.type ||= 'RollingUpdate';
        if (st.type === 'RollingUpdate') {
          st.rollingUpdate ??= {};
          st.rollingUpdate.maxUnavailable ??= '25%';
          st.rollingUpdate.maxSurge ??= '25%';
        }
        s.revisionHistoryLimit ??= 10;
        s.progressDeadlineSeconds ??= 600;
        defaultTemplate(s);
      },
      validate: validateDeployment,
      validateUpdate: immutableSelector,
    },
    table: table(workloadColumns([nameCol, col('Ready', 'Number of the pod with ready state'), col('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
      col('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'), ageCol]),
    (o, now) => {
      const c = containersOf(o.spec?.template);
      return [o.metadata.name, `${n(o.status?.readyReplicas)}/${n(o.spec?.replicas)}`, n(o.status?.updatedReplicas), n(o.status?.availableReplicas), created(o, now), c.names, c.images, selectorString(o.spec?.selector)];
    }),
  }),
  apps({
    kind: 'ReplicaSet', plural: 'replicasets', shortNames: ['rs'], categories: ['all'], status: true, scale: true, generation: true,
    strategy: {
      defaults: (o: any) => void ((o.spec ??= {}).replicas ??= 1, defaultTemplate(o.spec)),
      validate: (o: any) => validateWorkloadSpec(o.spec, { selector: 'deployment', controller: 'ReplicaSet' }, { replicas: true }),
      validateUpdate: immutableSelector,
    },
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
    strategy: { defaults: defaultStatefulSet, validate: validateStatefulSet, validateUpdate: validateStatefulSetUpdate },
    table: table([nameCol, col('Ready', 'Number of the pod with ready state'), ageCol, wide(col('Containers', 'Names of each container in the template.')), wide(col('Images', 'Images referenced by each container in the template.'))],
      (o, now) => {
        const c = containersOf(o.spec?.template);
        return [o.metadata.name, `${n(o.status?.readyReplicas)}/${n(o.spec?.replicas)}`, created(o, now), c.names, c.images];
      }),
  }),
  apps({
    kind: 'DaemonSet', plural: 'daemonsets', shortNames: ['ds'], categories: ['all'], status: true, generation: true,
    strategy: { defaults: defaultDaemonSet, validate: validateDaemonSet, validateUpdate: immutableSelector },
    table: table(workloadColumns([nameCol, col('Desired', 'The total number of nodes that should be running the daemon pod.', { type: 'integer' }),
      col('Current', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.', { type: 'integer' }),
      col('Ready', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.', { type: 'integer' }),
      col('Up-to-date', 'The total number of nodes that are running updated daemon pod', { type: 'integer' }),
      col('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.', { type: 'integer' }),
      col('Node Selector', 'NodeSelector is a selector which must be true for the pod to fit on a node.'), ageCol]),
    (o, now) => {
      const c = containersOf(o.spec?.template);
      const st = o.status ?? {};
      return [o.metadata.name, n(st.desiredNumberScheduled), n(st.currentNumberScheduled), n(st.numberReady), n(st.updatedNumberScheduled), n(st.numberAvailable),
        formatLabels(o.spec?.template?.spec?.nodeSelector), created(o, now), c.names, c.images, selectorString(o.spec?.selector)];
    }),
  }),
  apps({
    kind: 'ControllerRevision', plural: 'controllerrevisions',
    strategy: {
      validate: (o: any) => [...(o.data === undefined || o.data === null ? [required('data', 'data is mandatory')] : []), ...nonNegative('revision', o.revision)],
    },
    table: table([nameCol, col('Controller', 'Controller of the object'), col('Revision', 'Revision indicates the revision of the state represented by Data.'), ageCol],
      (o, now) => [o.metadata.name, controllerOf(o), n(o.revision), created(o, now)]),
  }),
];
