import { randomInt } from 'node:crypto';
import type { AdmissionPlugin, AdmissionRequest } from '../registry/admission.ts';
import type { KObject } from '../types/index.ts';

/** Where pods find their service-account credentials (upstream's DefaultAPITokenMountPath). */
export const serviceAccountMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
export const rootCaConfigMap = 'kube-root-ca.crt';

/** Upstream's token lifetime for these volumes: an hour and seven seconds, so it is recognisable. */
const tokenSeconds = 3607;

// apimachinery's rand.String alphabet: no vowels, no look-alikes.
const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
const suffix = () => Array.from({ length: 5 }, () => alphabet[randomInt(alphabet.length)]).join('');

interface Mount { name?: string; mountPath?: string; readOnly?: boolean }
interface Container { volumeMounts?: Mount[] }
interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  volumes?: { name?: string }[];
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
}

/**
 * The ServiceAccount admission plugin on pod creation: unless the pod (or else its service
 * account) sets automountServiceAccountToken false, the pod gets a `kube-api-access-<5>`
 * projected volume — a bound token, the cluster CA from the kube-root-ca.crt ConfigMap, and
 * the namespace — mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount in every
 * container that does not mount something there already. Unlike upstream, a pod naming a
 * service account that does not exist yet is admitted: its token volume waits for the account.
 */
export const serviceAccountAdmission: AdmissionPlugin = {
  name: 'ServiceAccount',
  handles: (req) => req.operation === 'create' && req.def.group === '' && req.def.plural === 'pods',
  async mutate(req: AdmissionRequest, svc) {
    const spec = req.obj.spec as PodSpec | undefined;
    if (!spec || typeof spec !== 'object') return;
    spec.serviceAccountName ||= 'default';
    let automount = spec.automountServiceAccountToken;
    if (automount === undefined) {
      const accounts = await svc.list('', 'serviceaccounts', req.namespace);
      const sa = accounts.find((a: KObject) => a.metadata.name === spec.serviceAccountName);
      automount = (sa as { automountServiceAccountToken?: boolean } | undefined)?.automountServiceAccountToken;
    }
    if (automount === false) return;
    const all = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])].filter((c) => c && typeof c === 'object');
    const needing = all.filter((c) => !(Array.isArray(c.volumeMounts) && c.volumeMounts.some((m) => m?.mountPath === serviceAccountMountPath)));
    if (!needing.length) return;
    const taken = new Set((spec.volumes ?? []).map((v) => v?.name));
    let name = `kube-api-access-${suffix()}`;
    while (taken.has(name)) name = `kube-api-access-${suffix()}`;
    spec.volumes = [...(Array.isArray(spec.volumes) ? spec.volumes : []), apiAccessVolume(name)];
    for (const c of needing) c.volumeMounts = [...(Array.isArray(c.volumeMounts) ? c.volumeMounts : []), { name, readOnly: true, mountPath: serviceAccountMountPath }];
  },
};

function apiAccessVolume(name: string) {
  return {
    name,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: tokenSeconds, path: 'token' } },
        { configMap: { name: rootCaConfigMap, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}
