import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resources } from '../../pkg/api/resources/index.ts';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';
import { apiClient, type ApiClient, type RawReply } from './fuzz/client.ts';
import { Random } from '../helpers/random.ts';
import { generate, seedNames, type FuzzRequest, type Targets } from './fuzz/requests.ts';
import { fuzzNamespace, hasSeed, seedObject, writable } from './fuzz/seeds.ts';
import { collectionKey, comparable, listPath, snapshot, storageKey, type Snapshot } from './fuzz/snapshot.ts';

/**
 * 10 000 random and mutated requests (JSON, YAML and protobuf bodies; merge, strategic, JSON and
 * apply patches; subresources; odd queries, media types and paths) against the built server, from
 * a fixed seed. Every answer must be a Kubernetes Status or object, never a 5xx or a dropped
 * connection, and the store must hold only what accepted requests (and the controllers acting on
 * them) put there: rejected and dry-run requests change nothing.
 */
const SEED = Number(process.env.SKIFF_FUZZ_SEED ?? 20261207);
const COUNT = Number(process.env.SKIFF_FUZZ_COUNT ?? 10_000);
const CONCURRENCY = 6;

let s: TestServer;
let client: ApiClient;
beforeAll(async () => {
  if (!apiServed) return;
  s = await startServer();
  client = apiClient(s.kubeconfig);
});
afterAll(async () => {
  client?.close();
  await s?.stop();
});

interface Touched {
  keys: Set<string>;
  collections: Set<string>;
  namespaces: Set<string>;
}

const defs = resources.filter((d) => d.kind !== 'CustomResourceDefinition' || d.group === 'apiextensions.k8s.io');

async function createSeeds(): Promise<Targets> {
  await client.json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: fuzzNamespace } });
  const seeds = new Map<string, string[]>();
  for (const def of defs.filter((d) => writable(d) && hasSeed(d) && d.kind !== 'CustomResourceDefinition')) {
    const key = `${def.group}/${def.plural}`;
    const names = seedNames(def);
    for (const name of names) {
      const path = `${listPath(def).replace(`/${def.plural}`, def.namespaced ? `/namespaces/${fuzzNamespace}/${def.plural}` : `/${def.plural}`)}`;
      const r = await client.send('POST', path, { 'Content-Type': 'application/json' }, Buffer.from(JSON.stringify(seedObject(def, name))));
      // HPA v1 and v2 share storage: the second version's seeds already exist.
      if (r.status !== 201 && r.status !== 409) throw new Error(`seed ${def.plural}/${name}: ${r.status} ${r.body}`);
    }
    seeds.set(key, names);
  }
  return { defs, seeds };
}

/** Snapshots until two in a row agree (controllers done reacting to the seeds), at most 20 s. */
async function settled(): Promise<Snapshot> {
  let prev = await snapshot(client, defs);
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const next = await snapshot(client, defs);
    if (next.size === prev.size && [...next].every(([k, v]) => prev.has(k) && comparable(prev.get(k)!) === comparable(v))) return next;
    prev = next;
  }
  return prev;
}

/** What an answer must look like whatever the request: no 5xx; errors are Status objects of their code. */
function problemWith(req: FuzzRequest, r: RawReply): string | undefined {
  if (r.status >= 500 || r.status < 100) return `${r.status}`;
  if (req.method === 'HEAD' || r.status < 400) return undefined;
  if (!r.contentType.startsWith('application/json')) return `${r.status} answered as ${r.contentType}`;
  try {
    const st = JSON.parse(r.body.toString());
    if (st.kind !== 'Status' || st.code !== r.status || typeof st.message !== 'string') return `${r.status} body is not a Status of that code`;
  } catch {
    return `${r.status} body is not JSON`;
  }
  return undefined;
}

