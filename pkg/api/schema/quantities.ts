import { isQuantity } from '../quantity.ts';
import type { Schema } from './dsl.ts';
import { resolve } from './registry.ts';

/**
 * Whether `value` (walked along `schema`) has a resource.Quantity field Go's decoder would
 * refuse: text that is not a quantity, or a JSON type other than string, number or null. Fields
 * of the wrong shape elsewhere are left to validation, as walkUnknown leaves them.
 */
export function hasBadQuantity(schema: Schema, value: unknown): boolean {
  const s = resolve(schema);
  if (s.scalar === 'quantity') return value !== null && !isQuantity(value);
  if (s.preserveUnknownFields || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return !!s.items && value.some((item) => hasBadQuantity(s.items!, item));
  return Object.entries(value as Record<string, unknown>).some(([key, v]) => {
    const field = s.properties ? s.properties[key] : s.additionalProperties;
    return !!field && hasBadQuantity(field, v);
  });
}
