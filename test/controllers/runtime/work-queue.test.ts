import { describe, expect, it } from 'vitest';
import { Expectations, WorkQueue } from '../../../pkg/controllers/runtime/index.ts';

describe('work queue', () => {
  it('deduplicates, and never hands one key to two workers', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('a');
    q.add('b');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    q.add('a'); // while processing: held back
    expect(await q.get()).toBe('b');
    let got: string | undefined = 'none';
    void q.get().then((k) => (got = k));
    await Promise.resolve();
    expect(got).toBe('none');
    q.done('a'); // now it is handed out again
    await Promise.resolve();
    expect(got).toBe('a');
  });

  it('backs off per key exponentially until forgotten', async () => {
    const q = new WorkQueue(5, 40);
    for (let i = 0; i < 5; i++) q.addRateLimited('x');
    expect(q.retries('x')).toBe(5);
    q.forget('x');
    expect(q.retries('x')).toBe(0);
    // A rate-limited add is not queued at once; it arrives after its delay.
    const q2 = new WorkQueue(5, 40);
    q2.addRateLimited('y');
    expect(q2.length).toBe(0);
    expect(await q2.get()).toBe('y');
  });

  it('wakes waiting workers with undefined on shutdown', async () => {
    const q = new WorkQueue();
    const w = q.get();
    q.shutDown();
    expect(await w).toBeUndefined();
    q.add('late');
    expect(q.length).toBe(0);
  });
});

describe('expectations', () => {
  it('holds an owner back until its creates and deletes are observed, or expire', () => {
    let now = 0;
    const e = new Expectations(() => now, 1_000);
    expect(e.satisfied('rs')).toBe(true);
    e.expect('rs', 2, 1);
    expect(e.satisfied('rs')).toBe(false);
    e.observedAdd('rs');
    e.observedAdd('rs');
    expect(e.satisfied('rs')).toBe(false);
    e.observedDel('rs');
    expect(e.satisfied('rs')).toBe(true);
    e.expect('rs', 1, 0);
    now = 2_000;
    expect(e.satisfied('rs')).toBe(true);
  });
});
