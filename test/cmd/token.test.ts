import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../cmd/token.ts';
import { UsageError } from '../../cmd/flags.ts';

describe('parseDuration', () => {
  it('reads Go-style durations, 0 meaning never', () => {
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('0')).toBe(0);
  });

  it.each(['', '24', 'h', '5x', '1h 30m', '-1h', '1d', '24h!'])('refuses %j with a usage error', (s) => {
    expect(() => parseDuration(s)).toThrow(UsageError);
    expect(() => parseDuration(s)).toThrow(/^--ttl: ".*" is not a duration/);
  });
});
