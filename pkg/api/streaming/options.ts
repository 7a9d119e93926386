import { badRequest, invalid, type FieldError } from '../status.ts';

/** Go's strconv.ParseBool, which the query decoder uses for boolean options; absent → false. */
export function bool(q: URLSearchParams, key: string): boolean {
  const v = q.get(key);
  if (v === null || v === '') return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw badRequest(`invalid value for ${key}: strconv.ParseBool: parsing "${v}": invalid syntax`);
}

function integer(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw badRequest(`invalid value for ${key}: strconv.ParseInt: parsing "${v}": invalid syntax`);
  return Number(v);
}

export interface LogOptions {
  container: string | null;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** Unix seconds. */
  sinceTime?: number;
  limitBytes?: number;
}

/** PodLogOptions from the query, validated as upstream's ValidatePodLogOptions (422 PodLogOptions). */
export function logOptions(q: URLSearchParams, pod: string): LogOptions {
  const o: LogOptions = {
    container: q.get('container') || null,
    follow: bool(q, 'follow'),
    previous: bool(q, 'previous'),
    timestamps: bool(q, 'timestamps'),
    tailLines: integer(q, 'tailLines'),
    sinceSeconds: integer(q, 'sinceSeconds'),
    limitBytes: integer(q, 'limitBytes'),
  };
  const since = q.get('sinceTime');
  if (since) {
    const t = Date.parse(since);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(since) || Number.isNaN(t)) {
      throw badRequest(`invalid value for sinceTime: parsing time "${since}" as "2006-01-02T15:04:05Z07:00": cannot parse`);
    }
    o.sinceTime = t / 1000;
  }
  const errors: FieldError[] = [];
  if (o.tailLines !== undefined && o.tailLines < 0) errors.push({ type: 'FieldValueInvalid', field: 'tailLines', message: `Invalid value: ${o.tailLines}: must be greater than or equal to 0` });
  if (o.limitBytes !== undefined && o.limitBytes < 1) errors.push({ type: 'FieldValueInvalid', field: 'limitBytes', message: `Invalid value: ${o.limitBytes}: must be greater than 0` });
  if (o.sinceSeconds !== undefined && o.sinceTime !== undefined) errors.push({ type: 'FieldValueForbidden', field: '', message: 'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified' });
  else if (o.sinceSeconds !== undefined && o.sinceSeconds < 1) errors.push({ type: 'FieldValueInvalid', field: 'sinceSeconds', message: `Invalid value: ${o.sinceSeconds}: must be greater than 0` });
  if (errors.length) throw invalid('', 'PodLogOptions', pod, errors);
  return o;
}
