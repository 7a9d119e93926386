import { isQuantity, parseQuantity } from '../quantity.ts';
import type { FieldError } from '../status.ts';
import { forbidden, invalidValue, notSupported, required } from '../validation/index.ts';

/**
 * ValidateHorizontalPodAutoscaler's metric and behavior rules (autoscaling/v2), worded as
 * upstream, so an HPA the controller could not act on is refused at the door.
 */

const sourceTypes = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const sourceField: Record<string, string> = { Object: 'object', External: 'external', Pods: 'pods', Resource: 'resource', ContainerResource: 'containerResource' };
const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function validateHpaMetrics(metrics: unknown): FieldError[] {
  if (metrics === undefined) return [];
  if (!Array.isArray(metrics)) return [invalidValue('spec.metrics', metrics, 'must be a list')];
  return metrics.flatMap((m, i) => metricErrors(m, `spec.metrics[${i}]`));
}

function metricErrors(m: unknown, path: string): FieldError[] {
  if (!isObj(m)) return [invalidValue(path, m, 'must be an object')];
  const out: FieldError[] = [];
  if (!m.type) out.push(required(`${path}.type`, 'must specify a metric source type'));
  else if (!sourceTypes.includes(m.type)) out.push(notSupported(`${path}.type`, m.type, sourceTypes));
  const present = Object.values(sourceField).filter((f) => m[f] !== undefined && m[f] !== null);
  const first = present[0];
  if (first === 'resource' || first === 'containerResource') out.push(...resourceSourceErrors(m[first], `${path}.${first}`, first === 'containerResource'));
  else if (first) out.push(...targetErrors(m[first]?.target, `${path}.${first}.target`));
  const expected = sourceField[m.type as string];
  if (expected && (m[expected] === undefined || m[expected] === null)) out.push(required(`${path}.${expected}`, 'must populate information for the given metric source'));
  if (present.length !== 1) for (const f of present) if (f !== expected) out.push(forbidden(`${path}.${f}`, 'must populate the given metric source only'));
  return out;
}

function resourceSourceErrors(src: unknown, path: string, container: boolean): FieldError[] {
  if (!isObj(src)) return [invalidValue(path, src, 'must be an object')];
  const out: FieldError[] = [];
  if (!src.name) out.push(required(`${path}.name`, 'must specify a resource name'));
  if (container && !src.container) out.push(required(`${path}.container`, 'must specify a container'));
  const t = isObj(src.target) ? src.target : {};
  out.push(...targetErrors(t, `${path}.target`));
  if (t.averageUtilization === undefined && t.averageValue === undefined) out.push(required(`${path}.target.averageUtilization`, 'must set either a target raw value or a target utilization'));
  if (t.averageUtilization !== undefined && t.averageValue !== undefined) out.push(forbidden(`${path}.target.averageValue`, 'may not set both a target raw value and a target utilization'));
  return out;
}

function targetErrors(target: unknown, path: string): FieldError[] {
  const t = isObj(target) ? target : {};
  const out: FieldError[] = [];
  if (!t.type) out.push(required(`${path}.type`, 'must specify a metric target type'));
  if (t.type !== 'Utilization' && t.type !== 'Value' && t.type !== 'AverageValue') out.push(invalidValue(`${path}.type`, t.type ?? '', 'must be either Utilization, Value, or AverageValue'));
  for (const k of ['value', 'averageValue']) {
    if (t[k] === undefined) continue;
    if (!isQuantity(t[k]) || parseQuantity(t[k]) <= 0) out.push(invalidValue(`${path}.${k}`, t[k], 'must be positive'));
  }
  if (t.averageUtilization !== undefined && !(typeof t.averageUtilization === 'number' && t.averageUtilization >= 1)) out.push(invalidValue(`${path}.averageUtilization`, t.averageUtilization, 'must be greater than 0'));
  return out;
}

const selectPolicies = ['Disabled', 'Max', 'Min'];
const policyTypes = ['Percent', 'Pods'];

/** Rules of a behavior after defaulting (so `policies` is never empty unless given so). */
export function validateHpaBehavior(behavior: unknown): FieldError[] {
  if (behavior === undefined || behavior === null) return [];
  if (!isObj(behavior)) return [invalidValue('spec.behavior', behavior, 'must be an object')];
  return ['scaleUp', 'scaleDown'].flatMap((k) => (behavior[k] === undefined ? [] : rulesErrors(behavior[k], `spec.behavior.${k}`)));
}

function rulesErrors(rules: unknown, path: string): FieldError[] {
  if (!isObj(rules)) return [invalidValue(path, rules, 'must be an object')];
  const out: FieldError[] = [];
  const w = rules.stabilizationWindowSeconds;
  if (w !== undefined && (typeof w !== 'number' || w < 0)) out.push(invalidValue(`${path}.stabilizationWindowSeconds`, w, 'must be greater than or equal to zero'));
  else if (typeof w === 'number' && w > 3600) out.push(invalidValue(`${path}.stabilizationWindowSeconds`, w, 'must be less than or equal to 3600'));
  if (rules.selectPolicy !== undefined && !selectPolicies.includes(rules.selectPolicy)) out.push(notSupported(`${path}.selectPolicy`, rules.selectPolicy, selectPolicies));
  const policies = Array.isArray(rules.policies) ? rules.policies : [];
  if (!policies.length) out.push(required(`${path}.policies`, 'must specify at least one Policy'));
  policies.forEach((p: unknown, i: number) => {
    const at = `${path}.policies[${i}]`;
    const q = isObj(p) ? p : {};
    if (!policyTypes.includes(q.type)) out.push(notSupported(`${at}.type`, q.type ?? '', policyTypes));
    if (!(typeof q.value === 'number' && q.value > 0)) out.push(invalidValue(`${at}.value`, q.value ?? 0, 'must be greater than zero'));
    if (!(typeof q.periodSeconds === 'number' && q.periodSeconds > 0)) out.push(invalidValue(`${at}.periodSeconds`, q.periodSeconds ?? 0, 'must be greater than zero'));
    else if (q.periodSeconds > 1800) out.push(invalidValue(`${at}.periodSeconds`, q.periodSeconds, 'must be less than or equal to 1800'));
  });
  return out;
}
