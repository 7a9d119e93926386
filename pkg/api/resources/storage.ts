import type { FieldError } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { forbidden, invalidValue, required } from '../validation/index.ts';
import { deepEqual } from '../registry/meta.ts';
import { ageCol, col, created, nameCol, table, wide } from './define.ts';
import { accessModes, quantity } from './format.ts';

/** PersistentVolume, PersistentVolumeClaim and StorageClass rows (core/v1 and storage.k8s.io/v1). */

const betaClass = 'volume.beta.kubernetes.io/storage-class';
const storageClassOf = (o: any) => o.metadata.annotations?.[betaClass] ?? o.spec?.storageClassName ?? '';
const terminatingOr = (o: any, phase: string | undefined) => (o.metadata.deletionTimestamp ? 'Terminating' : phase ?? '');

export const persistentVolumeRow = {
  kind: 'PersistentVolume', plural: 'persistentvolumes', namespaced: false, shortNames: ['pv'], status: true,
  strategy: {
    // PersistentVolumeLastPhaseTransitionTime (GA in 1.31) stamps the first phase.
    prepareForCreate: (o: KObject, ctx: { now: Date }) => void (o.status = { phase: 'Pending', lastPhaseTransitionTime: ctx.now.toISOString().replace(/\.\d{3}Z$/, 'Z') }),
    defaults(o: any) {
      const s = (o.spec ??= {});
      s.persistentVolumeReclaimPolicy ||= 'Retain';
      s.volumeMode ||= 'Filesystem';
      (o.status ??= {}).phase ||= 'Pending';
    },
  },
  table: table([nameCol, col('Capacity', 'capacity is the description of the persistent volume\'s resources and capacity.'), col('Access Modes', 'accessModes contains all ways the volume can be mounted.'),
    col('Reclaim Policy', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'), col('Status', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    col('Claim', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'), col('StorageClass', 'storageClassName is the name of StorageClass to which this persistent volume belongs.'),
    col('VolumeAttributesClass', 'Name of VolumeAttributesClass to which this persistent volume belongs.'), col('Reason', 'reason is a brief CamelCase string that describes any failure.'), ageCol,
    wide(col('VolumeMode', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.'))],
  (o, now) => [o.metadata.name, quantity(o.spec?.capacity?.storage), accessModes(o.spec?.accessModes), o.spec?.persistentVolumeReclaimPolicy ?? '', terminatingOr(o, o.status?.phase),
    o.spec?.claimRef ? `${o.spec.claimRef.namespace ?? ''}/${o.spec.claimRef.name ?? ''}` : '', storageClassOf(o), o.spec?.volumeAttributesClassName ?? '<unset>',
    o.status?.reason ?? '', created(o, now), o.spec?.volumeMode ?? '<unset>']),
};

/**
 * ValidatePersistentVolumeClaimUpdate: the spec is frozen except a first volumeName, a first
 * storageClassName and, once
 * bound, resources.requests (which may not shrink; that check needs quantities and is not made).
 */
function validateClaimUpdate(obj: any, old: any): FieldError[] {
  const now = structuredClone(obj.spec ?? {});
  const was = structuredClone(old.spec ?? {});
  if (!was.volumeName) was.volumeName = now.volumeName;
  // RetroactiveDefaultStorageClass (GA in 1.28): a claim without a class may be given one once.
  if (was.storageClassName === undefined || was.storageClassName === null) was.storageClassName = now.storageClassName;
  if (obj.status?.phase === 'Bound') {
    delete now.resources?.requests?.storage;
    delete was.resources?.requests?.storage;
  }
  delete now.volumeAttributesClassName;
  delete was.volumeAttributesClassName;
  if (deepEqual(now, was)) return [];
  return [forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims')];
}

/** ValidatePersistentVolumeClaimSpec's two common omissions. */
function validateClaim(o: any): FieldError[] {
  const out: FieldError[] = [];
  if (!Array.isArray(o.spec?.accessModes) || !o.spec.accessModes.length) out.push(required('spec.accessModes', 'at least 1 access mode is required'));
  if (!o.spec?.resources?.requests?.storage && !o.spec?.dataSource && !o.spec?.dataSourceRef) out.push(required('spec.resources[storage]'));
  return out;
}

export const persistentVolumeClaimRow = {
  kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', shortNames: ['pvc'], status: true,
  strategy: {
    prepareForCreate: (o: KObject) => void (o.status = { phase: 'Pending' }),
    defaults(o: any) {
      (o.spec ??= {}).volumeMode ||= 'Filesystem';
      (o.status ??= {}).phase ||= 'Pending';
    },
    validate: validateClaim,
    validateUpdate: validateClaimUpdate,
  },
  table: table([nameCol, col('Status', 'phase represents the current phase of PersistentVolumeClaim.'), col('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    col('Capacity', 'capacity represents the actual resources of the underlying volume.'), col('Access Modes', 'accessModes contains the actual access modes the volume backing the PVC has.'),
    col('StorageClass', 'storageClassName is the name of the StorageClass required by the claim.'), col('VolumeAttributesClass', 'volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim.'),
    ageCol, wide(col('VolumeMode', 'volumeMode defines what type of volume is required by the claim.'))],
  (o, now) => {
    const bound = !!o.spec?.volumeName;
    return [o.metadata.name, terminatingOr(o, o.status?.phase), o.spec?.volumeName ?? '', bound ? quantity(o.status?.capacity?.storage) : '', bound ? accessModes(o.status?.accessModes) : '',
      storageClassOf(o), o.spec?.volumeAttributesClassName ?? '<unset>', created(o, now), o.spec?.volumeMode ?? '<unset>'];
  }),
};

const isDefaultClass = (o: any) => ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'].some((a) => o.metadata.annotations?.[a] === 'true');

export const storageClassRow = {
  kind: 'StorageClass', plural: 'storageclasses', namespaced: false, shortNames: ['sc'],
  strategy: {
    defaults: (o: any) => void (o.reclaimPolicy ||= 'Delete', o.volumeBindingMode ||= 'Immediate'),
    validate: (o: any) => (o.provisioner ? [] : [required('provisioner')]),
    validateUpdate(o: any, old: any): FieldError[] {
      const out: FieldError[] = [];
      if (!deepEqual(o.parameters, old.parameters)) out.push(forbidden('parameters', 'updates to parameters are forbidden.'));
      if (o.provisioner !== old.provisioner) out.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
      if (o.reclaimPolicy !== old.reclaimPolicy) out.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
      if (o.volumeBindingMode !== old.volumeBindingMode) out.push(invalidValue('volumeBindingMode', o.volumeBindingMode, 'field is immutable'));
      return out;
    },
  },
  table: table([nameCol, col('Provisioner', 'provisioner indicates the type of the provisioner.'), col('ReclaimPolicy', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.'),
    col('VolumeBindingMode', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'),
    col('AllowVolumeExpansion', 'allowVolumeExpansion shows whether the storage class allow volume expand.'), ageCol],
  (o, now) => [`${o.metadata.name}${isDefaultClass(o) ? ' (default)' : ''}`, o.provisioner ?? '', o.reclaimPolicy ?? 'Delete', o.volumeBindingMode ?? 'Immediate', String(o.allowVolumeExpansion ?? false), created(o, now)]),
};
