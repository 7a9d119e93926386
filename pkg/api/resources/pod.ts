import type { FieldError } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { invalidValue, notSupported, required, dns1123Label, duplicate } from '../validation/index.ts';
import { ageCol, col, created, nameCol, table, wide } from './define.ts';
import { age, none } from './format.ts';
import { deepEqual } from '../registry/meta.ts';

/** Pod defaults as the apiserver applies them (kubectl-api.md §7); also used inside workload templates. */
export function defaultPodSpec(spec: any): void {
  if (!spec || typeof spec !== 'object') return;
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  if (spec.serviceAccountName && !spec.serviceAccount) spec.serviceAccount = spec.serviceAccountName;
  for (const c of [...arr(spec.initContainers), ...arr(spec.containers)]) defaultContainer(c);
  for (const v of arr(spec.volumes)) {
    if (v && typeof v === 'object' && v.configMap) v.configMap.defaultMode ??= 420;
    if (v && typeof v === 'object' && v.secret) v.secret.defaultMode ??= 420;
  }
}

function defaultContainer(c: any): void {
  if (!c || typeof c !== 'object') return;
  if (c.imagePullPolicy === undefined && typeof c.image === 'string') {
    const tag = /:([^/:@]+)$/.exec(c.image.split('@')[0])?.[1];
    c.imagePullPolicy = !tag || tag === 'latest' ? (c.image.includes('@') ? 'IfNotPresent' : 'Always') : 'IfNotPresent';
  }
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  for (const p of arr(c.ports)) if (p && typeof p === 'object') p.protocol ??= 'TCP';
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
    if (!probe || typeof probe !== 'object') continue;
    probe.timeoutSeconds ??= 1;
    probe.periodSeconds ??= 10;
    probe.successThreshold ??= 1;
    probe.failureThreshold ??= 3;
    if (probe.httpGet) probe.httpGet.scheme ??= 'HTTP';
  }
}

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);

export function validatePodSpec(spec: any, path: string): FieldError[] {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return [required(path)];
  const out: FieldError[] = [];
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) out.push(required(`${path}.containers`));
  const names = new Set<string>();
  const each = (list: unknown, field: string) => {
    if (list !== undefined && !Array.isArray(list)) {
      out.push(invalidValue(`${path}.${field}`, list, 'must be a list'));
      return;
    }
    arr(list).forEach((c, i) => {
      const p = `${path}.${field}[${i}]`;
      if (!c || typeof c !== 'object') return void out.push(invalidValue(p, c, 'must be an object'));
      if (typeof c.name !== 'string' || !c.name) out.push(required(`${p}.name`));
      else {
        out.push(...dns1123Label(`${p}.name`, c.name));
        if (names.has(c.name)) out.push(duplicate(`${p}.name`, c.name));
        names.add(c.name);
      }
      if (typeof c.image !== 'string' || !c.image.trim()) out.push(required(`${p}.image`));
      arr(c.ports).forEach((port, j) => {
        const cp = port?.containerPort;
        if (!Number.isInteger(cp) || cp < 1 || cp > 65535) out.push(invalidValue(`${p}.ports[${j}].containerPort`, cp, 'must be between 1 and 65535, inclusive'));
      });
      if (c.imagePullPolicy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(c.imagePullPolicy)) {
        out.push(notSupported(`${p}.imagePullPolicy`, c.imagePullPolicy, ['Always', 'IfNotPresent', 'Never']));
      }
    });
  };
  each(spec.containers, 'containers');
  each(spec.initContainers, 'initContainers');
  if (spec.restartPolicy !== undefined && !['Always', 'OnFailure', 'Never'].includes(spec.restartPolicy)) {
    out.push(notSupported(`${path}.restartPolicy`, spec.restartPolicy, ['Always', 'Never', 'OnFailure']));
  }
  if (spec.dnsPolicy !== undefined && !['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'].includes(spec.dnsPolicy)) {
    out.push(notSupported(`${path}.dnsPolicy`, spec.dnsPolicy, ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']));
  }
  const grace = spec.terminationGracePeriodSeconds;
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) out.push(invalidValue(`${path}.terminationGracePeriodSeconds`, grace, 'must be greater than or equal to 0'));
  return out;
}

