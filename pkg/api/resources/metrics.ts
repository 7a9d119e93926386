import { parseQuantity } from '../quantity.ts';
import type { ResourceDef, TableColumn } from '../resource.ts';
import type { KObject } from '../types/index.ts';
import { cpuQuantity, memoryQuantity } from '../metrics/objects.ts';

/**
 * metrics.k8s.io/v1beta1 as metrics-server serves it: read-only (get, list), never stored; the
 * API server answers these from the agents' live usage (pkg/api/metrics).
 */

const columns: TableColumn[] = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name of the resource', priority: 0 },
  { name: 'cpu', type: 'string', format: 'quantity', description: '', priority: 0 },
  { name: 'memory', type: 'string', format: 'quantity', description: '', priority: 0 },
  { name: 'Window', type: 'string', format: 'duration', description: '', priority: 0 },
];

type Usage = { cpu?: string; memory?: string };

const sum = (usages: Usage[], key: keyof Usage) => usages.reduce((t, u) => t + (u[key] ? parseQuantity(u[key]) : 0), 0);

function row(o: KObject, usages: Usage[]): string[] {
  return [o.metadata.name ?? '', cpuQuantity(sum(usages, 'cpu') * 1e9), memoryQuantity(sum(usages, 'memory')), String(o.window ?? '')];
}

const base = { group: 'metrics.k8s.io', version: 'v1beta1', verbs: ['get', 'list'] } as const;

export const metricsResources: ResourceDef[] = [
  {
    ...base, verbs: [...base.verbs], kind: 'NodeMetrics', plural: 'nodes', singular: '', namespaced: false,
    storage: { group: 'metrics.k8s.io', resource: 'nodes' },
    table: { columns, cells: (o) => row(o, [(o.usage ?? {}) as Usage]) },
  },
  {
    ...base, verbs: [...base.verbs], kind: 'PodMetrics', plural: 'pods', singular: '', namespaced: true,
    storage: { group: 'metrics.k8s.io', resource: 'pods' },
    table: { columns, cells: (o) => row(o, ((o.containers ?? []) as { usage?: Usage }[]).map((c) => c.usage ?? {})) },
  },
];
