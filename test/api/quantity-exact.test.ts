import { describe, expect, it } from 'vitest';
import { addQuantity, formatQuantity, parseExact, quantityMillis, quantityUnits } from '../../pkg/api/quantity-exact.ts';

const canon = (s: string | number) => formatQuantity(parseExact(s)!);

describe('formatQuantity', () => {
  it('prints quantities in their canonical form, keeping the format they were written in', () => {
    expect(canon('0.1')).toBe('100m');
    expect(canon('1500m')).toBe('1500m');
    expect(canon('2000m')).toBe('2');
    expect(canon('1000')).toBe('1k');
    expect(canon('1500')).toBe('1500');
    expect(canon('1024Mi')).toBe('1Gi');
    expect(canon('1.5Gi')).toBe('1536Mi');
    expect(canon('1536Ki')).toBe('1536Ki');
    expect(canon('0.5Ki')).toBe('512');
    expect(canon('1e3')).toBe('1e3');
    expect(canon('1n')).toBe('1n');
    expect(canon('0.1n')).toBe('1n'); // rounded up to upstream's nano scale
    expect(canon(3)).toBe('3');
    expect(canon('-250m')).toBe('-250m');
    expect(canon('0Mi')).toBe('0');
  });

  it('sums keep the first non-zero operand\'s format, as Quantity.Add', () => {
    expect(formatQuantity(addQuantity(parseExact('64Mi')!, parseExact('128Mi')!))).toBe('192Mi');
    expect(formatQuantity(addQuantity(parseExact('0')!, parseExact('64Mi')!))).toBe('64Mi');
    expect(formatQuantity(addQuantity(parseExact('500m')!, parseExact('1')!))).toBe('1500m');
  });

  it('rounds values up like Value() and MilliValue(), and refuses what is not a quantity', () => {
    expect(quantityUnits(parseExact('1500m')!)).toBe(2n);
    expect(quantityMillis(parseExact('0.0001')!)).toBe(1n);
    for (const bad of ['', 'abc', '1.2.3', '5Xi', '.', null, {}]) expect(parseExact(bad)).toBeUndefined();
  });
});
