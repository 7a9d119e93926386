import type { AdmissionPlugin, AdmissionRequest } from '../registry/admission.ts';
import type { KObject } from '../types/index.ts';

const defaultAnnotations = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];
const betaClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

const isCore = (req: AdmissionRequest, plural: string) => req.def.group === '' && req.def.plural === plural;

/**
 * StorageObjectInUseProtection: every claim and volume is created with its protection finalizer,
 * which the storage-protection controller removes once nothing uses it.
 */
export const storageObjectInUseProtection: AdmissionPlugin = {
  name: 'StorageObjectInUseProtection',
  handles: (req) => req.operation === 'create' && (isCore(req, 'persistentvolumeclaims') || isCore(req, 'persistentvolumes')),
  async mutate(req) {
    const finalizer = isCore(req, 'persistentvolumeclaims') ? 'kubernetes.io/pvc-protection' : 'kubernetes.io/pv-protection';
    const finalizers = req.obj.metadata.finalizers ?? [];
    if (!finalizers.includes(finalizer)) req.obj.metadata.finalizers = [...finalizers, finalizer];
  },
};

/**
 * DefaultStorageClass: a claim created without spec.storageClassName (absent or null; ""
 * explicitly asks for no class) gets the default StorageClass, the newest one when several are
 * marked default (upstream since 1.26). No default class: the claim is left as is.
 */
export const defaultStorageClass: AdmissionPlugin = {
  name: 'DefaultStorageClass',
  handles: (req) => req.operation === 'create' && isCore(req, 'persistentvolumeclaims'),
  async mutate(req, svc) {
    const obj = req.obj;
    const spec = (obj.spec ?? {}) as { storageClassName?: string | null };
    if ((spec.storageClassName !== undefined && spec.storageClassName !== null) || obj.metadata.annotations?.[betaClassAnnotation] !== undefined) return;
    const classes = await svc.list('storage.k8s.io', 'storageclasses', undefined);
    const defaults = classes.filter((c: KObject) => defaultAnnotations.some((a) => c.metadata.annotations?.[a] === 'true'));
    const newest = defaults.sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))[0];
    if (newest) obj.spec = { ...spec, storageClassName: newest.metadata.name };
  },
};
