import { describe, expect, it } from 'vitest';
import { printerTable } from '../../../pkg/api/crd/index.ts';
import type { KObject } from '../../../pkg/api/types/index.ts';

const NOW = new Date('2026-01-01T12:00:00Z');

describe('printerTable', () => {
  const table = printerTable([
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
    { name: 'Ratio', type: 'number', jsonPath: '.spec.ratio', format: 'double' },
    { name: 'Paused', type: 'boolean', jsonPath: '.spec.paused', description: 'Whether it is paused.' },
    { name: 'First', type: 'string', jsonPath: '.spec.items[0].name', priority: 1 },
    { name: 'Last', type: 'string', jsonPath: '.spec.items[-1].name', priority: 1 },
    { name: 'Names', type: 'string', jsonPath: '.spec.items[*].name', priority: 1 },
    { name: 'Labels', type: 'string', jsonPath: '.metadata.labels', priority: 1 },
    { name: 'Dotted', type: 'string', jsonPath: '.metadata.annotations.example\\.com/owner', priority: 1 },
    { name: 'Seen', type: 'date', jsonPath: '.status.lastSeen' },
  ]);
  const obj = {
    metadata: { name: 'x', labels: { b: '2', a: '1' }, annotations: { 'example.com/owner': 'me' } },
    spec: { replicas: 3, ratio: 0.5, paused: false, items: [{ name: 'one' }, { name: 'two' }] },
    status: { conditions: [{ type: 'Synced', status: 'False' }, { type: 'Ready', status: 'True' }], lastSeen: '2026-01-01T11:55:00Z' },
  } as KObject;

  it('declares Name, then the columns as the CRD names them', () => {
    expect(table.columns.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0], ['Ready', 'string', '', 0], ['Replicas', 'integer', '', 0], ['Ratio', 'number', 'double', 0], ['Paused', 'boolean', '', 0],
      ['First', 'string', '', 1], ['Last', 'string', '', 1], ['Names', 'string', '', 1], ['Labels', 'string', '', 1], ['Dotted', 'string', '', 1], ['Seen', 'date', '', 0],
    ]);
    expect(table.columns[1].description).toBe('Custom resource definition column (in JSONPath format): .status.conditions[?(@.type=="Ready")].status');
    expect(table.columns[4].description).toBe('Whether it is paused.');
  });

  it('renders the first match of each path, typed by the column; dates as ages', () => {
    expect(table.cells(obj, NOW)).toEqual(['x', 'True', 3, 0.5, false, 'one', 'two', 'one', 'map[a:1 b:2]', 'me', '5m']);
  });

  it('leaves cells empty (null) when nothing matches or the type is wrong', () => {
    const sparse = { metadata: { name: 'y' }, spec: { replicas: 'many', paused: 'no' } } as KObject;
    expect(table.cells(sparse, NOW)).toEqual(['y', null, null, null, null, null, null, null, null, null, null]);
  });

  it('shows Age when the CRD has no columns', () => {
    const age = printerTable(undefined);
    expect(age.columns.map((c) => [c.name, c.type])).toEqual([['Name', 'string'], ['Age', 'date']]);
    expect(age.cells({ metadata: { name: 'z', creationTimestamp: '2026-01-01T10:00:00Z' } } as KObject, NOW)).toEqual(['z', '120m']);
  });
});
