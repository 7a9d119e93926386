import { describe, expect, it } from 'vitest';
import { applyManagedFields, appliedConfigErrors, formatTypedErrors, mergeApplied, typeInfoFor, updateManagedFields, type ApplyInput } from '../../../pkg/api/fieldmanager/index.ts';
import { StatusError } from '../../../pkg/api/status.ts';
import type { KObject, ManagedFieldsEntry } from '../../../pkg/api/types/index.ts';
import { createdDeployment, lastApplied } from './fixtures.ts';

const deploymentType = typeInfoFor({ group: 'apps', version: 'v1', kind: 'Deployment' });
const t0 = new Date('2026-03-01T10:00:00Z');
const t1 = new Date('2026-03-01T11:00:00Z');

function config(spec: Record<string, unknown>, labels: Record<string, string> | null = { app: 'web' }): KObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', ...(labels ? { labels } : {}) }, spec };
}

const container = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: `${name}:1`, ...extra });
const template = (containers: unknown[]) => ({ metadata: { labels: { app: 'web' } }, spec: { containers } });
const baseSpec = (extra: Record<string, unknown> = {}) => ({ selector: { matchLabels: { app: 'web' } }, template: template([container('app')]), ...extra });

const run = (over: Partial<ApplyInput> & Pick<ApplyInput, 'applied'>): KObject =>
  applyManagedFields({ manager: 'alice', apiVersion: 'apps/v1', force: false, hasStatusSubresource: true, now: t0, type: deploymentType, ...over });

const entry = (obj: KObject, manager: string): ManagedFieldsEntry | undefined => obj.metadata.managedFields?.find((e) => e.manager === manager);

function conflictOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected a conflict');
}

