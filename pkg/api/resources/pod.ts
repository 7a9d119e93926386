import type { FieldError } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { forbidden } from '../validation/index.ts';
import { deepEqual } from '../registry/meta.ts';
import { ephemeralContainersUpdateErrors } from './ephemeral-validation.ts';
import { ageCol, col, created, nameCol, table, wide } from './define.ts';
import { age } from './format.ts';
import { defaultPodOnly, defaultPodSpec } from './pod-defaults.ts';
import { validatePodSpec } from './pod-validation.ts';

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const isTrue = (conds: unknown, type: string) => arr(conds).some((c) => c?.type === type && c.status === 'True');
const restartable = (c: any) => c?.restartPolicy === 'Always';

/**
 * printPod's READY, STATUS and RESTARTS: the first unfinished init container wins while the pod
 * initializes; then the last container with a waiting/terminated reason; `Completed` with a
 * running container reads Running/NotReady; deletion of a non-terminal pod reads Terminating.
 */
export function podSummary(pod: any): { ready: number; total: number; reason: string; restarts: number; lastRestart?: string } {
  const phase: string = pod.status?.phase ?? '';
  let reason: string = pod.status?.reason || phase;
  if (arr(pod.status?.conditions).some((c) => c?.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';
  const inits = new Map(arr(pod.spec?.initContainers).map((c) => [c?.name, c]));
  const total = arr(pod.spec?.containers).length + [...inits.values()].filter(restartable).length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let last: string | undefined;
  let sidecarLast: string | undefined;
  const later = (a: string | undefined, b: string | undefined) => (b && (!a || Date.parse(b) > Date.parse(a)) ? b : a);
  let initializing = false;
  const initStatuses = arr(pod.status?.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const s = initStatuses[i];
    restarts += s.restartCount ?? 0;
    last = later(last, s.lastState?.terminated?.finishedAt);
    const sidecar = restartable(inits.get(s.name));
    if (sidecar) {
      sidecarRestarts += s.restartCount ?? 0;
      sidecarLast = later(sidecarLast, s.lastState?.terminated?.finishedAt);
    }
    const t = s.state?.terminated;
    if (t && t.exitCode === 0) continue;
    if (sidecar && s.started) {
      if (s.ready) ready++;
      continue;
    }
    if (t) reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode ?? 0}`;
    else if (s.state?.waiting?.reason && s.state.waiting.reason !== 'PodInitializing') reason = `Init:${s.state.waiting.reason}`;
    else reason = `Init:${i}/${inits.size}`;
    initializing = true;
    break;
  }
  if (!initializing || isTrue(pod.status?.conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    last = sidecarLast;
    let running = false;
    for (const s of [...arr(pod.status?.containerStatuses)].reverse()) {
      restarts += s.restartCount ?? 0;
      last = later(last, s.lastState?.terminated?.finishedAt);
      const t = s.state?.terminated;
      if (s.state?.waiting?.reason) reason = s.state.waiting.reason;
      else if (t?.reason) reason = t.reason;
      else if (t) reason = t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode ?? 0}`;
      else if (s.ready && s.state?.running) {
        running = true;
        ready++;
      }
    }
    if (reason === 'Completed' && running) reason = isTrue(pod.status?.conditions, 'Ready') ? 'Running' : 'NotReady';
  }
  if (pod.metadata?.deletionTimestamp && pod.status?.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  return { ready, total, reason, restarts, ...(last ? { lastRestart: last } : {}) };
}

/** kubectl's STATUS column for a pod. */
export const podStatus = (pod: any): string => podSummary(pod).reason;

const podIP = (pod: any): string => pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP ?? '';
const orNone = (s: string | undefined) => s || '<none>';

export const podTable = table(
  [nameCol, col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'), col('Status', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'), ageCol,
    wide(col('IP', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.')),
    wide(col('Node', 'NodeName is a request to schedule this pod onto a specific node.')),
    wide(col('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.')),
    wide(col('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.'))],
  (pod, now) => {
    const s = podSummary(pod);
    const restarts = s.restarts !== 0 && s.lastRestart ? `${s.restarts} (${age(s.lastRestart, now)} ago)` : String(s.restarts);
    const gates = arr(pod.spec?.readinessGates);
    const gateTrue = (g: any) => arr(pod.status?.conditions).find((c) => c?.type === g?.conditionType)?.status === 'True';
    const gatesText = gates.length ? `${gates.filter(gateTrue).length}/${gates.length}` : '<none>';
    return [pod.metadata.name, `${s.ready}/${s.total}`, s.reason, restarts, created(pod, now),
      orNone(podIP(pod)), orNone(pod.spec?.nodeName), orNone(pod.status?.nominatedNodeName), gatesText];
  },
);

/** Pod field selectors (pod ToSelectableFields); `spec.host` is the legacy name of spec.nodeName. */
export const podFieldSelectors: Record<string, (o: KObject) => string> = {
  'spec.nodeName': (o: any) => o.spec?.nodeName ?? '',
  'spec.host': (o: any) => o.spec?.nodeName ?? '',
  'spec.restartPolicy': (o: any) => o.spec?.restartPolicy ?? '',
  'spec.schedulerName': (o: any) => o.spec?.schedulerName ?? '',
  'spec.serviceAccountName': (o: any) => o.spec?.serviceAccountName ?? '',
  'spec.hostNetwork': (o: any) => String(o.spec?.hostNetwork ?? false),
  'status.phase': (o: any) => o.status?.phase ?? '',
  'status.podIP': (o: any) => podIP(o),
  // Accepted by the label conversion but absent from the field set: matches only as ''.
  'status.podIPs': () => '',
  'status.nominatedNodeName': (o: any) => o.status?.nominatedNodeName ?? '',
};

/** GetPodQOS: requests default to limits; only cpu and memory count; zero quantities are ignored. */
export function qosClass(spec: any): string {
  const cs = [...arr(spec?.containers), ...arr(spec?.initContainers)];
  const nonZero = (m: any) => Object.fromEntries(Object.entries(m ?? {}).filter(([k, v]) => (k === 'cpu' || k === 'memory') && !/^0+(\.0*)?[a-zA-Z]*$/.test(String(v))));
  let requests = 0;
  let limits = 0;
  let guaranteed = cs.length > 0;
  for (const c of cs) {
    const lim = nonZero(c?.resources?.limits);
    const req = { ...lim, ...nonZero(c?.resources?.requests) };
    requests += Object.keys(req).length;
    limits += Object.keys(lim).length;
    if (!('cpu' in lim && 'memory' in lim) || req.cpu !== lim.cpu || req.memory !== lim.memory) guaranteed = false;
  }
  if (!requests && !limits) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const updatable = ['`spec.containers[*].image`', '`spec.initContainers[*].image`', '`spec.activeDeadlineSeconds`', '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)'];

export const podStrategy = {
  prepareForCreate(obj: KObject, ctx: { now: Date }) {
    obj.status = { phase: 'Pending', qosClass: qosClass(obj.spec) };
    // applyWaitingForSchedulingGatesCondition: a gated pod says why it is not scheduled.
    if (arr((obj.spec as any)?.schedulingGates).length) {
      (obj.status as any).conditions = [{
        type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates',
        lastProbeTime: null, lastTransitionTime: ctx.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      }];
    }
  },
  // What upstream's Priority admission does on update: an update that leaves out the resolved
  // priority or preemption policy keeps the stored one (they are immutable).
  prepareForUpdate(obj: KObject, old: KObject) {
    const spec = obj.spec as any;
    const was = old.spec as any;
    if (!spec || typeof spec !== 'object' || !was) return;
    if ((spec.priority === undefined || spec.priority === null) && was.priority !== undefined) spec.priority = was.priority;
    if ((spec.preemptionPolicy === undefined || spec.preemptionPolicy === null) && was.preemptionPolicy !== undefined) spec.preemptionPolicy = was.preemptionPolicy;
  },
  defaults(obj: KObject) {
    defaultPodSpec(obj.spec);
    defaultPodOnly(obj.spec);
  },
  validate: (obj: KObject) => validatePodSpec(obj.spec, 'spec', true),
  // ValidatePodCreate: ephemeral containers come only through pods/ephemeralcontainers.
  validateCreate: (obj: KObject) => (Array.isArray((obj.spec as any)?.ephemeralContainers) && (obj.spec as any).ephemeralContainers.length
    ? [forbidden('spec.ephemeralContainers', 'cannot be set on create')] : []),
  validateEphemeralContainersUpdate: (obj: KObject, old: KObject) => ephemeralContainersUpdateErrors(obj.spec, old.spec, old.metadata.annotations),
  validateUpdate(obj: KObject, old: KObject): FieldError[] {
    // Upstream appends a Go diff of the two specs to this message; the field list is what users read.
    const strip = (s: any) => ({
      ...s, containers: arr(s?.containers).map((c: any) => ({ ...c, image: undefined })), initContainers: arr(s?.initContainers).map((c: any) => ({ ...c, image: undefined })),
      activeDeadlineSeconds: undefined, tolerations: undefined, nodeName: undefined,
    });
    const graceFix = (old.spec as any)?.terminationGracePeriodSeconds < 0 && (obj.spec as any)?.terminationGracePeriodSeconds === 1;
    if (graceFix) return deepEqual({ ...strip(obj.spec), terminationGracePeriodSeconds: 0 }, { ...strip(old.spec), terminationGracePeriodSeconds: 0 }) ? [] : [forbidden('spec', `pod updates may not change fields other than ${updatable.join(',')}`)];
    if (deepEqual(strip(obj.spec), strip(old.spec))) return [];
    return [forbidden('spec', `pod updates may not change fields other than ${updatable.join(',')}`)];
  },
};
