import type { FieldError } from '../status.ts';
import { forbidden, invalidValue, notSupported, required } from '../validation/index.ts';
import { ageCol, col, created, nameCol, resource, table } from './define.ts';

/** scheduling.k8s.io/v1 PriorityClass. */

/** Priorities above this are for the system classes only (scheduling.HighestUserDefinablePriority). */
export const highestUserDefinablePriority = 1_000_000_000;
/** The classes the API server keeps (upstream's post-start hook makes the same two). */
export const systemPriorityClasses: Record<string, { value: number; description: string }> = {
  'system-node-critical': { value: 2_000_001_000, description: 'Used for system critical pods that must not be moved from their current node.' },
  'system-cluster-critical': { value: 2_000_000_000, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
};
const preemptionPolicies = ['PreemptLowerPriority', 'Never'];

/** ValidatePriorityClass: the reserved `system-` prefix, the user ceiling, the preemption policy. */
function validatePriorityClass(o: any): FieldError[] {
  const out: FieldError[] = [];
  const name = String(o.metadata?.name ?? '');
  if (typeof o.value !== 'number') out.push(required('value', ''));
  else if (name.startsWith('system-')) {
    const known = systemPriorityClasses[name];
    const why = !known ? `${name} is not a known system priority class` : known.value !== o.value ? `value of ${name} PriorityClass must be ${known.value}` : o.globalDefault ? `globalDefault of ${name} PriorityClass must be false` : '';
    if (why) out.push(forbidden('metadata.name', `priority class names with 'system-' prefix are reserved for system use only. error: ${why}`));
  } else if (o.value > highestUserDefinablePriority) {
    out.push(forbidden('value', `maximum allowed value of a user defined priority is ${highestUserDefinablePriority}`));
  }
  if (o.preemptionPolicy !== undefined && !preemptionPolicies.includes(o.preemptionPolicy)) out.push(notSupported('preemptionPolicy', o.preemptionPolicy, preemptionPolicies));
  return out;
}

/** ValidatePriorityClassUpdate: value and preemptionPolicy are fixed at creation. */
function validatePriorityClassUpdate(o: any, old: any): FieldError[] {
  const out: FieldError[] = [];
  if (o.value !== old.value) out.push(forbidden('value', 'may not be changed in an update.'));
  if (o.preemptionPolicy !== old.preemptionPolicy) out.push(invalidValue('preemptionPolicy', o.preemptionPolicy, 'field is immutable'));
  return out;
}

export const priorityClasses = resource('scheduling.k8s.io', 'v1', {
  kind: 'PriorityClass', plural: 'priorityclasses', namespaced: false, shortNames: ['pc'],
  strategy: {
    defaults: (o: any) => void (o.preemptionPolicy ||= 'PreemptLowerPriority'),
    validate: validatePriorityClass,
    validateUpdate: validatePriorityClassUpdate,
  },
  table: table([nameCol, col('Value', 'value represents the integer value of this priority class.', { type: 'integer' }), col('Global-Default', 'globalDefault specifies whether this PriorityClass should be considered as the default priority.', { type: 'boolean' }),
    ageCol, col('PreemptionPolicy', 'preemptionPolicy is the Policy for preempting pods with lower priority.')],
  (o, now) => [o.metadata.name, typeof o.value === 'number' ? o.value : 0, o.globalDefault === true, created(o, now), o.preemptionPolicy ?? '']),
});
