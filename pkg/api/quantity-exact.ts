/**
 * Exact resource quantities for admission and quota, where upstream's messages print sums and
 * limits in canonical form ("1500m", "192Mi", "2k"): an amount in nano-units (BigInt, rounded up
 * as upstream rounds to its nano scale) and the format its text was written in, which sums keep
 * from their first operand as resource.Quantity.Add does.
 */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  nanos: bigint;
  format: QuantityFormat;
}

const QUANTITY = /^([+-]?)(\d+)?(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const binaryPow: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const decimalExp: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const NANO = 10n ** 9n;

const ceilDiv = (a: bigint, b: bigint) => (a >= 0n ? (a + b - 1n) / b : a / b);

/** Parses a quantity's text (or a plain number); undefined when it is not one. */
export function parseExact(s: unknown): Quantity | undefined {
  const text = typeof s === 'number' && Number.isFinite(s) ? String(s) : s;
  if (typeof text !== 'string') return undefined;
  const m = QUANTITY.exec(text);
  if (!m || (m[2] === undefined && !m[3])) return undefined;
  const [, sign, whole = '0', frac = '', suffix = ''] = m;
  let num = BigInt(whole + frac);
  let exp10 = -frac.length;
  let format: QuantityFormat = 'DecimalSI';
  if (suffix in binaryPow) {
    num *= 1024n ** BigInt(binaryPow[suffix]!);
    format = 'BinarySI';
  } else if (suffix in decimalExp) exp10 += decimalExp[suffix]!;
  else {
    exp10 += Number(suffix.slice(1));
    format = 'DecimalExponent';
  }
  // To nano-units, rounding up what is finer than a nano (upstream's scale floor).
  const shift = exp10 + 9;
  const nanos = shift >= 0 ? num * 10n ** BigInt(shift) : ceilDiv(num, 10n ** BigInt(-shift));
  return { nanos: sign === '-' ? -nanos : nanos, format };
}

export const zeroQuantity = (format: QuantityFormat = 'DecimalSI'): Quantity => ({ nanos: 0n, format });
// A zero takes the other operand's format, as Quantity.Add and Sub do.
export const addQuantity = (a: Quantity, b: Quantity): Quantity => ({ nanos: a.nanos + b.nanos, format: a.nanos === 0n ? b.format : a.format });
export const subQuantity = (a: Quantity, b: Quantity): Quantity => ({ nanos: a.nanos - b.nanos, format: a.nanos === 0n ? b.format : a.format });
export const cmpQuantity = (a: Quantity, b: Quantity) => (a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0);
/** Value(): whole units, rounded up. */
export const quantityUnits = (q: Quantity) => ceilDiv(q.nanos, NANO);
/** MilliValue(): thousandths, rounded up. */
export const quantityMillis = (q: Quantity) => ceilDiv(q.nanos, 10n ** 6n);

/** resource.Quantity.String(): the canonical text in the quantity's format. */
export function formatQuantity(q: Quantity): string {
  if (q.nanos === 0n) return '0';
  const neg = q.nanos < 0n;
  const abs = neg ? -q.nanos : q.nanos;
  const sign = neg ? '-' : '';
  // BinarySI only for whole amounts of at least 1024; the rest shows as DecimalSI, as upstream.
  if (q.format === 'BinarySI' && abs >= 1024n * NANO && abs % NANO === 0n) {
    let units = abs / NANO;
    let pow = 0;
    while (pow < 6 && units % 1024n === 0n) {
      units /= 1024n;
      pow++;
    }
    return `${sign}${units}${['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'][pow]}`;
  }
  // Largest exponent (a multiple of 3, from nano) that leaves a whole mantissa.
  let mantissa = abs;
  let exp = -9;
  while (exp < 18 && mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exp += 3;
  }
  if (q.format === 'DecimalExponent') return `${sign}${mantissa}${exp === 0 ? '' : `e${exp}`}`;
  const suffix = Object.entries(decimalExp).find(([, e]) => e === exp)![0];
  return `${sign}${mantissa}${suffix}`;
}
