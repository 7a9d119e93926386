import { describe, expect, it } from 'vitest';
import { PriorityQueue } from '../../pkg/scheduler/queue.ts';

const drain = (q: PriorityQueue) => {
  const out: string[] = [];
  for (let k = q.pop(); k !== undefined; k = q.pop()) out.push(k);
  return out;
};

describe('PriorityQueue', () => {
  it('hands out the highest priority first, first come first within one priority', () => {
    const q = new PriorityQueue();
    q.add('a', 0);
    q.add('b', 100);
    q.add('c', 0);
    q.add('d', -5);
    q.add('e', 100);
    q.add('f', 2_000_000_000);
    expect(q.size).toBe(6);
    expect(drain(q)).toEqual(['f', 'b', 'e', 'a', 'c', 'd']);
    expect(q.size).toBe(0);
    expect(q.pop()).toBeUndefined();
  });

  it('keeps a re-added key in place, moves it when its priority changed, and forgets deleted keys', () => {
    const q = new PriorityQueue();
    for (const k of ['a', 'b', 'c']) q.add(k, 1);
    q.add('a', 1);
    q.add('c', 7);
    q.delete('b');
    q.delete('missing');
    expect(q.has('b')).toBe(false);
    expect(drain(q)).toEqual(['c', 'a']);
  });
});
