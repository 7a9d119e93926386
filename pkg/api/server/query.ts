import type { DeleteOptions } from '../types/index.ts';
import type { ListOptions, WriteOptions } from '../request.ts';
import type { WriteOptionsKind } from '../fieldmanager/index.ts';
import { findTypeErrorOf } from '../schema/index.ts';
import { badRequest, invalid } from '../status.ts';

/** Query parameters → options. Unknown parameters (timeout, pretty) are ignored, as upstream does. */
export function listOptions(q: URLSearchParams): ListOptions {
  const o: ListOptions = {};
  const str = (k: keyof ListOptions) => {
    const v = q.get(k);
    if (v !== null && v !== '') (o as Record<string, unknown>)[k] = v;
  };
  str('labelSelector');
  str('fieldSelector');
  str('continue');
  str('resourceVersion');
  const match = q.get('resourceVersionMatch');
  if (match) {
    if (match !== 'NotOlderThan' && match !== 'Exact') throw badRequest(`invalid resourceVersionMatch: "${match}"`);
    o.resourceVersionMatch = match;
  }
  const limit = int(q, 'limit');
  // Any limit past the store's size means "all"; clamped so the store binds an integer.
  if (limit !== undefined && limit > 0) o.limit = Math.min(limit, 2 ** 31 - 1);
  return o;
}

export function int(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid value for ${key}: "${v}" is not an integer`);
  // Upstream parses query integers as int64 (strconv.ParseInt).
  if (BigInt(v) !== BigInt.asIntN(64, BigInt(v))) throw badRequest(`invalid value for ${key}: strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
  return Number(v);
}

const bool = (q: URLSearchParams, key: string) => {
  const v = q.get(key);
  return v === 'true' || v === '1';
};

/** `kind` names the 422 for a bad dryRun or fieldValidation, as upstream's option validation. */
export function writeOptions(q: URLSearchParams, kind: WriteOptionsKind = 'CreateOptions'): WriteOptions {
  const o: WriteOptions = {};
  const dryRun = q.getAll('dryRun');
  if (dryRun.length) {
    // ValidateDryRun: 422 naming the whole list, as Go's %#v prints it.
    if (dryRun.some((d) => d !== 'All')) {
      throw invalid('meta.k8s.io', kind, '', [{ type: 'FieldValueNotSupported', field: 'dryRun', message: `Unsupported value: ${goStrings(dryRun)}: supported values: "All"` }]);
    }
    o.dryRun = true;
  }
  const manager = q.get('fieldManager');
  if (manager) o.fieldManager = manager;
  const validation = q.get('fieldValidation');
  if (validation) {
    if (validation !== 'Strict' && validation !== 'Warn' && validation !== 'Ignore') {
      throw invalid('meta.k8s.io', kind, '', [{ type: 'FieldValueNotSupported', field: 'fieldValidation', message: `Unsupported value: ${JSON.stringify(validation)}: supported values: "", "Ignore", "Strict", "Warn"` }]);
    }
    o.fieldValidation = validation;
  }
  if (q.has('force')) o.force = bool(q, 'force');
  return o;
}

const DELETE_OPTIONS = { group: '', version: 'v1', kind: 'DeleteOptions' };

/** DeleteOptions from the body (kubectl) merged over the query (other clients). */
export function deleteOptions(q: URLSearchParams, body: Record<string, unknown> | undefined): DeleteOptions {
  const o: DeleteOptions = {};
  const grace = int(q, 'gracePeriodSeconds');
  if (grace !== undefined) o.gracePeriodSeconds = grace;
  const policy = q.get('propagationPolicy');
  if (policy) o.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
  if (q.has('orphanDependents')) o.orphanDependents = bool(q, 'orphanDependents');
  if (q.getAll('dryRun').length) o.dryRun = q.getAll('dryRun');
  if (body) {
    // Upstream answers a body its decoder refuses with a 500 carrying encoding/json's words; a 400 with them here.
    const typeError = findTypeErrorOf(DELETE_OPTIONS, body);
    if (typeError) throw badRequest(typeError);
    const b = body as DeleteOptions;
    if (b.gracePeriodSeconds !== undefined) o.gracePeriodSeconds = b.gracePeriodSeconds;
    if (b.propagationPolicy !== undefined) o.propagationPolicy = b.propagationPolicy;
    if (b.orphanDependents !== undefined) o.orphanDependents = b.orphanDependents;
    if (b.preconditions !== undefined) o.preconditions = b.preconditions;
    if (b.dryRun !== undefined) o.dryRun = b.dryRun;
  }
  if (o.gracePeriodSeconds !== undefined && (typeof o.gracePeriodSeconds !== 'number' || !Number.isInteger(o.gracePeriodSeconds))) throw badRequest('gracePeriodSeconds must be an integer');
  if (o.propagationPolicy !== undefined && !['Background', 'Foreground', 'Orphan'].includes(o.propagationPolicy)) {
    throw badRequest(`propagationPolicy: Unsupported value: "${o.propagationPolicy}": supported values: "Background", "Foreground", "Orphan"`);
  }
  // Values are the registry's to judge (422); only the JSON type is checked here.
  if ((o.dryRun as unknown) === null) delete o.dryRun;
  if (o.dryRun !== undefined) {
    const v: unknown = o.dryRun;
    const bad = Array.isArray(v) ? v.find((d) => typeof d !== 'string') : v;
    if (!Array.isArray(v) || bad !== undefined) {
      const type = bad === null ? 'null' : Array.isArray(bad) ? 'array' : typeof bad === 'object' ? 'object' : typeof bad;
      throw badRequest(`json: cannot unmarshal ${type} into Go struct field DeleteOptions.dryRun of type ${Array.isArray(v) ? 'string' : '[]string'}`);
    }
  }
  return o;
}

/** A []string as Go's %#v prints it: `[]string{"a", "b"}`. */
const goStrings = (values: readonly string[]): string => `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
