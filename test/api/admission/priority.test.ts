import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { api, podWith, refusal } from './fixtures.ts';

type Pod = KObject & { spec: { priority?: number; priorityClassName?: string; preemptionPolicy?: string } };
const pc = (name: string, value: number, extra: Record<string, unknown> = {}) => ({ metadata: { name }, value, ...extra } as KObject);
const classes = (c: Awaited<ReturnType<typeof api>>) => c.resource('scheduling.k8s.io/v1', 'priorityclasses');
const withClass = (name: string, spec: Record<string, unknown>) => {
  const p = podWith(name, {});
  Object.assign(p.spec as object, spec);
  return p;
};

describe('PriorityClass and the Priority admission plugin', () => {
  it('resolves a pod\'s priority and preemption policy from its class, and refuses unknown classes', async () => {
    const c = await api();
    const high = await classes(c).create(undefined, pc('high', 1000, { preemptionPolicy: 'Never' }));
    expect(high).toMatchObject({ value: 1000, preemptionPolicy: 'Never' });
    expect(await classes(c).create(undefined, pc('low', 10))).toMatchObject({ preemptionPolicy: 'PreemptLowerPriority' });
    const pods = c.resource('v1', 'pods');
    const p = await pods.create('default', withClass('p', { priorityClassName: 'high' })) as Pod;
    expect(p.spec).toMatchObject({ priority: 1000, priorityClassName: 'high', preemptionPolicy: 'Never' });
    const plain = await pods.create('default', podWith('plain', {})) as Pod;
    expect(plain.spec.priority).toBe(0);
    expect(plain.spec.priorityClassName).toBeUndefined();
    expect(await refusal(pods.create('default', withClass('x', { priorityClassName: 'nope' })))).toEqual([403, 'pods "x" is forbidden: no PriorityClass with name nope was found']);
    expect(await refusal(pods.create('default', withClass('y', { priorityClassName: 'low', priority: 5 }))))
      .toEqual([403, 'pods "y" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 10 from the given PriorityClass name']);
    // An update keeps the resolved priority.
    const updated = await pods.update('default', { ...p, metadata: { ...p.metadata, labels: { a: 'b' } }, spec: { ...p.spec, priority: undefined } } as KObject) as Pod;
    expect(updated.spec.priority).toBe(1000);
  });

  it('gives pods without a class the one global default, of which there is only one', async () => {
    const c = await api();
    await classes(c).create(undefined, pc('normal', 100, { globalDefault: true }));
    expect(await refusal(classes(c).create(undefined, pc('other', 50, { globalDefault: true }))))
      .toEqual([403, 'priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass normal is already marked as default. Only one default can exist']);
    const p = await c.resource('v1', 'pods').create('default', podWith('p', {})) as Pod;
    expect(p.spec).toMatchObject({ priority: 100, priorityClassName: 'normal' });
  });

  it('validates classes as upstream: reserved names, the user ceiling, immutable value and policy', async () => {
    const c = await api();
    const [code, message] = await refusal(classes(c).create(undefined, pc('system-mine', 5)));
    expect(code).toBe(422);
    expect(message).toContain("metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class");
    expect((await refusal(classes(c).create(undefined, pc('huge', 1_000_000_001))))[1]).toContain('value: Forbidden: maximum allowed value of a user defined priority is 1000000000');
    expect((await refusal(classes(c).create(undefined, pc('odd', 1, { preemptionPolicy: 'Sometimes' }))))[1]).toContain('preemptionPolicy: Unsupported value: "Sometimes"');
    expect(await classes(c).create(undefined, pc('system-cluster-critical', 2_000_000_000))).toMatchObject({ value: 2_000_000_000 });
    const made = await classes(c).create(undefined, pc('fixed', 7));
    expect((await refusal(classes(c).update(undefined, { ...made, value: 8 } as KObject)))[1]).toContain('value: Forbidden: may not be changed in an update.');
  });
});
