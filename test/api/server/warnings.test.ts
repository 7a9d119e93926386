import { describe, expect, it } from 'vitest';
import { warningHeaders } from '../../../pkg/api/server/warnings.ts';

describe('warningHeaders', () => {
  it('sends each text once, in order, whole while they fit in 4096 characters', () => {
    expect(warningHeaders(['a "b"', 'c', 'a "b"', ''])).toEqual(['299 - "a \\"b\\""', '299 - "c"']);
    const fits = Array.from({ length: 16 }, (_, i) => `${i}`.padEnd(256, '.'));
    expect(warningHeaders(fits)).toEqual(fits.map((t) => `299 - "${t}"`));
  });

  it('past 4096 characters cuts every text to 256 and stops adding once the cut ones reach 4096', () => {
    const long = Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(300, '.'));
    const out = warningHeaders(long);
    // 13 whole texts fit (3900); the 14th passes the budget, so 14 cut ones (3584), then two more reach 4096.
    expect(out).toEqual(long.slice(0, 16).map((t) => `299 - "${t.slice(0, 256)}"`));
  });

  it('cuts on characters, not UTF-16 units, and counts escaped characters at their escaped length', () => {
    const wide = '💥'.repeat(300);
    const out = warningHeaders([wide, wide + '!']);
    expect(out).toHaveLength(2);
    expect(out[0]).toBe(`299 - "${'\\ud83d\\udca5'.repeat(256)}"`);
    expect(out.join('').length).toBeLessThan(8192);
  });
});
