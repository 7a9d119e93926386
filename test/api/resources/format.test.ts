import { describe, expect, it } from 'vitest';
import { formatLabels, humanDuration, selectorString } from '../../../pkg/api/resources/format.ts';

describe('humanDuration', () => {
  it.each([
    [-5, '<invalid>'], [-1, '0s'], [0, '0s'], [119, '119s'], [120, '2m'], [330, '5m30s'], [600, '10m'], [179 * 60, '179m'], [3 * 3600, '3h'],
    [3 * 3600 + 120, '3h2m'], [8 * 3600, '8h'], [47 * 3600, '47h'], [50 * 3600, '2d2h'], [7 * 86400, '7d'], [8 * 86400, '8d'], [690 * 86400, '690d'],
    [730 * 86400, '2y'], [740 * 86400, '2y10d'], [3000 * 86400, '8y'],
  ])('%is → %s', (s, want) => {
    expect(humanDuration(s * 1000)).toBe(want);
  });
});

describe('selectors', () => {
  it('sorts requirements by key and values within them', () => {
    expect(selectorString({ matchLabels: { z: '1' }, matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['y', 'x'] }, { key: 'm', operator: 'Exists' }] })).toBe('a notin (x,y),m,z=1');
    expect(selectorString({})).toBe('');
    expect(formatLabels({})).toBe('<none>');
  });
});