/** Records what an accepted (2xx, not dry-run) request may have changed. */
function record(req: FuzzRequest, r: RawReply, touched: Touched): void {
  if (r.status >= 300 || req.dryRun || !req.def) return;
  const def = req.def;
  if (req.op === 'deletecollection') touched.collections.add(collectionKey(def, req.namespace));
  if (req.name) touched.keys.add(storageKey(def, req.namespace, req.name));
  if (req.op === 'create' && !req.subresource) {
    try {
      const obj = JSON.parse(r.body.toString());
      touched.keys.add(storageKey(def, obj.metadata?.namespace, obj.metadata?.name));
      if (def.kind === 'Namespace') touched.namespaces.add(obj.metadata?.name);
    } catch { /* the answer's shape is judged by problemWith */ }
  }
  if (def.kind === 'Namespace' && req.name) touched.namespaces.add(req.name);
}

/** Every difference between the snapshots that no accepted request explains. */
function unexplained(before: Snapshot, after: Snapshot, touched: Touched): string[] {
  const out: string[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const [group, resource, ns] = key.split('/');
    if (touched.keys.has(key) || touched.collections.has(`${group}/${resource}/${ns}/`) || touched.namespaces.has(ns)) continue;
    const a = before.get(key);
    const b = after.get(key);
    // Made and removed by controllers (ReplicaSets of Deployments, pods, slices…): follow their owners.
    if (a?.metadata.ownerReferences?.length || b?.metadata.ownerReferences?.length) continue;
    if (group === 'core' && resource === 'namespaces' && touched.namespaces.has(key.split('/').pop()!)) continue;
    if (!a) out.push(`${key} appeared`);
    else if (!b) out.push(`${key} disappeared`);
    else if (comparable(a) !== comparable(b)) out.push(`${key} changed:\n  before ${comparable(a)}\n  after  ${comparable(b)}`);
  }
  return out;
}

describe.skipIf(!apiServed)(`API fuzz${untilServed}`, () => {
  it(`survives ${COUNT} random and mutated requests (seed ${SEED}) with no 5xx and no stray writes`, async () => {
    const targets = await createSeeds();
    const before = await settled();
    const rnd = new Random(SEED);
    const requests = Array.from({ length: COUNT }, (_, i) => generate(rnd, targets, i));
    const touched: Touched = { keys: new Set(), collections: new Set(), namespaces: new Set() };
    const problems: string[] = [];
    const byStatus = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const req = requests[next++];
        let r: RawReply;
        try {
          r = await client.send(req.method, req.path, req.headers, req.body);
        } catch (err) {
          problems.push(`${req.method} ${req.path.slice(0, 200)}: ${(err as Error).message}`);
          continue;
        }
        byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
        const p = problemWith(req, r);
        if (p) problems.push(`${req.method} ${req.path.slice(0, 200)} [${req.headers['Content-Type'] ?? ''}] → ${p}: ${r.body.toString().slice(0, 300)}`);
        record(req, r, touched);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    console.log(`fuzz seed ${SEED}: answers by status ${JSON.stringify(Object.fromEntries([...byStatus].sort((a, b) => a[0] - b[0])))}`);

    if (problems.length) console.log(`server log tail:\n${s.logs().split('\n').filter((l) => !l.includes('"level":"debug"')).slice(-40).join('\n')}`);
    expect(problems.slice(0, 20)).toEqual([]);
    expect((await client.send('GET', '/readyz')).status).toBe(200);
    // Accepted requests happened (the fuzz is not all noise) and so did every kind of refusal.
    expect([...byStatus.keys()].filter((c) => c < 300).length).toBeGreaterThan(0);
    for (const code of [400, 404, 409, 415, 422]) expect(byStatus.get(code) ?? 0, `answers with ${code}`).toBeGreaterThan(0);

    await new Promise((r) => setTimeout(r, 1000));
    const after = await snapshot(client, defs);
    console.log(`fuzz store: ${before.size} objects before, ${after.size} after, ${touched.keys.size} touched by accepted requests`);
    expect(unexplained(before, after, touched)).toEqual([]);
  }, 180_000);
});
