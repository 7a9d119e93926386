import { parseExact } from '../quantity-exact.ts';
import type { FieldError } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { invalidPrinted, invalidValue, notSupported, required } from '../validation/index.ts';
import { isIntegerResourceName, isStandardQuotaResourceName, resourceNameErrors } from './resource-names.ts';

const scopes = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'];
const podCompute = new Set(['cpu', 'memory', 'limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory']);

/** IsResourceQuotaScopeValidForResource: pod scopes limit pod counts and compute, BestEffort only counts. */
function scopeFits(scope: string, resource: string): boolean {
  if (scope === 'BestEffort') return resource === 'pods';
  if (scopes.includes(scope)) return resource === 'pods' || podCompute.has(resource);
  return true;
}

const goScopes = (list: string[]) => `[]core.ResourceQuotaScope{${list.map((s) => JSON.stringify(s)).join(', ')}}`;

function hardErrors(path: string, hard: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(hard)) {
    const at = `${path}[${k}]`;
    for (const m of resourceNameErrors(k)) errs.push(invalidValue(at, k, m));
    if (!k.includes('/') && !isStandardQuotaResourceName(k)) errs.push(invalidValue(at, k, 'must be a standard resource for quota'));
    const value = parseExact(v);
    if (!value) continue;
    if (value.nanos < 0n) errs.push(invalidValue(at, String(v), 'must be greater than or equal to 0'));
    if (isIntegerResourceName(k) && value.nanos % 10n ** 9n !== 0n) errs.push(invalidValue(at, String(v), 'must be an integer'));
  }
  return errs;
}

/**
 * ValidateResourceQuota (spec and status): resource names quota knows, non-negative limits,
 * whole numbers for counts, supported and non-conflicting scopes that fit the limited resources.
 */
export function validateResourceQuota(obj: KObject): FieldError[] {
  const spec = (obj.spec && typeof obj.spec === 'object' ? obj.spec : {}) as { hard?: unknown; scopes?: unknown; scopeSelector?: { matchExpressions?: unknown } };
  const status = (obj.status && typeof obj.status === 'object' ? obj.status : {}) as { hard?: unknown; used?: unknown };
  const map = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const errs = [...hardErrors('spec.hard', map(spec.hard)), ...hardErrors('status.hard', map(status.hard)), ...hardErrors('status.used', map(status.used))];

  const list = Array.isArray(spec.scopes) ? spec.scopes.map(String) : [];
  for (const s of list) {
    if (!scopes.includes(s)) errs.push(invalidPrinted('spec.scopes', goScopes(list), 'unsupported scope'));
    for (const k of Object.keys(map(spec.hard)).sort()) {
      if (isStandardQuotaResourceName(k) && !scopeFits(s, k)) errs.push(invalidPrinted('spec.scopes', goScopes(list), 'unsupported scope applied to resource'));
    }
  }
  for (const [a, b] of [['BestEffort', 'NotBestEffort'], ['Terminating', 'NotTerminating']]) {
    if (list.includes(a!) && list.includes(b!)) errs.push(invalidPrinted('spec.scopes', goScopes(list), 'conflicting scopes'));
  }

  const exprs = Array.isArray(spec.scopeSelector?.matchExpressions) ? (spec.scopeSelector.matchExpressions as { scopeName?: string; operator?: string; values?: unknown[] }[]) : [];
  exprs.forEach((e, i) => {
    const at = `spec.scopeSelector.matchExpressions[${i}]`;
    if (!scopes.includes(e?.scopeName ?? '')) errs.push(invalidValue(`${at}.scopeName`, e?.scopeName ?? '', 'unsupported scope'));
    const op = e?.operator ?? '';
    const values = Array.isArray(e?.values) ? e.values : [];
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(op)) errs.push(notSupported(`${at}.operator`, op, ['DoesNotExist', 'Exists', 'In', 'NotIn']));
    else if ((op === 'In' || op === 'NotIn') && !values.length) errs.push(required(`${at}.values`, 'must be at least one value when `operator` is \'In\' or \'NotIn\' for scope selector'));
    else if ((op === 'Exists' || op === 'DoesNotExist') && values.length) errs.push(invalidValue(`${at}.values`, values, 'must be no value when `operator` is \'Exist\' or \'DoesNotExist\' for scope selector'));
  });
  return errs;
}
