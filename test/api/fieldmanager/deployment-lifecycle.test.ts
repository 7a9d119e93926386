import { describe, expect, it } from 'vitest';
import { typeInfoFor, updateManagedFields, updateScaleManagedFields } from '../../../pkg/api/fieldmanager/index.ts';
import type { KObject, ManagedFieldsEntry } from '../../../pkg/api/types/index.ts';
import { at, clientSideApplyFields, createdDeployment, rolledOutStatus, statusFields } from './fixtures.ts';

const type = typeInfoFor({ group: 'apps', version: 'v1', kind: 'Deployment' });
const base = { apiVersion: 'apps/v1', type, hasStatusSubresource: true };

/** Exact wire form: same keys in the same order. */
const wire = (v: unknown) => JSON.stringify(v);

function create(): KObject {
  const obj = createdDeployment();
  obj.metadata.managedFields = updateManagedFields({ ...base, new: obj, manager: 'kubectl-client-side-apply', now: at(0) });
  return obj;
}

function scale(cur: KObject, replicas: number, manager = 'kubectl'): KObject {
  const next = structuredClone(cur);
  (next.spec as { replicas: number }).replicas = replicas;
  next.metadata.managedFields = updateScaleManagedFields({ old: cur, new: next, manager, apiVersion: 'apps/v1', specReplicasPath: '.spec.replicas' });
  return next;
}

function writeStatus(cur: KObject, status: unknown, now: Date): KObject {
  const next = { ...structuredClone(cur), status: structuredClone(status) };
  next.metadata.managedFields = updateManagedFields({ ...base, old: cur, new: next, manager: 'kube-controller-manager', subresource: 'status', now });
  return next;
}

describe('updateManagedFields (a Deployment from kubectl apply, scaled, rolled out)', () => {
  it('records the client-side-apply create as upstream does, defaults included', () => {
    const obj = create();
    expect(obj.metadata.managedFields).toEqual([
      { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', time: '2026-03-01T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: clientSideApplyFields },
    ]);
    expect(wire(obj.metadata.managedFields![0].fieldsV1)).toBe(wire(clientSideApplyFields));
    expect(wire(obj.metadata.managedFields![0])).toBe(
      wire({ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', time: '2026-03-01T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: clientSideApplyFields }),
    );
  });

  it('moves spec.replicas to a timeless kubectl scale entry, sorted first', () => {
    const scaled = scale(create(), 3);
    const withoutReplicas = structuredClone(clientSideApplyFields) as { 'f:spec': Record<string, unknown> };
    delete withoutReplicas['f:spec']['f:replicas'];
    expect(scaled.metadata.managedFields).toEqual([
      { manager: 'kubectl', operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } }, subresource: 'scale' },
      { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', time: '2026-03-01T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: withoutReplicas },
    ]);
    expect(wire(scaled.metadata.managedFields![1].fieldsV1)).toBe(wire(withoutReplicas));
  });

  it('keeps the entries when a scale does not change the count', () => {
    const cur = create();
    expect(scale(cur, 2).metadata.managedFields).toEqual(cur.metadata.managedFields);
  });

  it('lets a second scale by another manager take replicas from the first', () => {
    const twice = scale(scale(create(), 3), 5, 'horizontal-pod-autoscaler');
    const scaleEntries = twice.metadata.managedFields!.filter((e) => e.subresource === 'scale');
    expect(scaleEntries.map((e) => e.manager)).toEqual(['horizontal-pod-autoscaler']);
  });

  it('records the controller status write as a separate status entry', () => {
    const done = writeStatus(scale(create(), 3), rolledOutStatus, at(183));
    const entries = done.metadata.managedFields!;
    expect(entries.map((e) => [e.manager, e.subresource ?? '', e.time ?? ''])).toEqual([
      ['kubectl', 'scale', ''],
      ['kubectl-client-side-apply', '', '2026-03-01T10:00:00Z'],
      ['kube-controller-manager', 'status', '2026-03-01T10:03:03Z'],
    ]);
    expect(entries[2]).toEqual({ manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', time: '2026-03-01T10:03:03Z', fieldsType: 'FieldsV1', fieldsV1: statusFields, subresource: 'status' });
    expect(wire(entries[2].fieldsV1)).toBe(wire(statusFields));
  });

  it('updates the status entry in place: same entry, new fields merged, new time', () => {
    const first = writeStatus(create(), rolledOutStatus, at(183));
    const status = { ...structuredClone(rolledOutStatus), observedGeneration: 2, collisionCount: 1 };
    const second = writeStatus(first, status, at(300));
    const entry = second.metadata.managedFields!.find((e) => e.manager === 'kube-controller-manager')!;
    expect(second.metadata.managedFields).toHaveLength(2);
    expect(entry.time).toBe('2026-03-01T10:05:00Z');
    expect(Object.keys((entry.fieldsV1 as Record<string, Record<string, unknown>>)['f:status'])).toContain('f:collisionCount');
  });

  it('leaves every entry, time included, untouched by a write that changes nothing', () => {
    const first = writeStatus(create(), rolledOutStatus, at(183));
    expect(writeStatus(first, rolledOutStatus, at(999)).metadata.managedFields).toEqual(first.metadata.managedFields);
  });

  it('gives a later editor the changed image; the creator keeps the rest of the container', () => {
    const cur = create();
    const next = structuredClone(cur);
    const containers = ((next.spec as Record<string, any>).template.spec.containers) as Record<string, unknown>[];
    containers[0].image = 'nginx:1.28';
    const entries = updateManagedFields({ ...base, old: cur, new: next, manager: 'kubectl-edit', now: at(60) });
    const edit = entries.find((e) => e.manager === 'kubectl-edit')!;
    expect(edit.fieldsV1).toEqual({ 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { 'f:image': {} } } } } } });
    const creator = JSON.stringify(entries.find((e) => e.manager === 'kubectl-client-side-apply')!.fieldsV1);
    expect(creator).not.toContain('f:image"');
    expect(creator).toContain('f:imagePullPolicy');
  });

  it('owns nothing on the main resource when a main write carries status (reset field)', () => {
    const cur = create();
    const next = { ...structuredClone(cur), status: { replicas: 9 } };
    next.metadata.annotations = { ...next.metadata.annotations, note: 'x' };
    const entries: ManagedFieldsEntry[] = updateManagedFields({ ...base, old: cur, new: next, manager: 'kubectl-annotate', now: at(9) });
    expect(entries.find((e) => e.manager === 'kubectl-annotate')!.fieldsV1).toEqual({ 'f:metadata': { 'f:annotations': { 'f:note': {} } } });
  });
});
