import type { AdmissionPlugin } from '../registry/admission.ts';
import { limitRanger } from './limit-ranger.ts';
import { priorityAdmission } from './priority.ts';
import { resourceQuota } from './resource-quota.ts';
import { serviceAccountAdmission } from './service-account.ts';
import { defaultStorageClass, storageObjectInUseProtection } from './storage.ts';

export { limitRanger, priorityAdmission, resourceQuota, defaultStorageClass, storageObjectInUseProtection, serviceAccountAdmission };
export { serviceAccountMountPath, rootCaConfigMap } from './service-account.ts';
export { countedKind, kindCharges, objectCountName, quotaSelects, usageOf, type QuotaSpec } from './quota-usage.ts';
export { parseList, type Resources } from './resource-lists.ts';
export type { AdmissionPlugin, AdmissionRequest, AdmissionServices } from '../registry/admission.ts';

/** The admission chain `skiff server` runs, in upstream's order of its default-enabled plugins. */
export const defaultAdmission: readonly AdmissionPlugin[] = [limitRanger, serviceAccountAdmission, priorityAdmission, defaultStorageClass, storageObjectInUseProtection, resourceQuota];
