import { describe, expect, it } from 'vitest';
import { isQuantity, parseQuantity, quantityMilli, quantityValue } from '../../pkg/api/quantity.ts';

describe('quantities', () => {
  it('reads every suffix upstream accepts', () => {
    expect(parseQuantity('64Mi')).toBe(64 * 2 ** 20);
    expect(parseQuantity('1Gi')).toBe(2 ** 30);
    expect(parseQuantity('1.5Ki')).toBe(1536);
    expect(parseQuantity('100m')).toBeCloseTo(0.1);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('1k')).toBe(1000);
    expect(parseQuantity('1M')).toBe(1e6);
    expect(parseQuantity('128974848')).toBe(128974848);
    expect(parseQuantity('129e6')).toBe(129e6);
    expect(parseQuantity('1E3')).toBe(1000);
    expect(parseQuantity('500u')).toBeCloseTo(0.0005);
    expect(parseQuantity('-1')).toBe(-1);
    expect(parseQuantity('.5')).toBe(0.5);
    expect(parseQuantity(3)).toBe(3);
  });

  it('rounds up like Value() and MilliValue()', () => {
    expect(quantityMilli('100m')).toBe(100);
    expect(quantityMilli('0.1')).toBe(100);
    expect(quantityMilli('1')).toBe(1000);
    expect(quantityMilli('1.5')).toBe(1500);
    expect(quantityMilli('1n')).toBe(1);
    expect(quantityValue('100m')).toBe(1);
    expect(quantityValue('64Mi')).toBe(67108864);
  });

  it('refuses what is not a quantity', () => {
    for (const bad of ['', 'abc', '1Xi', '1.2.3', '10 Mi', 'Mi', '1mm', '--1']) {
      expect(isQuantity(bad), bad).toBe(false);
      expect(() => parseQuantity(bad), bad).toThrow(/quantities must match/);
    }
    expect(isQuantity('250m')).toBe(true);
  });
});
