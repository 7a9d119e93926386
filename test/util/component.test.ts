import { describe, expect, it } from 'vitest';
import { runComponents, silentLogger, type Component } from '../../pkg/util/index.ts';

function recorder(log: string[], name: string, failStart = false): Component {
  return {
    name,
    async start() {
      if (failStart) throw new Error(`${name} cannot start`);
      log.push(`start ${name}`);
    },
    async stop() {
      log.push(`stop ${name}`);
    },
  };
}

describe('runComponents', () => {
  it('starts in order, runs until the signal aborts, and stops in reverse', async () => {
    const log: string[] = [];
    const ac = new AbortController();
    const done = runComponents([recorder(log, 'a'), recorder(log, 'b'), recorder(log, 'c')], ac.signal, silentLogger);
    await new Promise((r) => setTimeout(r, 20));
    expect(log).toEqual(['start a', 'start b', 'start c']);
    ac.abort();
    await done;
    expect(log).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
  });

  it('stops what started when a later component fails, and rethrows', async () => {
    const log: string[] = [];
    const run = runComponents([recorder(log, 'a'), recorder(log, 'b', true), recorder(log, 'c')], new AbortController().signal, silentLogger);
    await expect(run).rejects.toThrow('b cannot start');
    expect(log).toEqual(['start a', 'stop a']);
  });

  it('starts nothing more once the signal has aborted', async () => {
    const log: string[] = [];
    const ac = new AbortController();
    const done = runComponents([recorder(log, 'a'), recorder(log, 'b')], ac.signal, silentLogger);
    ac.abort(); // while a is starting
    await done;
    expect(log).toEqual(['start a', 'stop a']);
  });

  it('keeps stopping the others when one fails to stop', async () => {
    const log: string[] = [];
    const ac = new AbortController();
    const bad: Component = { name: 'bad', start: async () => {}, stop: async () => { throw new Error('stuck'); } };
    const done = runComponents([recorder(log, 'a'), bad, recorder(log, 'c')], ac.signal, silentLogger);
    await new Promise((r) => setTimeout(r, 20));
    ac.abort();
    await done;
    expect(log).toEqual(['start a', 'start c', 'stop c', 'stop a']);
  });
});
