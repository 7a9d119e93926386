import { describe, expect, it } from 'vitest';
import { PodWorkers } from '../../pkg/agent/pod-workers.ts';

/** A sync that records calls and finishes when the test says so. */
function harness() {
  const calls: string[] = [];
  const release = new Map<string, () => void>();
  let active = 0;
  let maxActivePerKey = 0;
  const perKey = new Map<string, number>();
  const w = new PodWorkers(async (key) => {
    calls.push(key);
    active++;
    perKey.set(key, (perKey.get(key) ?? 0) + 1);
    maxActivePerKey = Math.max(maxActivePerKey, perKey.get(key)!);
    await new Promise<void>((r) => release.set(key, r));
    perKey.set(key, perKey.get(key)! - 1);
    active--;
  }, () => {});
  const finish = async (key: string) => {
    for (let i = 0; i < 100 && !release.has(key); i++) await new Promise((r) => setTimeout(r, 1));
    const r = release.get(key)!;
    release.delete(key);
    r();
    await new Promise((res) => setTimeout(res, 1));
  };
  return { w, calls, finish, stats: () => ({ active, maxActivePerKey }) };
}

describe('pod workers', () => {
  it('never runs one pod twice at once, and runs it again once if asked while running', async () => {
    const { w, calls, finish, stats } = harness();
    w.schedule('a');
    w.schedule('a');
    w.schedule('a');
    expect(calls).toEqual(['a']);
    await finish('a');
    expect(calls).toEqual(['a', 'a']);
    await finish('a');
    expect(calls).toEqual(['a', 'a']);
    expect(stats().maxActivePerKey).toBe(1);
  });

  it('runs different pods side by side', async () => {
    const { w, calls, finish, stats } = harness();
    w.schedule('a');
    w.schedule('b');
    expect(calls).toEqual(['a', 'b']);
    expect(stats().active).toBe(2);
    await finish('a');
    await finish('b');
  });

  it('keeps the earliest of several delayed schedules, and stop waits for running syncs', async () => {
    const { w, calls, finish } = harness();
    w.schedule('a', 20);
    w.schedule('a', 10_000);
    await new Promise((r) => setTimeout(r, 60));
    expect(calls).toEqual(['a']);
    const stopped = w.stop();
    let done = false;
    void stopped.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toBe(false);
    await finish('a');
    await stopped;
    w.schedule('b');
    expect(calls).toEqual(['a']);
  });

  it('reports a failing sync and carries on', async () => {
    const errors: string[] = [];
    const w = new PodWorkers(async (k) => {
      throw new Error(`boom ${k}`);
    }, (k, err) => errors.push(`${k}: ${(err as Error).message}`));
    w.schedule('x');
    await new Promise((r) => setTimeout(r, 5));
    w.schedule('x');
    await new Promise((r) => setTimeout(r, 5));
    expect(errors).toEqual(['x: boom x', 'x: boom x']);
  });
});
