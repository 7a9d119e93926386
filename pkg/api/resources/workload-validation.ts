import type { FieldError } from '../status.ts';
import {
  forbidden, goLabelSelector, goStringMap, invalidPrinted, invalidValue, nonNegative, notSupported, qualifiedName, required, validateLabels,
} from '../validation/index.ts';
import { deepEqual } from '../registry/meta.ts';
import { validatePodTemplate } from './pod-validation.ts';
import { selectorMatches } from '../label-selector.ts';

/** Selector and template rules shared by the apps/v1 controllers (apps validation). */

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);

const isEmptySelector = (sel: any) => !Object.keys(sel?.matchLabels ?? {}).length && !arr(sel?.matchExpressions).length;

/** ValidateLabelSelector: matchLabels as labels, expressions with operator-specific value rules. */
export function validateLabelSelector(sel: any, path: string): FieldError[] {
  const out = validateLabels(`${path}.matchLabels`, sel?.matchLabels);
  arr(sel?.matchExpressions).forEach((e, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const n = arr(e?.values).length;
    if (e?.operator === 'In' || e?.operator === 'NotIn') {
      if (n === 0) out.push(required(`${p}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
    } else if (e?.operator === 'Exists' || e?.operator === 'DoesNotExist') {
      if (n > 0) out.push(forbidden(`${p}.values`, 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
    } else out.push(invalidValue(`${p}.operator`, e?.operator, 'not a valid selector operator'));
    out.push(...qualifiedName(`${p}.key`, String(e?.key ?? '')));
  });
  return out;
}

/**
 * ValidateDeploymentSpec & co.: replicas ≥ 0, a non-empty selector matching the template labels,
 * a valid template whose restartPolicy is Always and which has no activeDeadlineSeconds.
 * `names` words the messages as each upstream validator does (ReplicaSet's says "deployment").
 */
export function validateWorkloadSpec(spec: any, names: { selector: string; controller: string }, opts: { replicas: boolean }): FieldError[] {
  if (!spec || typeof spec !== 'object') return [required('spec')];
  const out: FieldError[] = [];
  if (opts.replicas) out.push(...nonNegative('spec.replicas', spec.replicas));
  const sel = spec.selector;
  if (!sel || typeof sel !== 'object') out.push(required('spec.selector'));
  else {
    out.push(...validateLabelSelector(sel, 'spec.selector'));
    if (isEmptySelector(sel)) out.push(invalidPrinted('spec.selector', goLabelSelector(sel), `empty selector is invalid for ${names.selector}`));
  }
  const t = spec.template;
  if (!t || typeof t !== 'object') return [...out, required('spec.template')];
  const labels = t.metadata?.labels;
  if (!(sel && typeof sel === 'object' && isEmptySelector(sel)) && !selectorMatches(sel, labels)) {
    out.push(invalidPrinted('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
  }
  out.push(...validatePodTemplate(t, 'spec.template'));
  const rp = t.spec?.restartPolicy;
  if (rp && rp !== 'Always') out.push(notSupported('spec.template.spec.restartPolicy', rp, ['Always']));
  if (t.spec?.activeDeadlineSeconds !== undefined && t.spec?.activeDeadlineSeconds !== null) {
    out.push(forbidden('spec.template.spec.activeDeadlineSeconds', `activeDeadlineSeconds in ${names.controller} is not Supported`));
  }
  out.push(...nonNegative('spec.minReadySeconds', spec.minReadySeconds));
  out.push(...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit));
  return out;
}

/** ValidateImmutableField(spec.selector): Go prints the new selector with %#v. */
export function immutableSelector(obj: any, old: any): FieldError[] {
  if (deepEqual(obj.spec?.selector, old.spec?.selector)) return [];
  return [invalidPrinted('spec.selector', goLabelSelector(obj.spec?.selector), 'field is immutable')];
}
