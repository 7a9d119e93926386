import { describe, expect, it } from 'vitest';
import { RestartBackoff } from '../../../pkg/agent/pod/backoff.ts';

describe('restart back-off', () => {
  it('doubles from 10 s to at most 5 minutes', () => {
    const b = new RestartBackoff();
    let now = 0;
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const until = b.failed('u/a', now, 1_000);
      delays.push((until - now) / 1000);
      now = until + 1_000; // restarted when allowed, failed a second later
    }
    expect(delays).toEqual([10, 20, 40, 80, 160, 300, 300, 300]);
    expect(b.delayMs('u/a')).toBe(300_000);
  });

  it('says how long is left, per container', () => {
    const b = new RestartBackoff();
    b.failed('u/a', 1_000);
    expect(b.remaining('u/a', 5_000)).toBe(6_000);
    expect(b.remaining('u/a', 11_000)).toBe(0);
    expect(b.remaining('u/b', 5_000)).toBe(0);
  });

  it('starts over after 10 minutes of running, and forgets a pod', () => {
    const b = new RestartBackoff();
    b.failed('u/a', 0);
    b.failed('u/a', 20_000);
    expect(b.delayMs('u/a')).toBe(20_000);
    b.failed('u/a', 700_000, 650_000);
    expect(b.delayMs('u/a')).toBe(10_000);
    b.forget('u/');
    expect(b.delayMs('u/a')).toBe(0);
  });
});
