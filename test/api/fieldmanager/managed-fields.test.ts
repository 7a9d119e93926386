import { describe, expect, it } from 'vitest';
import { setManagedFields, typeInfoFor, updateManagedFields, type ManagedFieldsUpdate } from '../../../pkg/api/fieldmanager/index.ts';
import type { KObject, ManagedFieldsEntry } from '../../../pkg/api/types/index.ts';
import { at } from './fixtures.ts';

const type = typeInfoFor({ group: '', version: 'v1', kind: 'ConfigMap' });

const cm = (data: Record<string, string>, managedFields?: ManagedFieldsEntry[]): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c', namespace: 'default', uid: 'u-1', ...(managedFields ? { managedFields } : {}) },
  data,
});

const write = (u: Partial<ManagedFieldsUpdate> & Pick<ManagedFieldsUpdate, 'new' | 'manager'>) => updateManagedFields({ apiVersion: 'v1', now: at(0), type, ...u });

const created = () => {
  const obj = cm({ a: '1' });
  setManagedFields(obj, write({ new: obj, manager: 'kubectl-create' }));
  return obj;
};

const summary = (entries: ManagedFieldsEntry[]) => entries.map((e) => `${e.manager}:${Object.keys((e.fieldsV1 as Record<string, object>)['f:data'] ?? {}).join(',')}`);

describe('updateManagedFields', () => {
  it('creates the first entry without name, namespace or uid', () => {
    expect(created().metadata.managedFields).toEqual([
      { manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', time: '2026-03-01T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { '.': {}, 'f:a': {} } } },
    ]);
  });

  it('keeps the stored entries when the body has none, and takes them from the body when it has', () => {
    const cur = created();
    const put = cm({ a: '1', b: '2' });
    expect(summary(write({ old: cur, new: put, manager: 'm2', now: at(5) }))).toEqual(['kubectl-create:.,f:a', 'm2:f:b']);
    const edited = cm({ a: '1', b: '2' }, [{ manager: 'someone', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }]);
    expect(summary(write({ old: cur, new: edited, manager: 'm2', now: at(5) }))).toEqual(['someone:f:a', 'm2:f:b']);
  });

  it('falls back to the stored entries when the body carries invalid ones', () => {
    const cur = created();
    const bad = cm({ a: '2' }, [{ manager: 'x', operation: 'Replace', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {} }]);
    expect(summary(write({ old: cur, new: bad, manager: 'm2', now: at(5) }))).toEqual(['kubectl-create:', 'm2:f:a']);
  });

  it('clears managedFields for [{}] or [] and tracks nothing afterwards', () => {
    const cur = created();
    expect(write({ old: cur, new: cm({ a: '2' }, [{}]), manager: 'm2' })).toEqual([]);
    expect(write({ old: cur, new: cm({ a: '2' }, []), manager: 'm2' })).toEqual([]);
    const untracked = cm({ a: '2' });
    expect(write({ old: untracked, new: cm({ a: '3' }), manager: 'm2' })).toEqual([]);
  });

  it('still tracks a create whose body asks to clear', () => {
    expect(summary(write({ new: cm({ a: '1' }, [{}]), manager: 'kubectl-create' }))).toEqual(['kubectl-create:.,f:a']);
  });

  it('takes removed fields from their owner without giving the remover an entry', () => {
    const cur = cm({ a: '1', b: '2' });
    setManagedFields(cur, write({ new: cur, manager: 'creator' }));
    expect(summary(write({ old: cur, new: cm({ a: '1' }), manager: 'remover', now: at(9) }))).toEqual(['creator:.,f:a']);
    expect(write({ old: cur, new: cm({}), manager: 'remover', now: at(9) })).toEqual([]);
  });

  it('ignores managedFields in a status write body and owns only status there', () => {
    const podType = typeInfoFor({ group: '', version: 'v1', kind: 'Pod' });
    const old: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', uid: 'u', managedFields: [{ manager: 'kubectl-run', operation: 'Update', apiVersion: 'v1', time: '2026-03-01T09:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:nodeName': {} } } }] }, spec: { nodeName: 'a' } };
    const next: KObject = { ...structuredClone(old), metadata: { ...old.metadata, managedFields: [{}] }, spec: { nodeName: 'b' }, status: { phase: 'Running' } };
    const entries = updateManagedFields({ old, new: next, manager: 'kubelet', subresource: 'status', apiVersion: 'v1', now: at(1), type: podType, hasStatusSubresource: true });
    expect(entries.map((e) => [e.manager, e.fieldsV1])).toEqual([
      ['kubectl-run', { 'f:spec': { 'f:nodeName': {} } }],
      ['kubelet', { 'f:status': { 'f:phase': {} } }],
    ]);
    expect(entries[1].subresource).toBe('status');
  });

  it('sorts Apply before Update, then by time, manager, apiVersion and subresource', () => {
    const entry = (manager: string, operation: string, time?: string, subresource?: string): ManagedFieldsEntry => ({
      manager, operation, apiVersion: 'v1', ...(time ? { time } : {}), fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { [`f:${manager}${subresource ?? ''}`]: {} } }, ...(subresource ? { subresource } : {}),
    });
    const cur = cm({ x: '1' }, [entry('b', 'Update', '2026-03-01T09:00:00Z'), entry('a', 'Update', '2026-03-01T09:00:00Z', 'status'), entry('z', 'Apply', '2026-03-01T11:00:00Z'), entry('a', 'Update', '2026-03-01T09:00:00Z'), entry('s', 'Update')]);
    const out = write({ old: cur, new: cm({ x: '2' }), manager: 'new', now: at(0) });
    expect(out.map((e) => `${e.operation}/${e.manager}/${e.subresource ?? ''}`)).toEqual(['Apply/z/', 'Update/s/', 'Update/a/', 'Update/a/status', 'Update/b/', 'Update/new/']);
    expect(out[1]).toEqual(cur.metadata.managedFields![4]);
  });

  it('folds the oldest Update entries into ancient-changes beyond ten', () => {
    let cur = cm({});
    setManagedFields(cur, write({ new: cur, manager: 'm0', now: at(0) }));
    cur = cm({ k0: 'v' }, write({ new: cm({ k0: 'v' }), manager: 'm0', now: at(0) }));
    for (let i = 1; i <= 11; i++) {
      const data = { ...(cur.data as Record<string, string>), [`k${i}`]: 'v' };
      cur = cm(data, write({ old: cur, new: cm(data), manager: `m${i}`, now: at(i) }));
    }
    const entries = cur.metadata.managedFields!;
    expect(entries).toHaveLength(10);
    const ancient = entries.find((e) => e.manager === 'ancient-changes')!;
    expect(ancient.fieldsV1).toEqual({ 'f:data': { '.': {}, 'f:k0': {}, 'f:k1': {}, 'f:k2': {} } });
    expect(ancient.time).toBe('2026-03-01T10:00:02Z');
    expect(entries.map((e) => e.manager)).not.toContain('m0');
  });
});
