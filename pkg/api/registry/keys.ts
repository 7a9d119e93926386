import type { ResourceDef } from '../resource.ts';

/**
 * Storage keys: `/registry/<storage.group || core>/<storage.resource>/<namespace>/<name>`;
 * cluster-scoped kinds have no namespace segment. Two served kinds naming one `storage` share
 * keys, and therefore objects, lists and watch streams.
 */
export function storagePrefix(def: ResourceDef): string {
  return `/registry/${def.storage.group || 'core'}/${def.storage.resource}/`;
}

/** Prefix of a list or watch: one namespace, or every namespace when `namespace` is undefined. */
export function collectionPrefix(def: ResourceDef, namespace: string | undefined): string {
  const base = storagePrefix(def);
  return def.namespaced && namespace ? `${base}${namespace}/` : base;
}

export function objectKey(def: ResourceDef, namespace: string | undefined, name: string): string {
  return def.namespaced ? `${storagePrefix(def)}${namespace}/${name}` : `${storagePrefix(def)}${name}`;
}

/** The key of the Namespace object that holds `namespace`. */
export const namespaceKey = (namespace: string): string => `/registry/core/namespaces/${namespace}`;
