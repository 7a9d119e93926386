import { describe, expect, it } from 'vitest';
import { canaryOf, cookieValue, useCanary } from '../../../pkg/agent/ingress/canary.ts';

const nginx = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [`nginx.ingress.kubernetes.io/${k}`, v]));

describe('canaryOf', () => {
  it('reads ingress-nginx annotations and skiff.io aliases', () => {
    expect(canaryOf(nginx({ canary: 'true', 'canary-weight': '20' }))).toEqual({ weight: 20, weightTotal: 100 });
    expect(canaryOf({ 'skiff.io/canary': 'true', 'skiff.io/canary-weight': '3', 'skiff.io/canary-weight-total': '10' })).toEqual({ weight: 3, weightTotal: 10 });
    expect(canaryOf(nginx({ canary: 'true', 'canary-by-header': 'X-Canary', 'canary-by-header-value': 'yes', 'canary-by-cookie': 'c' })))
      .toEqual({ weight: 0, weightTotal: 100, header: 'x-canary', headerValue: 'yes', cookie: 'c' });
  });

  it('is undefined without canary "true" and clamps bad weights', () => {
    expect(canaryOf(undefined)).toBeUndefined();
    expect(canaryOf(nginx({ canary: 'false', 'canary-weight': '50' }))).toBeUndefined();
    expect(canaryOf(nginx({ canary: 'true', 'canary-weight': '250' }))?.weight).toBe(100);
    expect(canaryOf(nginx({ canary: 'true', 'canary-weight': '-5' }))?.weight).toBe(0);
    expect(canaryOf(nginx({ canary: 'true', 'canary-weight': 'lots' }))?.weight).toBe(0);
  });
});

describe('useCanary', () => {
  it('splits by weight over the random draw', () => {
    const c = { weight: 20, weightTotal: 100 };
    const draws = Array.from({ length: 100 }, (_, i) => i / 100);
    expect(draws.filter((d) => useCanary(c, {}, () => d))).toHaveLength(20);
    expect(useCanary({ weight: 0, weightTotal: 100 }, {}, () => 0)).toBe(false);
    expect(useCanary({ weight: 100, weightTotal: 100 }, {}, () => 0.999)).toBe(true);
  });

  it('lets the header decide first: always, never, or a set value', () => {
    const c = { weight: 50, weightTotal: 100, header: 'x-canary' };
    expect(useCanary(c, { 'x-canary': 'always' }, () => 0.99)).toBe(true);
    expect(useCanary(c, { 'x-canary': 'never' }, () => 0)).toBe(false);
    expect(useCanary(c, { 'x-canary': 'maybe' }, () => 0.99)).toBe(false);
    const v = { ...c, headerValue: 'blue' };
    expect(useCanary(v, { 'x-canary': 'blue' }, () => 0.99)).toBe(true);
    expect(useCanary(v, { 'x-canary': 'always' }, () => 0.99)).toBe(false);
  });

  it('then the cookie', () => {
    const c = { weight: 0, weightTotal: 100, cookie: 'canary' };
    expect(useCanary(c, { cookie: 'a=1; canary=always' }, () => 0)).toBe(true);
    expect(useCanary({ ...c, weight: 100 }, { cookie: 'canary=never' }, () => 0)).toBe(false);
    expect(cookieValue('a=1;b = two ; c', 'b')).toBe('two');
    expect(cookieValue(undefined, 'b')).toBeUndefined();
  });
});