/** kubectl's STATUS column for a pod, as upstream's printer derives it. */
export function podStatus(pod: any): string {
  let reason: string = pod.status?.reason ?? pod.status?.phase ?? 'Pending';
  const init: any[] = pod.status?.initContainerStatuses ?? [];
  const initCount = arr(pod.spec?.initContainers).length;
  let initializing = false;
  init.forEach((s, i) => {
    const t = s.state?.terminated;
    if (t && t.exitCode === 0) return;
    initializing = true;
    if (t) reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    else if (s.state?.waiting?.reason && s.state.waiting.reason !== 'PodInitializing') reason = `Init:${s.state.waiting.reason}`;
    else reason = `Init:${i}/${initCount}`;
  });
  if (!initializing) {
    let running = false;
    for (const s of [...(pod.status?.containerStatuses ?? [])].reverse()) {
      if (s.state?.waiting?.reason) reason = s.state.waiting.reason;
      else if (s.state?.terminated?.reason) reason = s.state.terminated.reason;
      else if (s.state?.terminated) reason = s.state.terminated.signal ? `Signal:${s.state.terminated.signal}` : `ExitCode:${s.state.terminated.exitCode}`;
      else if (s.ready && s.state?.running) running = true;
    }
    if (reason === 'Completed' && running) reason = pod.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
  }
  if (pod.metadata?.deletionTimestamp) reason = pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

function restarts(pod: any, now: Date): string {
  let count = 0;
  let last: string | undefined;
  for (const s of pod.status?.containerStatuses ?? []) {
    count += s.restartCount ?? 0;
    const t = s.lastState?.terminated?.finishedAt;
    if (t && (!last || t > last)) last = t;
  }
  return last && count > 0 ? `${count} (${age(last, now)} ago)` : String(count);
}

export const podTable = table(
  [nameCol, col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'), col('Status', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'), ageCol,
    wide(col('IP', 'IP address allocated to the pod.')), wide(col('Node', 'Name of the Node this pod is assigned to.')),
    wide(col('Nominated Node', 'Name of the node this pod is nominated to.')), wide(col('Readiness Gates', 'The readiness gates of this pod.'))],
  (pod, now) => {
    const total = arr(pod.spec?.containers).length;
    const ready = (pod.status?.containerStatuses ?? []).filter((s: any) => s.ready).length;
    const gates = arr(pod.spec?.readinessGates);
    const gatesText = gates.length
      ? `${gates.filter((g: any) => pod.status?.conditions?.some((c: any) => c.type === g.conditionType && c.status === 'True')).length}/${gates.length}` : '<none>';
    return [pod.metadata.name, `${ready}/${total}`, podStatus(pod), restarts(pod, now), created(pod, now),
      none(pod.status?.podIP), none(pod.spec?.nodeName), none(pod.status?.nominatedNodeName), gatesText];
  },
);

export const podFieldSelectors: Record<string, (o: KObject) => string> = {
  'spec.nodeName': (o: any) => o.spec?.nodeName ?? '',
  'spec.restartPolicy': (o: any) => o.spec?.restartPolicy ?? '',
  'spec.schedulerName': (o: any) => o.spec?.schedulerName ?? '',
  'spec.serviceAccountName': (o: any) => o.spec?.serviceAccountName ?? '',
  'spec.hostNetwork': (o: any) => String(o.spec?.hostNetwork ?? false),
  'status.phase': (o: any) => o.status?.phase ?? '',
  'status.podIP': (o: any) => o.status?.podIP ?? '',
  'status.nominatedNodeName': (o: any) => o.status?.nominatedNodeName ?? '',
};

function qosClass(spec: any): string {
  const cs = [...arr(spec?.containers), ...arr(spec?.initContainers)];
  let guaranteed = cs.length > 0;
  let any = false;
  for (const c of cs) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      const l = lim[r];
      const q = req[r] ?? l;
      if (l === undefined || q !== l) guaranteed = false;
    }
  }
  return guaranteed ? 'Guaranteed' : any ? 'Burstable' : 'BestEffort';
}

export const podStrategy = {
  prepareForCreate(obj: KObject) {
    obj.status = { phase: 'Pending', qosClass: qosClass(obj.spec) };
  },
  defaults(obj: KObject) {
    defaultPodSpec(obj.spec);
  },
  validate: (obj: KObject) => validatePodSpec(obj.spec, 'spec'),
  validateUpdate(obj: KObject, old: KObject): FieldError[] {
    const strip = (s: any) => ({ ...s, containers: arr(s?.containers).map((c: any) => ({ ...c, image: undefined })), activeDeadlineSeconds: undefined, tolerations: undefined, nodeName: undefined });
    if (!deepEqual(strip(obj.spec), strip(old.spec))) {
      return [{ type: 'FieldValueForbidden', field: 'spec', message: 'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)' }];
    }
    return [];
  },
};
