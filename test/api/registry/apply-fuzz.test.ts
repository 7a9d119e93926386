import { describe, expect, it } from 'vitest';
import { StatusError } from '../../../pkg/api/status.ts';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { resources } from '../../../pkg/api/resources/index.ts';
import { cluster } from './fixtures.ts';

// The real Deployment strategy (defaults, validation), not the fixture's.
const deployments = resources.find((d) => d.group === 'apps' && d.kind === 'Deployment')!;

/** A small deterministic PRNG (mulberry32), so a failure reproduces from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const base = (): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'app', image: 'a:1', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] }], volumes: [{ name: 'v', emptyDir: {} }] },
    },
  },
});

const oddValues: unknown[] = [null, 0, -1, 1.5, '', 'x', true, [], [null], [1, 1], {}, { name: 'app' }, [{ name: 'app' }, { name: 'app' }], [{}], { '': 1 }];

/** Replaces, deletes or duplicates one random node of `v` (in place). */
function mutate(v: Record<string, unknown> | unknown[], next: () => number): void {
  const keys = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  if (!keys.length) return;
  const k = keys[Math.floor(next() * keys.length)] as never;
  const child = (v as Record<string, unknown>)[k];
  const r = next();
  if (r < 0.5 && typeof child === 'object' && child !== null) return mutate(child as Record<string, unknown>, next);
  if (r < 0.65 && !Array.isArray(v)) delete (v as Record<string, unknown>)[k];
  else if (r < 0.75 && Array.isArray(v)) v.push(structuredClone(child));
  else (v as Record<string, unknown>)[k] = structuredClone(oddValues[Math.floor(next() * oddValues.length)]) as never;
}

describe('server-side apply with mutated configurations', () => {
  it('answers every one with a result or a 4xx Status, and leaves the object alone when it refuses', async () => {
    const c = await cluster({ defs: resources });
    const namespaces = resources.find((d) => d.group === '' && d.kind === 'Namespace')!;
    await c.create(namespaces, undefined, { metadata: { name: 'default' } });
    await c.patch(deployments, 'default', 'web', base(), { type: 'apply', fieldManager: 'owner' });
    const next = rng(20261122);
    const outcomes = { applied: 0, refused: new Map<number, number>() };
    for (let i = 0; i < 400; i++) {
      const body = base();
      for (let n = 1 + Math.floor(next() * 3); n > 0; n--) mutate(body as unknown as Record<string, unknown>, next);
      const before = JSON.stringify(await c.get(deployments, 'default', 'web'));
      const manager = next() < 0.5 ? 'owner' : 'other';
      try {
        await c.patch(deployments, 'default', 'web', body, { type: 'apply', fieldManager: manager, force: next() < 0.3, dryRun: next() < 0.5 });
        outcomes.applied++;
      } catch (err) {
        outcomes.refused.set((err as StatusError).code, (outcomes.refused.get((err as StatusError).code) ?? 0) + 1);
        expect(err, `case ${i}: ${JSON.stringify(body)}`).toBeInstanceOf(StatusError);
        expect((err as StatusError).code, `case ${i}: ${(err as Error).message}`).toBeLessThan(500);
        expect(JSON.stringify(await c.get(deployments, 'default', 'web'))).toBe(before);
      }
      // Put the object back for the next case.
      await c.patch(deployments, 'default', 'web', base(), { type: 'apply', fieldManager: 'owner', force: true }).catch(() => undefined);
    }
    // The mutations reach every stage: some apply, some conflict, some fail typing or validation.
    expect(outcomes.applied).toBeGreaterThan(40);
    expect([...outcomes.refused.keys()].sort()).toEqual([400, 409, 422]);
  });
});
