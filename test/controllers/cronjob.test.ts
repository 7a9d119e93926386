import { afterEach, describe, expect, it } from 'vitest';
import { inProcessClient, type Client } from '../../pkg/api/client/index.ts';
import { createApiHandler } from '../../pkg/api/registry/index.ts';
import { resources } from '../../pkg/api/resources/index.ts';
import type { batch, KObject } from '../../pkg/api/types/index.ts';
import { lastFiring, nextFiring, parseSchedule } from '../../pkg/controllers/cron-schedule.ts';
import { controlLoops, cronJobController } from '../../pkg/controllers/index.ts';
import { openStore } from '../../pkg/store/index.ts';
import { silentLogger, type Component } from '../../pkg/util/index.ts';

const at = (s: string) => Date.parse(s);

describe('cron schedules', () => {
  it('finds the latest and next firing, with steps, lists, names and day rules', () => {
    const every5 = parseSchedule('*/5 * * * *')!;
    expect(lastFiring(every5, at('2026-01-01T00:00:00Z'), at('2026-01-01T00:07:30Z'))).toBe(at('2026-01-01T00:05:00Z'));
    expect(nextFiring(every5, at('2026-01-01T00:07:30Z'))).toBe(at('2026-01-01T00:10:00Z'));
    const weekdays = parseSchedule('30 9 * * mon-fri')!;
    expect(nextFiring(weekdays, at('2026-01-02T10:00:00Z'))).toBe(at('2026-01-05T09:30:00Z')); // Fri → Mon
    const either = parseSchedule('0 0 13 * 5')!; // the 13th, or any Friday
    expect(nextFiring(either, at('2026-01-01T00:00:00Z'))).toBe(at('2026-01-02T00:00:00Z'));
    expect(nextFiring(parseSchedule('@monthly')!, at('2026-01-15T00:00:00Z'))).toBe(at('2026-02-01T00:00:00Z'));
    expect(lastFiring(every5, at('2026-01-01T00:05:00Z'), at('2026-01-01T00:07:00Z'))).toBeUndefined();
  });

  it('evaluates in the time zone given', () => {
    const tokyo = parseSchedule('0 9 * * *', 'Asia/Tokyo')!;
    expect(nextFiring(tokyo, at('2026-01-01T01:00:00Z'))).toBe(at('2026-01-02T00:00:00Z'));
    expect(nextFiring(parseSchedule('TZ=Asia/Tokyo 0 9 * * *')!, at('2026-01-01T01:00:00Z'))).toBe(at('2026-01-02T00:00:00Z'));
  });
});

let loops: Component | undefined;
afterEach(async () => loops?.stop?.());
let clock = at('2026-01-01T00:00:00Z');

async function cluster(): Promise<Client> {
  const client = inProcessClient(createApiHandler({ store: await openStore('memory:'), resources, clock: () => new Date(clock) }), resources);
  await client.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'default' } });
  loops = controlLoops(() => client, [(c, inf, l) => cronJobController(c, inf, l, () => clock)], silentLogger);
  await loops.start(new AbortController().signal);
  return client;
}
const cron = (name: string, spec: Partial<batch.CronJobSpec>): KObject => ({
  apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'default' },
  spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i' }] } } } }, ...spec },
});
async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${what}: timed out; last ${JSON.stringify(await fn()).slice(0, 500)}`);
}
const jobNames = async (c: Client) => (await c.resource('batch/v1', 'jobs').list('default')).items.filter((j) => !j.metadata.deletionTimestamp).map((j) => j.metadata.name!).sort();
const complete = (c: Client, name: string) => c.resource('batch/v1', 'jobs').patch('default', name, 'merge', { status: { completionTime: new Date(clock).toISOString().replace(/\.\d{3}Z$/, 'Z'), conditions: [{ type: 'Complete', status: 'True' }] } }, { subresource: 'status' });
const poke = (c: Client, name: string) => c.resource('batch/v1', 'cronjobs').patch('default', name, 'merge', { metadata: { annotations: { poke: String(clock) } } });

describe('CronJob controller', () => {
  it('creates a Job per scheduled time, named after it, and keeps three successful ones', async () => {
    clock = at('2026-01-01T00:00:00Z');
    const c = await cluster();
    await c.resource('batch/v1', 'cronjobs').create('default', cron('tick', {}));
    const minutes = (iso: string) => String(Math.floor(at(iso) / 60_000));
    for (const [i, t] of ['00:05', '00:10', '00:15', '00:20', '00:25'].entries()) {
      clock = at(`2026-01-01T${t}:30Z`);
      await poke(c, 'tick');
      const name = `tick-${minutes(`2026-01-01T${t}:00Z`)}`;
      await until(`job ${name}`, () => jobNames(c), (n) => n.includes(name));
      await complete(c, name);
      if (i >= 3) await until('history kept at 3', () => jobNames(c), (n) => n.length === 3);
    }
    const cj = await until('status', () => c.resource('batch/v1', 'cronjobs').get('default', 'tick'), (x) => (x.status as { lastScheduleTime?: string })?.lastScheduleTime === '2026-01-01T00:25:00Z');
    expect((cj.status as { lastSuccessfulTime?: string }).lastSuccessfulTime).toBeTruthy();
    const job = await c.resource<KObject & batch.Job>('batch/v1', 'jobs').get('default', `tick-${minutes('2026-01-01T00:25:00Z')}`);
    expect(job.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'tick', controller: true });
    expect(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('2026-01-01T00:25:00Z');
  });

  it('Forbid skips while a Job runs; suspend stops new ones', async () => {
    clock = at('2026-01-01T00:00:00Z');
    const c = await cluster();
    await c.resource('batch/v1', 'cronjobs').create('default', cron('solo', { concurrencyPolicy: 'Forbid' }));
    clock = at('2026-01-01T00:05:10Z');
    await poke(c, 'solo');
    await until('first', () => jobNames(c), (n) => n.length === 1);
    clock = at('2026-01-01T00:10:10Z');
    await poke(c, 'solo');
    await new Promise((r) => setTimeout(r, 100));
    expect(await jobNames(c)).toHaveLength(1);
    await c.resource('batch/v1', 'cronjobs').patch('default', 'solo', 'merge', { spec: { suspend: true } });
    await complete(c, (await jobNames(c))[0]!);
    clock = at('2026-01-01T00:15:10Z');
    await poke(c, 'solo');
    await new Promise((r) => setTimeout(r, 100));
    expect(await jobNames(c)).toHaveLength(1);
  });
});
