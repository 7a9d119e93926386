import { isQuantity } from '../quantity.ts';

/**
 * The Go types behind the autoscaling/v1 round-trip annotations, and a decoder with
 * encoding/json's rules: object keys match field names case-insensitively (the last of two
 * spellings wins), unknown keys are ignored, `null` leaves a field unset, and a value of the
 * wrong JSON type fails the whole document — upstream then ignores the annotation. Decoded
 * objects carry the field names given here (v2's camelCase) and no unset fields.
 */

export type Shape = 'string' | 'int32' | 'quantity' | 'time' | { list: Shape } | { map: 'string' } | { struct: Record<string, Shape> };

export class ShapeError extends Error {}

export function decodeShape(shape: Shape, v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (shape === 'string') return typeof v === 'string' ? v : fail();
  if (shape === 'int32') return Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31 ? v : fail();
  // resource.Quantity's UnmarshalJSON takes a quoted or bare quantity.
  if (shape === 'quantity') return isQuantity(v) ? String(v) : fail();
  if (shape === 'time') return typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? v : fail();
  if ('list' in shape) return Array.isArray(v) ? v.map((x) => decodeShape(shape.list, x) ?? zero(shape.list)) : fail();
  if ('map' in shape) {
    if (!isPlainObject(v)) return fail();
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decodeShape(shape.map, x) ?? '']));
  }
  if (!isPlainObject(v)) return fail();
  const names = Object.keys(shape.struct);
  const out: Record<string, unknown> = {};
  for (const [key, x] of Object.entries(v)) {
    const name = names.find((n) => n === key) ?? names.find((n) => n.toLowerCase() === key.toLowerCase());
    if (name === undefined) continue;
    const decoded = decodeShape(shape.struct[name]!, x);
    if (decoded === undefined) delete out[name];
    else out[name] = decoded;
  }
  return out;
}

/** `decodeShape` of a JSON text; undefined when it is not JSON or does not fit. */
export function parseShape(shape: Shape, text: string): unknown {
  try {
    return decodeShape(shape, JSON.parse(text));
  } catch (err) {
    if (err instanceof SyntaxError || err instanceof ShapeError) return undefined;
    throw err;
  }
}

function fail(): never {
  throw new ShapeError('json: cannot unmarshal');
}

/** A list element that was `null` decodes to its type's zero value, as in Go. */
const zero = (shape: Shape): unknown => (shape === 'int32' ? 0 : shape === 'string' ? '' : typeof shape === 'object' && 'struct' in shape ? {} : undefined);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const labelSelector: Shape = {
  struct: {
    matchLabels: { map: 'string' },
    matchExpressions: { list: { struct: { key: 'string', operator: 'string', values: { list: 'string' } } } },
  },
};
const objectReference: Shape = { struct: { kind: 'string', name: 'string', apiVersion: 'string' } };

/** autoscaling/v1 MetricSpec (the `…/metrics` annotation holds a list of them). */
export const metricSpecV1: Shape = {
  struct: {
    type: 'string',
    object: { struct: { target: objectReference, metricName: 'string', targetValue: 'quantity', selector: labelSelector, averageValue: 'quantity' } },
    pods: { struct: { metricName: 'string', targetAverageValue: 'quantity', selector: labelSelector } },
    resource: { struct: { name: 'string', targetAverageUtilization: 'int32', targetAverageValue: 'quantity' } },
    containerResource: { struct: { name: 'string', targetAverageUtilization: 'int32', targetAverageValue: 'quantity', container: 'string' } },
    external: { struct: { metricName: 'string', metricSelector: labelSelector, targetValue: 'quantity', targetAverageValue: 'quantity' } },
  },
};

/** autoscaling/v1 MetricStatus (the `…/current-metrics` annotation). */
export const metricStatusV1: Shape = {
  struct: {
    type: 'string',
    object: { struct: { target: objectReference, metricName: 'string', currentValue: 'quantity', selector: labelSelector, averageValue: 'quantity' } },
    pods: { struct: { metricName: 'string', currentAverageValue: 'quantity', selector: labelSelector } },
    resource: { struct: { name: 'string', currentAverageUtilization: 'int32', currentAverageValue: 'quantity' } },
    containerResource: { struct: { name: 'string', currentAverageUtilization: 'int32', currentAverageValue: 'quantity', container: 'string' } },
    external: { struct: { metricName: 'string', metricSelector: labelSelector, currentValue: 'quantity', currentAverageValue: 'quantity' } },
  },
};

/** autoscaling/v1 HorizontalPodAutoscalerCondition (the `…/conditions` annotation). */
export const conditionV1: Shape = {
  struct: { type: 'string', status: 'string', lastTransitionTime: 'time', reason: 'string', message: 'string' },
};

const scalingRules: Shape = {
  struct: {
    stabilizationWindowSeconds: 'int32',
    selectPolicy: 'string',
    policies: { list: { struct: { type: 'string', value: 'int32', periodSeconds: 'int32' } } },
  },
};

/**
 * The internal HorizontalPodAutoscalerBehavior (the `…/behavior` annotation): upstream writes
 * the internal type, whose fields have no JSON tags, so its keys are Go's field names
 * (`ScaleUp`, `StabilizationWindowSeconds`, …); decoding takes either spelling.
 */
export const behaviorInternal: Shape = { struct: { scaleUp: scalingRules, scaleDown: scalingRules } };

/** v2 behavior → the internal type's JSON: every field present, unset pointers as null. */
export function encodeBehavior(b: any): string {
  const rules = (r: any) => (r && typeof r === 'object' ? {
    StabilizationWindowSeconds: r.stabilizationWindowSeconds ?? null,
    SelectPolicy: r.selectPolicy ?? null,
    Policies: Array.isArray(r.policies) ? r.policies.map((p: any) => ({ Type: p?.type ?? '', Value: p?.value ?? 0, PeriodSeconds: p?.periodSeconds ?? 0 })) : null,
  } : null);
  return JSON.stringify({ ScaleUp: rules(b?.scaleUp), ScaleDown: rules(b?.scaleDown) });
}
