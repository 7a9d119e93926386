import { formatQuantity, quantityMillis, quantityUnits, type Quantity } from '../quantity-exact.ts';
import type { Resources } from './resource-lists.ts';

// resource.MaxMilliValue: beyond it upstream compares whole units instead of thousandths.
const MAX_MILLI = 2n ** 63n / 1000n;

/** requestLimitEnforcedValues: the three at one precision (thousandths when none overflows). */
function common(req: Quantity | undefined, lim: Quantity | undefined, enforced: Quantity): [bigint, bigint, bigint] {
  const units = [req, lim, enforced].map((q) => (q ? quantityUnits(q) : 0n));
  if (units.every((u) => u <= MAX_MILLI)) return [req, lim, enforced].map((q) => (q ? quantityMillis(q) : 0n)) as [bigint, bigint, bigint];
  return units as [bigint, bigint, bigint];
}

/** The minimum a request (and a limit, when given) must reach; messages as upstream's minConstraint. */
export function minConstraint(type: string, resource: string, enforced: Quantity, requests: Resources, limits: Resources): string | undefined {
  const req = requests.get(resource);
  const lim = limits.get(resource);
  const [r, l, e] = common(req, lim, enforced);
  const min = formatQuantity(enforced);
  if (!req) return `minimum ${resource} usage per ${type} is ${min}.  No request is specified`;
  if (r < e) return `minimum ${resource} usage per ${type} is ${min}, but request is ${formatQuantity(req)}`;
  if (lim && l < e) return `minimum ${resource} usage per ${type} is ${min}, but limit is ${formatQuantity(lim)}`;
  return undefined;
}

/** The maximum a limit (which must be given) and a request may reach (maxConstraint). */
export function maxConstraint(type: string, resource: string, enforced: Quantity, requests: Resources, limits: Resources): string | undefined {
  const req = requests.get(resource);
  const lim = limits.get(resource);
  const [r, l, e] = common(req, lim, enforced);
  const max = formatQuantity(enforced);
  if (!lim) return `maximum ${resource} usage per ${type} is ${max}.  No limit is specified`;
  if (l > e) return `maximum ${resource} usage per ${type} is ${max}, but limit is ${formatQuantity(lim)}`;
  if (req && r > e) return `maximum ${resource} usage per ${type} is ${max}, but request is ${formatQuantity(req)}`;
  return undefined;
}

/** The maximum a request may reach, for kinds with requests only (claims): maxRequestConstraint. */
export function maxRequestConstraint(type: string, resource: string, enforced: Quantity, requests: Resources): string | undefined {
  const req = requests.get(resource);
  const [r, , e] = common(req, undefined, enforced);
  const max = formatQuantity(enforced);
  if (!req) return `maximum ${resource} usage per ${type} is ${max}.  No request is specified`;
  if (r > e) return `maximum ${resource} usage per ${type} is ${max}, but request is ${formatQuantity(req)}`;
  return undefined;
}

/** limit / request may not exceed `enforced` (limitRequestRatioConstraint); Go's %f prints the ratio. */
export function ratioConstraint(type: string, resource: string, enforced: Quantity, requests: Resources, limits: Resources): string | undefined {
  const req = requests.get(resource);
  const lim = limits.get(resource);
  const [r, l] = common(req, lim, enforced);
  const max = formatQuantity(enforced);
  if (!req || r === 0n) return `${resource} max limit to request ratio per ${type} is ${max}, but no request is specified or request is 0`;
  if (!lim || l === 0n) return `${resource} max limit to request ratio per ${type} is ${max}, but no limit is specified or limit is 0`;
  const observed = Number(l) / Number(r);
  const units = quantityUnits(enforced);
  const [ratio, allowed] = units <= MAX_MILLI ? [observed * 1000, Number(quantityMillis(enforced))] : [observed, Number(units)];
  if (ratio > allowed) return `${resource} max limit to request ratio per ${type} is ${max}, but provided ratio is ${observed.toFixed(6)}`;
  return undefined;
}

/**
 * utilerrors.NewAggregate(...).Error(): one message as is, several (duplicates dropped) as
 * `[a, b]`; undefined when there are none.
 */
export function aggregate(messages: string[]): string | undefined {
  const unique = [...new Set(messages)];
  if (!unique.length) return undefined;
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}