describe('applyManagedFields', () => {
  it('records an Apply entry owning exactly the applied fields on create', () => {
    const created = run({ applied: config(baseSpec({ replicas: 2 })) });
    expect(created.spec).toEqual(baseSpec({ replicas: 2 }));
    expect(created.metadata.managedFields).toEqual([
      {
        manager: 'alice',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2026-03-01T10:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
            },
          },
        },
      },
    ]);
  });

  it('merges list maps by key and keeps items only the live object has', () => {
    const live = run({ applied: config(baseSpec({ template: template([container('app'), container('side')]) })) });
    const bob = run({ live, manager: 'bob', applied: config({ template: template([container('app', { args: ['-v'] }), container('third')]) }), now: t1 });
    const names = (bob.spec as { template: { spec: { containers: Array<{ name: string; image: string }> } } }).template.spec.containers;
    expect(names).toEqual([
      { name: 'app', image: 'app:1', args: ['-v'] },
      { name: 'side', image: 'side:1' },
      { name: 'third', image: 'third:1' },
    ]);
    // Changing a value alice applied is a conflict, even inside a list item.
    expect(conflictOf(() => run({ live, manager: 'bob', applied: config({ template: template([container('app', { image: 'app:2' })]) }), now: t1 })).message).toBe(
      'Apply failed with 1 conflict: conflict with "alice": .spec.template.spec.containers[name="app"].image',
    );
  });

  it('answers 409 with upstream wording when another manager owns a changed field, and force takes it', () => {
    const live = run({ applied: config(baseSpec({ replicas: 2 })) });
    const err = conflictOf(() => run({ live, manager: 'bob', applied: config({ replicas: 3 }, null), now: t1 }));
    expect(err.code).toBe(409);
    expect(err.reason).toBe('Conflict');
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "alice": .spec.replicas');
    expect(err.status.details?.causes).toEqual([{ reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.spec.replicas' }]);

    const forced = run({ live, manager: 'bob', applied: config({ replicas: 3 }, null), force: true, now: t1 });
    expect((forced.spec as { replicas: number }).replicas).toBe(3);
    expect(entry(forced, 'bob')?.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(JSON.stringify(entry(forced, 'alice')?.fieldsV1)).not.toContain('f:replicas');
  });

  it('applying the same value is shared ownership, not a conflict', () => {
    const live = run({ applied: config(baseSpec({ replicas: 2 })) });
    const shared = run({ live, manager: 'bob', applied: config({ replicas: 2 }, null), now: t1 });
    expect(entry(shared, 'bob')?.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(entry(shared, 'alice')?.fieldsV1).toHaveProperty(['f:spec', 'f:replicas']);
    // The object did not change, so bob's entry has no time yet (as upstream).
    expect(entry(shared, 'bob')?.time).toBeUndefined();
  });

  it('lists several conflicts grouped by manager, Update managers with their version', () => {
    const created = createdDeployment();
    created.metadata.managedFields = updateManagedFields({ new: created, manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', now: t0, type: deploymentType, hasStatusSubresource: true });
    const err = conflictOf(() =>
      run({ live: created, manager: 'ci', applied: config({ replicas: 5, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:2' }] } } }, { app: 'nginx' }), now: t1 }),
    );
    expect(err.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image',
    );
    expect(err.status.details?.causes?.map((c) => c.field)).toEqual(['.spec.replicas', '.spec.template.spec.containers[name="nginx"].image']);
  });

  it('removes fields the manager stopped applying unless another manager owns them', () => {
    const live = run({ applied: config(baseSpec({ replicas: 2, minReadySeconds: 5, template: template([container('app', { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] })]) })) });
    const shared = run({ live, manager: 'bob', applied: config({ minReadySeconds: 5 }, null), now: t1 });
    const next = run({ live: shared, applied: config(baseSpec({ template: template([container('app', { env: [{ name: 'B', value: '2' }] })]) })), now: t1 });
    const spec = next.spec as Record<string, unknown> & { template: { spec: { containers: Array<{ env: unknown }> } } };
    expect(spec.replicas).toBeUndefined();
    expect(spec.minReadySeconds).toBe(5);
    expect(spec.template.spec.containers[0].env).toEqual([{ name: 'B', value: '2' }]);
    expect(JSON.stringify(entry(next, 'alice')?.fieldsV1)).not.toContain('replicas');
  });

  it('never removes fields it did not apply before (set by an Update)', () => {
    const live = run({ applied: config(baseSpec()) });
    const updated = structuredClone(live);
    (updated.spec as Record<string, unknown>).paused = true;
    updated.metadata.managedFields = updateManagedFields({ old: live, new: updated, manager: 'kubectl-edit', apiVersion: 'apps/v1', now: t1, type: deploymentType, hasStatusSubresource: true });
    const next = run({ live: updated, applied: config(baseSpec()), now: t1 });
    expect((next.spec as { paused?: boolean }).paused).toBe(true);
  });

  it('an Update after an Apply moves changed fields from the applier to the updater', () => {
    const live = run({ applied: config(baseSpec({ replicas: 2 })) });
    const scaled = structuredClone(live);
    (scaled.spec as Record<string, unknown>).replicas = 4;
    scaled.metadata.managedFields = updateManagedFields({ old: live, new: scaled, manager: 'kubectl-scale', apiVersion: 'apps/v1', now: t1, type: deploymentType, hasStatusSubresource: true });
    expect(JSON.stringify(entry(scaled, 'alice')?.fieldsV1)).not.toContain('replicas');
    expect(entry(scaled, 'kubectl-scale')).toMatchObject({ operation: 'Update', fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
    // Re-applying the old value now conflicts with the updater.
    expect(conflictOf(() => run({ live: scaled, applied: config(baseSpec({ replicas: 2 })), now: t1 })).message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas',
    );
  });

  it('lets kubectl take over fields client-side apply set when they still match last-applied', () => {
    const created = createdDeployment();
    created.metadata.managedFields = updateManagedFields({ new: created, manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', now: t0, type: deploymentType, hasStatusSubresource: true });
    const manifest = JSON.parse(lastApplied) as KObject;
    (manifest.spec as Record<string, unknown>).replicas = 3;
    const upgraded = run({ live: created, manager: 'kubectl', applied: manifest, now: t1 });
    expect(entry(upgraded, 'kubectl')?.operation).toBe('Apply');
    expect((upgraded.spec as { replicas: number }).replicas).toBe(3);
    expect(JSON.stringify(entry(upgraded, 'kubectl-client-side-apply')?.fieldsV1)).not.toContain('f:replicas');
    // kubectl keeps the annotation in step (keys sorted, trailing newline, annotation itself left out).
    expect(upgraded.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBe(
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"labels":{"app":"nginx"},"name":"nginx","namespace":"default"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"nginx"}},"template":{"metadata":{"labels":{"app":"nginx"}},"spec":{"containers":[{"image":"nginx:1.27","name":"nginx","ports":[{"containerPort":80}]}]}}}}\n',
    );
    // A value that drifted from last-applied still conflicts, and another manager name never upgrades.
    const drifted = structuredClone(created);
    (drifted.spec as Record<string, unknown>).replicas = 7;
    expect(conflictOf(() => run({ live: drifted, manager: 'kubectl', applied: manifest, now: t1 })).message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    );
    expect(conflictOf(() => run({ live: created, manager: 'other', applied: { ...manifest, spec: { replicas: 3 } }, now: t1 })).code).toBe(409);
  });

  it('gives an untracked object a before-first-apply owner first', () => {
    const untracked = createdDeployment();
    const err = conflictOf(() => run({ live: untracked, applied: config({ replicas: 9 }, null), now: t1 }));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
  });

  it('ports are keyed with their defaulted protocol', () => {
    const live = createdDeployment();
    live.metadata.managedFields = updateManagedFields({ new: live, manager: 'kubectl-create', apiVersion: 'apps/v1', now: t0, type: deploymentType, hasStatusSubresource: true });
    const next = run({ live, manager: 'kubectl', applied: JSON.parse(lastApplied) as KObject, force: true, now: t1 });
    const ports = (next.spec as { template: { spec: { containers: Array<{ ports: unknown[] }> } } }).template.spec.containers[0].ports;
    expect(ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect(JSON.stringify(entry(next, 'kubectl')?.fieldsV1)).toContain('"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}"');
  });
});

describe('mergeApplied', () => {
  it('orders shared list items as the configuration does and keeps live-only items in place', () => {
    const live = { spec: { template: template([container('a'), container('x'), container('b'), container('c')]) } };
    const cfg = { spec: { template: template([container('c'), container('new'), container('a')]) } };
    const merged = mergeApplied(live, cfg, deploymentType) as typeof live;
    expect(merged.spec.template.spec.containers.map((c) => (c as { name: string }).name)).toEqual(['x', 'b', 'c', 'new', 'a']);
  });
});

describe('appliedConfigErrors', () => {
  it('words unknown fields and bad list maps as structured-merge-diff does', () => {
    const errs = appliedConfigErrors(config({ foo: 1, template: template([{ image: 'x' }, container('a'), container('a')]) }), deploymentType);
    expect(errs).toEqual([
      '.spec.foo: field not declared in schema',
      '.spec.template.spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
      '.spec.template.spec.containers: duplicate entries for key [name="a"]',
    ]);
    expect(formatTypedErrors(errs.slice(0, 1))).toBe('.spec.foo: field not declared in schema');
    expect(formatTypedErrors(errs.slice(0, 2))).toMatch(/^errors:\n {2}\.spec\.foo/);
  });
});
