import type { ResourceDef } from '../resource.ts';
import { badRequest } from '../status.ts';

/** IsValidPathSegmentName: a name becomes a key segment, so it may not escape its place. */
export function pathSegmentErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errs: string[] = [];
  for (const bad of ['/', '%']) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

/** Checks an object name given by the request (URL or in-process caller). */
export function checkName(name: string): void {
  if (typeof name !== 'string' || name === '') throw badRequest('resource name may not be empty');
  const errs = pathSegmentErrors(name);
  if (errs.length) throw badRequest(`invalid resource name ${JSON.stringify(name)}: [${errs.join(', ')}]`);
}

/**
 * The namespace a single-object request works in: required for namespaced kinds, ignored for
 * cluster-scoped ones (their keys have no namespace segment).
 */
export function objectNamespace(def: ResourceDef, namespace: string | undefined): string | undefined {
  if (!def.namespaced) return undefined;
  if (!namespace) throw badRequest(`a namespace is required for ${def.plural}`);
  checkName(namespace);
  return namespace;
}

/** The namespace of a list/watch: undefined means all namespaces. */
export function collectionNamespace(def: ResourceDef, namespace: string | undefined): string | undefined {
  if (!def.namespaced || !namespace) return undefined;
  checkName(namespace);
  return namespace;
}
