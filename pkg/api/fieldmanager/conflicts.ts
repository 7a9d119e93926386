import { applyConflict, type StatusError } from '../status.ts';
import type { FieldSet } from './field-set.ts';
import type { Managed } from './managed.ts';
import type { FieldPath } from './path-element.ts';

/** Fields another manager owns whose value an apply would change. */
export interface ManagerConflicts {
  manager: Managed;
  fields: FieldSet;
}

/** A path as structured-merge-diff prints it: `.spec.template.spec.containers[name="app"].image`. */
export function formatPath(path: FieldPath): string {
  return path
    .map((pe) => {
      if ('field' in pe) return `.${pe.field}`;
      if ('key' in pe) return `[${pe.key.map(([k, v]) => `${k}=${goString(v)}`).join(',')}]`;
      if ('value' in pe) return `[=${goString(pe.value)}]`;
      return `[${pe.index}]`;
    })
    .join('');
}

/** value.ToString: strings quoted as Go's %q, numbers and booleans bare, lists and maps spelled out. */
function goString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(goString).join(',')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${k}=${goString(x)}`).join(',')}}`;
  }
  return String(v);
}

/** printManager: `"kubectl"`, `"x" with subresource "status"`, Update managers `… using apps/v1`. */
function describeManager(m: Managed): string {
  let out = JSON.stringify(m.manager);
  if (m.subresource) out += ` with subresource ${JSON.stringify(m.subresource)}`;
  return m.operation === 'Update' ? `${out} using ${m.apiVersion}` : out;
}

/**
 * The 409 upstream answers: `Apply failed with 1 conflict: conflict with "m" using apps/v1:
 * .spec.replicas`, or for several a list grouped by manager (managers in their identifier's
 * order, paths in set order), and a FieldManagerConflict cause per field.
 */
export function conflictError(conflicts: readonly ManagerConflicts[]): StatusError {
  const sorted = [...conflicts].sort((a, b) => (a.manager.id < b.manager.id ? -1 : a.manager.id > b.manager.id ? 1 : 0));
  const flat = sorted.flatMap((c) => c.fields.iteratePaths().map((path) => ({ manager: c.manager, path })));
  const causes = flat.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${describeManager(c.manager)}`, field: formatPath(c.path) }));
  if (flat.length === 1) {
    return applyConflict(`Apply failed with 1 conflict: conflict with ${describeManager(flat[0].manager)}: ${formatPath(flat[0].path)}`, causes);
  }
  const lines = sorted.flatMap((c) => [`conflicts with ${describeManager(c.manager)}:`, ...c.fields.iteratePaths().map((p) => `- ${formatPath(p)}`)]);
  return applyConflict(`Apply failed with ${flat.length} conflicts: ${lines.join('\n')}`, causes);
}
