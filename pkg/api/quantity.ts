/**
 * Kubernetes resource quantities ("100m", "64Mi", "1.5", "2e3"), as numbers in base units (cores,
 * bytes). Upstream keeps them as exact decimals; skiff's uses (limits, requests, scheduling sums)
 * are far inside a double's exact range, so a number is enough. Rounding follows upstream:
 * Value() and MilliValue() round up.
 */
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

export function isQuantity(s: unknown): boolean {
  return (typeof s === 'string' && QUANTITY.test(s)) || (typeof s === 'number' && Number.isFinite(s));
}

/** The quantity in base units; throws on text that is not a quantity. Numbers pass through. */
export function parseQuantity(s: string | number): number {
  if (typeof s === 'number') {
    if (!Number.isFinite(s)) throw new Error(`quantities must match the regular expression '${QUANTITY.source}'`);
    return s;
  }
  const m = QUANTITY.exec(s);
  if (!m) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  const [, sign, digits, suffix = ''] = m;
  const n = Number(digits) * (sign === '-' ? -1 : 1);
  if (suffix in binary) return n * binary[suffix]!;
  if (suffix in decimal) return n * decimal[suffix]!;
  return n * 10 ** Number(suffix.slice(1));
}

/** Whole base units, rounded up (bytes of memory, count of pods). */
export const quantityValue = (s: string | number): number => Math.ceil(roundNoise(parseQuantity(s)));

/** Thousandths of a base unit, rounded up (millicores). */
export const quantityMilli = (s: string | number): number => Math.ceil(roundNoise(parseQuantity(s) * 1000));

// 0.1 * 1000 is 100.00000000000001 in binary floating point; upstream's decimals have no such noise.
const roundNoise = (x: number) => Math.round(x * 1e6) / 1e6;
