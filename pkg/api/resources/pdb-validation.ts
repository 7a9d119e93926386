import type { FieldError } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { intOrPercent, invalidValue, nonNegative, notSupported } from '../validation/index.ts';
import { validateLabelSelector } from './workload-validation.ts';

type Spec = { minAvailable?: unknown; maxUnavailable?: unknown; selector?: unknown; unhealthyPodEvictionPolicy?: unknown };
const set = (v: unknown) => v !== undefined && v !== null;

/**
 * ValidatePodDisruptionBudgetSpec: one of minAvailable and maxUnavailable, each a non-negative
 * number or a percentage up to 100%; a valid selector; a known unhealthyPodEvictionPolicy.
 */
export function validatePodDisruptionBudget(obj: KObject): FieldError[] {
  const spec = (obj.spec && typeof obj.spec === 'object' ? obj.spec : {}) as Spec;
  const errs: FieldError[] = [];
  // Upstream prints the whole spec struct (pointers included); its JSON is the readable equivalent.
  if (set(spec.minAvailable) && set(spec.maxUnavailable)) errs.push(invalidValue('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  errs.push(...intOrPercent('spec.minAvailable', spec.minAvailable, true), ...intOrPercent('spec.maxUnavailable', spec.maxUnavailable, true));
  if (set(spec.selector)) errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (set(policy) && policy !== 'AlwaysAllow' && policy !== 'IfHealthyBudget') errs.push(notSupported('spec.unhealthyPodEvictionPolicy', policy, ['AlwaysAllow', 'IfHealthyBudget']));
  return errs;
}

/** ValidatePodDisruptionBudgetStatusUpdate: the counts are never negative. */
export function validatePodDisruptionBudgetStatus(obj: KObject): FieldError[] {
  const s = (obj.status && typeof obj.status === 'object' ? obj.status : {}) as Record<string, unknown>;
  return ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'].flatMap((f) => nonNegative(`status.${f}`, s[f]));
}
