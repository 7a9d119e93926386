import type { Schema } from './dsl.ts';
import { resolve } from './registry.ts';

type Visit = (path: string, parent: Record<string, unknown>, key: string) => void;

/**
 * Walks `value` along `schema` and calls `visit` for every object key the schema does not know.
 * Paths are spelled the way apimachinery's strict decoder spells them: struct fields and map keys
 * joined with '.', list items as `[i]` (`spec.template.spec.containers[0].bogus`). Values whose
 * JSON type does not match the schema are left alone: type errors are the validator's business.
 */
export function walkUnknown(schema: Schema, value: unknown, path: string, visit: Visit): void {
  const s = resolve(schema);
  if (s.preserveUnknownFields || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    if (s.items) value.forEach((item, i) => walkUnknown(s.items!, item, `${path}[${i}]`, visit));
    return;
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const at = path ? `${path}.${key}` : key;
    if (s.properties) {
      const field = s.properties[key];
      if (field) walkUnknown(field, obj[key], at, visit);
      else visit(at, obj, key);
    } else if (s.additionalProperties) {
      walkUnknown(s.additionalProperties, obj[key], at, visit);
    }
  }
}
