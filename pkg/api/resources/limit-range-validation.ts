import { cmpQuantity, formatQuantity, parseExact, quantityMillis, quantityUnits, type Quantity } from '../quantity-exact.ts';
import type { FieldError } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { duplicate, forbidden, invalidValue, qualifiedNameErrors, required } from '../validation/index.ts';
import { containerResourceNameErrors, resourceNameErrors } from './resource-names.ts';

type Item = { type?: unknown; min?: unknown; max?: unknown; default?: unknown; defaultRequest?: unknown; maxLimitRequestRatio?: unknown };
type Parsed = Map<string, Quantity>;

const MAX_MILLI = 2n ** 63n / 1000n;
const q = formatQuantity;
const mapOf = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
// Go's %f.
const goFloat = (x: number) => (Number.isFinite(x) ? x.toFixed(6) : x > 0 ? '+Inf' : 'NaN');

/**
 * ValidateLimitRange: per item, a qualified type used once; resource names fit the type;
 * Pod items take no defaults; claim items bound storage; and min ≤ defaultRequest ≤ default ≤
 * max, maxLimitRequestRatio ≥ 1 and within max/min (upstream's messages).
 */
export function validateLimitRange(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const limits = (obj.spec as { limits?: unknown } | undefined)?.limits;
  const items = Array.isArray(limits) ? (limits as Item[]) : [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const at = `spec.limits[${i}]`;
    const type = typeof item?.type === 'string' ? item.type : '';
    if (!type) errs.push(required(`${at}.type`));
    else for (const m of qualifiedNameErrors(type)) errs.push(invalidValue(`${at}.type`, type, m));
    if (seen.has(type)) errs.push(duplicate(`${at}.type`, type));
    seen.add(type);

    const nameErrors = type === 'Pod' || type === 'Container' ? containerResourceNameErrors : resourceNameErrors;
    const keys = new Set<string>();
    const collect = (field: keyof Item): Parsed => {
      const out: Parsed = new Map();
      for (const [k, v] of Object.entries(mapOf(item?.[field]))) {
        for (const m of nameErrors(k)) errs.push(invalidValue(`${at}.${field}[${k}]`, k, m));
        keys.add(k);
        const parsed = parseExact(v);
        if (parsed) out.set(k, parsed);
      }
      return out;
    };
    const max = collect('max');
    const min = collect('min');
    let defaults: Parsed = new Map();
    let defaultRequests: Parsed = new Map();
    if (type === 'Pod') {
      if (Object.keys(mapOf(item?.default)).length) errs.push(forbidden(`${at}.default`, "may not be specified when `type` is 'Pod'"));
      if (Object.keys(mapOf(item?.defaultRequest)).length) errs.push(forbidden(`${at}.defaultRequest`, "may not be specified when `type` is 'Pod'"));
    } else {
      defaults = collect('default');
      defaultRequests = collect('defaultRequest');
    }
    if (type === 'PersistentVolumeClaim' && !min.has('storage') && !max.has('storage')) {
      errs.push(required(`${at}.limits`, 'either minimum or maximum storage value is required, but neither was provided'));
    }
    const ratios = collect('maxLimitRequestRatio');

    for (const k of keys) {
      const [mn, mx, df, dr, ratio] = [min.get(k), max.get(k), defaults.get(k), defaultRequests.get(k), ratios.get(k)];
      const gt = (a: Quantity | undefined, b: Quantity | undefined) => !!a && !!b && cmpQuantity(a, b) > 0;
      if (gt(mn, mx)) errs.push(invalidValue(`${at}.min[${k}]`, q(mn!), `min value ${q(mn!)} is greater than max value ${q(mx!)}`));
      if (gt(mn, dr)) errs.push(invalidValue(`${at}.defaultRequest[${k}]`, q(dr!), `min value ${q(mn!)} is greater than default request value ${q(dr!)}`));
      if (gt(dr, mx)) errs.push(invalidValue(`${at}.defaultRequest[${k}]`, q(dr!), `default request value ${q(dr!)} is greater than max value ${q(mx!)}`));
      if (gt(dr, df)) errs.push(invalidValue(`${at}.defaultRequest[${k}]`, q(dr!), `default request value ${q(dr!)} is greater than default limit value ${q(df!)}`));
      if (gt(mn, df)) errs.push(invalidValue(`${at}.default[${k}]`, q(mn!), `min value ${q(mn!)} is greater than default value ${q(df!)}`));
      if (gt(df, mx)) errs.push(invalidValue(`${at}.default[${k}]`, q(mx!), `default value ${q(df!)} is greater than max value ${q(mx!)}`));
      if (ratio && ratio.nanos < 10n ** 9n) errs.push(invalidValue(`${at}.maxLimitRequestRatio[${k}]`, q(ratio), `ratio ${q(ratio)} is less than 1`));
      if (ratio && mn && mx) {
        const milli = quantityUnits(ratio) < MAX_MILLI && quantityUnits(mn) < MAX_MILLI && quantityUnits(mx) < MAX_MILLI;
        const ratioValue = milli ? Number(quantityMillis(ratio)) / 1000 : Number(quantityUnits(ratio));
        const limit = milli ? Number(quantityMillis(mx)) / Number(quantityMillis(mn)) : Number(quantityUnits(mx)) / Number(quantityUnits(mn));
        if (ratioValue > limit) errs.push(invalidValue(`${at}.maxLimitRequestRatio[${k}]`, q(ratio), `ratio ${q(ratio)} is greater than max/min = ${goFloat(limit)}`));
      }
      // Resources that cannot be overcommitted (hugepages, extended ones) need default = defaultRequest.
      const overcommit = !k.startsWith('hugepages-') && (!k.includes('/') || k.includes('kubernetes.io/'));
      if (!overcommit && df && dr && cmpQuantity(df, dr) !== 0) {
        errs.push(invalidValue(`${at}.defaultRequest[${k}]`, q(dr), `default value ${q(df)} must equal to defaultRequest value ${q(dr)} in ${k}`));
      }
    }
  });
  return errs;
}
