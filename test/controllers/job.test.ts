import { afterEach, describe, expect, it } from 'vitest';
import { createInformer, inProcessClient, type Client, type Informer } from '../../pkg/api/client/index.ts';
import { createApiHandler } from '../../pkg/api/registry/index.ts';
import { resources } from '../../pkg/api/resources/index.ts';
import type { batch, core, KObject } from '../../pkg/api/types/index.ts';
import { controlLoops, garbageCollector, jobController } from '../../pkg/controllers/index.ts';
import { indexRanges } from '../../pkg/controllers/job.ts';
import { openStore } from '../../pkg/store/index.ts';
import { silentLogger, type Component } from '../../pkg/util/index.ts';

// Real registry and Job controller in process; a stand-in kubelet ends each pod as its image says
// ("ok" succeeds, "fail" fails, "hang" keeps running), as a node would report it.
type Pod = KObject & core.Pod;
type Job = KObject & batch.Job;
let loops: Component | undefined;
let kubelet: Informer<Pod> | undefined;
afterEach(async () => {
  await loops?.stop?.();
  await kubelet?.stop();
});

async function cluster(): Promise<Client> {
  const client = inProcessClient(createApiHandler({ store: await openStore('memory:'), resources }), resources);
  await client.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'default' } });
  loops = controlLoops(() => client, [jobController, garbageCollector], silentLogger);
  await loops.start(new AbortController().signal);
  kubelet = createInformer(client.resource<Pod>('v1', 'pods'));
  const act = (p: Pod) => {
    if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed' || p.metadata.deletionTimestamp) return;
    const image = p.spec?.containers[0]?.image;
    const phase = image === 'ok' ? 'Succeeded' : image === 'fail' ? 'Failed' : 'Running';
    if (p.status?.phase === phase) return;
    void client.resource('v1', 'pods').patch('default', p.metadata.name!, 'merge', { status: { phase } }, { subresource: 'status' }).catch(() => undefined);
  };
  kubelet.onAdd(act);
  kubelet.onUpdate((_o, p) => act(p));
  kubelet.start();
  return client;
}

const job = (name: string, image: string, spec: Partial<batch.JobSpec> = {}): KObject => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image }] } }, ...spec },
});
async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${what}: timed out; last ${JSON.stringify(await fn()).slice(0, 800)}`);
}
const getJob = (c: Client, n: string) => c.resource<Job>('batch/v1', 'jobs').get('default', n);
const condition = (j: Job, type: string) => j.status?.conditions?.find((x) => x.type === type && x.status === 'True');
const podsOf = async (c: Client, n: string) => (await c.resource<Pod>('v1', 'pods').list('default', { labelSelector: `job-name=${n}` })).items;

describe('Job controller', () => {
  it('runs completions with parallelism and completes', async () => {
    const c = await cluster();
    await c.resource('batch/v1', 'jobs').create('default', job('batchy', 'ok', { completions: 5, parallelism: 2 }));
    const j = await until('complete', () => getJob(c, 'batchy'), (x) => !!condition(x, 'Complete'));
    expect(j.status).toMatchObject({ succeeded: 5, failed: 0, active: 0 });
    expect(condition(j, 'SuccessCriteriaMet')?.reason).toBe('CompletionsReached');
    expect(j.status?.completionTime).toBeTruthy();
    expect(await podsOf(c, 'batchy')).toHaveLength(5);
  });

  it('fails after backoffLimit failed pods', async () => {
    const c = await cluster();
    await c.resource('batch/v1', 'jobs').create('default', job('doomed', 'fail', { backoffLimit: 2 }));
    const j = await until('failed', () => getJob(c, 'doomed'), (x) => !!condition(x, 'Failed'));
    expect(condition(j, 'Failed')).toMatchObject({ reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(j.status?.failed).toBe(3);
  });

  it('gives Indexed pods their index and reports completedIndexes', async () => {
    const c = await cluster();
    await c.resource('batch/v1', 'jobs').create('default', job('idx', 'ok', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    const j = await until('complete', () => getJob(c, 'idx'), (x) => !!condition(x, 'Complete'));
    expect(j.status?.completedIndexes).toBe('0-2');
    const pods = await podsOf(c, 'idx');
    expect(pods.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).sort()).toEqual(['0', '1', '2']);
    expect(pods[0]!.spec?.containers[0]?.env?.find((e) => e.name === 'JOB_COMPLETION_INDEX')).toBeTruthy();
    expect(pods.map((p) => p.metadata.name!.replace(/-[a-z0-9]{5}$/, '')).sort()).toEqual(['idx-0', 'idx-1', 'idx-2']);
  });

  it('enforces activeDeadlineSeconds, and removes finished Jobs after ttlSecondsAfterFinished', async () => {
    const c = await cluster();
    await c.resource('batch/v1', 'jobs').create('default', job('slow', 'hang', { activeDeadlineSeconds: 1 }));
    const j = await until('deadline', () => getJob(c, 'slow'), (x) => !!condition(x, 'Failed'));
    expect(condition(j, 'Failed')?.reason).toBe('DeadlineExceeded');
    await until('active pod removed', () => podsOf(c, 'slow'), (p) => p.every((x) => !!x.metadata.deletionTimestamp) || p.length === 0);
    await c.resource('batch/v1', 'jobs').create('default', job('brief', 'ok', { ttlSecondsAfterFinished: 0 }));
    await until('job removed', () => c.resource('batch/v1', 'jobs').list('default'), (l) => !l.items.some((x) => x.metadata.name === 'brief'));
  });

  it('writes completedIndexes ranges as upstream', () => {
    expect(indexRanges([0, 1, 2, 4, 6, 7])).toBe('0-2,4,6-7');
    expect(indexRanges([])).toBe('');
  });
});
