/**
 * Pod defaults as the apiserver applies them (core/v1 SetDefaults_*, kubectl-api.md §7).
 * `defaultPodSpec` is what every PodSpec gets, templates included; `defaultPodOnly` adds what
 * upstream applies to Pod objects alone (SetDefaults_Pod and the default admission plugins).
 */

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const isObj = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);

export function defaultPodSpec(spec: any): void {
  if (!isObj(spec)) return;
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ||= 'default-scheduler';
  // v1's deprecated serviceAccount mirrors serviceAccountName (conversion, both directions).
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  for (const c of [...arr(spec.initContainers), ...arr(spec.containers), ...arr(spec.ephemeralContainers)]) defaultContainer(c);
  for (const v of arr(spec.volumes)) defaultVolume(v);
}

/** SetDefaults_Pod plus the Priority and ServiceAccount admission plugins' defaults. */
export function defaultPodOnly(spec: any): void {
  if (!isObj(spec)) return;
  spec.enableServiceLinks ??= true;
  for (const c of [...arr(spec.initContainers), ...arr(spec.containers)]) {
    if (!isObj(c) || !isObj(c.resources) || !isObj(c.resources.limits) || !Object.keys(c.resources.limits).length) continue;
    c.resources.requests = { ...c.resources.limits, ...(isObj(c.resources.requests) ? c.resources.requests : {}) };
  }
  if (spec.hostNetwork) {
    for (const c of [...arr(spec.initContainers), ...arr(spec.containers)]) for (const p of arr(c?.ports)) if (isObj(p)) p.hostPort ??= p.containerPort;
  }
  spec.serviceAccountName ||= 'default';
  spec.serviceAccount = spec.serviceAccountName;
}

/** The tag ParseImageName reports: "latest" when neither tag nor digest is given, '' for bad references. */
export function imageTag(image: string): string {
  if (!image || /\s/.test(image)) return '';
  const [name, digest] = image.split('@', 2);
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > slash ? name.slice(colon + 1) : '';
  const repo = colon > slash ? name.slice(0, colon) : name;
  const first = repo.split('/')[0];
  const hasDomain = repo.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const path = hasDomain ? repo.slice(first.length + 1) : repo;
  if (!path || /[A-Z]/.test(path)) return '';
  return tag || (digest ? '' : 'latest');
}

function defaultContainer(c: any): void {
  if (!isObj(c)) return;
  if (!c.imagePullPolicy) c.imagePullPolicy = imageTag(typeof c.image === 'string' ? c.image : '') === 'latest' ? 'Always' : 'IfNotPresent';
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  // ResourceRequirements is a struct, so it always serializes.
  c.resources ??= {};
  for (const p of arr(c.ports)) if (isObj(p)) p.protocol ||= 'TCP';
  for (const e of arr(c.env)) if (isObj(e?.valueFrom?.fieldRef)) e.valueFrom.fieldRef.apiVersion ||= 'v1';
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
    if (!isObj(probe)) continue;
    // Zero means unset for these int32 fields.
    probe.timeoutSeconds ||= 1;
    probe.periodSeconds ||= 10;
    probe.successThreshold ||= 1;
    probe.failureThreshold ||= 3;
    defaultHttpGet(probe.httpGet);
  }
  for (const h of [c.lifecycle?.postStart, c.lifecycle?.preStop]) if (isObj(h)) defaultHttpGet(h.httpGet);
}

function defaultHttpGet(h: unknown): void {
  if (!isObj(h)) return;
  h.path ||= '/';
  h.scheme ||= 'HTTP';
}

const sources = ['hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs', 'persistentVolumeClaim', 'rbd',
  'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk',
  'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image'];

function defaultVolume(v: any): void {
  if (!isObj(v)) return;
  if (!sources.some((s) => v[s] !== undefined && v[s] !== null)) v.emptyDir = {};
  for (const s of ['secret', 'configMap', 'downwardAPI', 'projected']) if (isObj(v[s])) v[s].defaultMode ??= 420;
  if (isObj(v.hostPath)) v.hostPath.type ??= '';
  for (const src of arr(v.projected?.sources)) if (isObj(src?.serviceAccountToken)) src.serviceAccountToken.expirationSeconds ??= 3600;
  const fieldRefs = [...arr(v.downwardAPI?.items), ...arr(v.projected?.sources).flatMap((s: any) => arr(s?.downwardAPI?.items))];
  for (const item of fieldRefs) if (isObj(item?.fieldRef)) item.fieldRef.apiVersion ||= 'v1';
}
