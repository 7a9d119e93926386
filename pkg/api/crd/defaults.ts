import { isRecord, type Schema } from './schema.ts';

/**
 * Structural defaulting, in place, as apiextensions does it on every write and every read from
 * storage: first a null in a non-nullable property without a default is dropped
 * (PruneNonNullableNullsWithoutDefaults), then every absent property with a `default` (or one
 * that is null and not nullable) gets a copy of it, outside-in, so defaults nested in a default
 * apply too. Lists and maps default their items through `items`/`additionalProperties`.
 */
export function applyDefaults(obj: unknown, schema: Schema): void {
  dropNulls(obj, schema);
  fill(obj, schema);
}

function dropNulls(v: unknown, s: Schema): void {
  if (Array.isArray(v)) {
    if (isRecord(s.items)) for (const item of v) dropNulls(item, s.items);
    return;
  }
  if (!isRecord(v)) return;
  const props = isRecord(s.properties) ? s.properties : {};
  for (const [k, val] of Object.entries(v)) {
    const p = props[k];
    if (val === null && isRecord(p) && p.default === undefined && !p.nullable) delete v[k];
  }
  for (const [k, val] of Object.entries(v)) {
    const p = isRecord(props[k]) ? props[k] : isRecord(s.additionalProperties) ? s.additionalProperties : undefined;
    if (p) dropNulls(val, p);
  }
}

function fill(v: unknown, s: Schema): void {
  if (Array.isArray(v)) {
    if (isRecord(s.items)) for (const item of v) fill(item, s.items);
    return;
  }
  if (!isRecord(v)) return;
  const props = isRecord(s.properties) ? s.properties : {};
  for (const [k, p] of Object.entries(props)) {
    if (!isRecord(p) || p.default === undefined) continue;
    if (!Object.hasOwn(v, k) || (v[k] === null && !p.nullable)) v[k] = structuredClone(p.default);
  }
  for (const [k, val] of Object.entries(v)) {
    const p = isRecord(props[k]) ? props[k] : isRecord(s.additionalProperties) ? s.additionalProperties : undefined;
    if (p) fill(val, p);
  }
}
