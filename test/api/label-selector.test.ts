import { describe, expect, it } from 'vitest';
import { selectorMatches } from '../../pkg/api/label-selector.ts';

describe('selectorMatches', () => {
  const labels = { app: 'web', tier: 'front' };

  it('matches nothing without a selector and everything with an empty one', () => {
    expect(selectorMatches(undefined, labels)).toBe(false);
    expect(selectorMatches(null, labels)).toBe(false);
    expect(selectorMatches({}, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: {}, matchExpressions: [] }, undefined)).toBe(true);
  });

  it('ands matchLabels and every expression operator', () => {
    expect(selectorMatches({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'db' } }, labels)).toBe(false);
    const sel = (operator: string, values?: string[], key = 'tier') => ({ matchExpressions: [{ key, operator, values }] });
    expect(selectorMatches(sel('In', ['front', 'back']), labels)).toBe(true);
    expect(selectorMatches(sel('In', ['back']), labels)).toBe(false);
    expect(selectorMatches(sel('In', ['x'], 'zone'), labels)).toBe(false);
    expect(selectorMatches(sel('NotIn', ['back']), labels)).toBe(true);
    expect(selectorMatches(sel('NotIn', ['front']), labels)).toBe(false);
    expect(selectorMatches(sel('NotIn', ['x'], 'zone'), labels)).toBe(true);
    expect(selectorMatches(sel('Exists'), labels)).toBe(true);
    expect(selectorMatches(sel('Exists', undefined, 'zone'), labels)).toBe(false);
    expect(selectorMatches(sel('DoesNotExist', undefined, 'zone'), labels)).toBe(true);
    expect(selectorMatches(sel('DoesNotExist'), labels)).toBe(false);
    expect(selectorMatches({ matchLabels: { app: 'web' }, ...sel('In', ['back']) }, labels)).toBe(false);
  });

  it('treats inherited property names as absent labels and odd shapes as no match', () => {
    expect(selectorMatches({ matchExpressions: [{ key: 'constructor', operator: 'Exists' }] }, labels)).toBe(false);
    expect(selectorMatches({ matchLabels: { toString: 'x' } }, {})).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: 'x' } as never, labels)).toBe(true);
    expect(selectorMatches('app=web' as never, labels)).toBe(false);
  });
});
