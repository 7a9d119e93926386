import { cmpQuantity, formatQuantity, parseExact } from '../quantity-exact.ts';
import type { FieldError } from '../status.ts';
import { invalidValue } from '../validation/index.ts';
import { containerResourceNameErrors, isIntegerResourceName } from './resource-names.ts';

/**
 * ValidateResourceRequirements of a container (`rp` is its `resources` path): resource names a
 * container may have, quantities not negative (whole for counted resources), and each request
 * within its limit (equal to it for resources that cannot be overcommitted, like hugepages).
 */
export function validateRequirements(resources: unknown, rp: string): FieldError[] {
  if (!isObj(resources)) return [];
  const limits = isObj(resources.limits) ? resources.limits : {};
  const requests = isObj(resources.requests) ? resources.requests : {};
  const errs: FieldError[] = [];
  const quantities = (list: Record<string, unknown>, lp: string) => {
    for (const [name, v] of Object.entries(list)) {
      const at = `${lp}[${name}]`;
      for (const m of containerResourceNameErrors(name)) errs.push(invalidValue(at, name, m));
      const q = parseExact(v);
      if (!q) continue;
      if (q.nanos < 0n) errs.push(invalidValue(at, formatQuantity(q), 'must be greater than or equal to 0'));
      if (isIntegerResourceName(name) && q.nanos % 10n ** 9n !== 0n) errs.push(invalidValue(at, formatQuantity(q), 'must be an integer'));
    }
  };
  quantities(limits, `${rp}.limits`);
  quantities(requests, `${rp}.requests`);
  for (const [name, v] of Object.entries(requests)) {
    const req = parseExact(v);
    const lim = name in limits ? parseExact(limits[name]) : undefined;
    if (!req || !lim) continue;
    const overcommit = !name.startsWith('hugepages-') && (!name.includes('/') || name.includes('kubernetes.io/'));
    if (cmpQuantity(req, lim) !== 0 && !overcommit) errs.push(invalidValue(`${rp}.requests`, formatQuantity(req), `must be equal to ${name} limit of ${formatQuantity(lim)}`));
    else if (cmpQuantity(req, lim) > 0) errs.push(invalidValue(`${rp}.requests`, formatQuantity(req), `must be less than or equal to ${name} limit of ${formatQuantity(lim)}`));
  }
  return errs;
}

const isObj = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);
