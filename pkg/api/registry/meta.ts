import { randomInt, randomUUID } from 'node:crypto';
import type { ResourceDef, Subresource } from '../resource.ts';
import type { GroupResource } from '../status.ts';
import type { ObjectMeta } from '../types/index.ts';

/** `apps/v1`, or `v1` for the core group. */
export const apiVersionOf = (gv: { group: string; version: string }): string => (gv.group ? `${gv.group}/${gv.version}` : gv.version);

/** How messages name the resource: `deployments.apps`. */
export const groupResourceOf = (def: ResourceDef): GroupResource => ({ group: def.group, resource: def.plural });

/** RFC 3339 with second precision, as metav1.Time serialises (`2026-01-01T00:00:00Z`). */
export const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const newUid = (): string => randomUUID();

// apimachinery's utilrand alphabet: no vowels (no accidental words), no confusable 0/1/3.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_NAME = 63;
const SUFFIX = 5;

/** `generateName` + 5 random characters; the base is cut so the result fits in 63 characters. */
export function generateName(base: string): string {
  let suffix = '';
  for (let i = 0; i < SUFFIX; i++) suffix += ALPHABET[randomInt(ALPHABET.length)];
  return base.slice(0, MAX_NAME - SUFFIX) + suffix;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON equality: key order is irrelevant and a key holding `undefined` equals an absent key. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}

/** Watch events are shared between watchers; freezing makes an accidental mutation throw. */
export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const child of Object.values(v)) deepFreeze(child);
  }
  return v;
}

export function findSubresource<N extends Subresource['name']>(def: ResourceDef, name: N): Extract<Subresource, { name: N }> | undefined {
  return def.subresources?.find((s) => s.name === name) as Extract<Subresource, { name: N }> | undefined;
}

export const hasStatus = (def: ResourceDef): boolean => findSubresource(def, 'status') !== undefined;

export const isCore = (def: ResourceDef, resource: string): boolean => def.storage.group === '' && def.storage.resource === resource;

/** kubernetes-types marks server-set ObjectMeta fields readonly; the registry is the server. */
export type ServerMeta = { -readonly [K in keyof ObjectMeta]: ObjectMeta[K] };
export const serverMeta = (obj: { metadata: ObjectMeta }): ServerMeta => obj.metadata as ServerMeta;
