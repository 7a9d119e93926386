import type { ResourceDef } from '../resource.ts';
import { createdAtTable, resource } from '../resources/define.ts';
import type { KObject } from '../types/index.ts';
import { crdSchema } from './crd-schema.ts';
import { isRecord } from './schema.ts';
import { validateCrd, validateCrdUpdate, validateNames } from './validate-crd.ts';

export const crdGroup = 'apiextensions.k8s.io';

/** The finalizer that makes deleting a CRD delete its custom resources first. */
export const cleanupFinalizer = 'customresourcecleanup.apiextensions.k8s.io';

/** SetDefaults for apiextensions/v1: singular and listKind from kind, conversion None. */
function defaults(obj: KObject): void {
  const spec = obj.spec;
  if (!isRecord(spec)) return;
  const names = spec.names;
  if (isRecord(names) && typeof names.kind === 'string' && names.kind) {
    if (!names.singular) names.singular = names.kind.toLowerCase();
    if (!names.listKind) names.listKind = `${names.kind}List`;
  }
  if (!isRecord(spec.conversion)) spec.conversion = { strategy: 'None' };
}

/** The storage version's name, once the spec names exactly one. */
export function storageVersion(obj: KObject): string | undefined {
  const versions = isRecord(obj.spec) && Array.isArray(obj.spec.versions) ? obj.spec.versions : [];
  const v = versions.find((x) => isRecord(x) && x.storage === true);
  return isRecord(v) && typeof v.name === 'string' ? v.name : undefined;
}

/**
 * The status a CRD starts with (PrepareForCreate): no accepted names yet, the storage version
 * recorded as stored. The server's CRD controller accepts the names and establishes it.
 */
function initialStatus(obj: KObject): Record<string, unknown> {
  const stored = storageVersion(obj);
  return { acceptedNames: { plural: '', kind: '' }, ...(stored ? { storedVersions: [stored] } : {}) };
}

/** Every version ever stored stays listed until an admin migrates the objects (storedVersions). */
function recordStorageVersion(obj: KObject): void {
  const stored = storageVersion(obj);
  if (!stored || !isRecord(obj.status)) return;
  const list = Array.isArray(obj.status.storedVersions) ? obj.status.storedVersions : [];
  if (!list.includes(stored)) obj.status.storedVersions = [...list, stored];
}

/** apiextensions.k8s.io/v1 CustomResourceDefinition, served like any kind of the table. */
export const customResourceDefinitions: ResourceDef = { ...resource(crdGroup, 'v1', {
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  status: true,
  generation: true,
  table: createdAtTable,
  strategy: {
    prepareForCreate(obj) {
      obj.status = initialStatus(obj);
    },
    prepareForUpdate(obj) {
      if (!isRecord(obj.status)) obj.status = initialStatus(obj);
      recordStorageVersion(obj);
    },
    defaults,
    validate: validateCrd,
    validateUpdate: validateCrdUpdate,
    validateStatusUpdate: (obj) => (isRecord(obj.status) && isRecord(obj.status.acceptedNames) ? validateNames(obj.status.acceptedNames, 'status.acceptedNames') : []),
  },
}), openapiSchema: crdSchema as Record<string, unknown> };
