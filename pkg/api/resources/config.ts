import type { FieldError } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { configMapKeyErrors, forbidden, invalidValue, required } from '../validation/index.ts';
import { deepEqual } from '../registry/meta.ts';
import { ageCol, col, created, nameCol, table } from './define.ts';

/** ConfigMap and Secret strategies: key syntax, Secret types, and `immutable: true`. */

const count = (m: unknown) => (m && typeof m === 'object' ? Object.keys(m).length : 0);
const isMap = (m: unknown): m is Record<string, unknown> => !!m && typeof m === 'object' && !Array.isArray(m);
const MAX_SIZE = 1024 * 1024;

function validateKeys(obj: any, field: string, out: FieldError[]): number {
  const m = obj[field];
  if (m === undefined || m === null) return 0;
  if (!isMap(m)) {
    out.push(invalidValue(field, m, 'must be a map'));
    return 0;
  }
  let size = 0;
  for (const [k, v] of Object.entries(m)) {
    for (const msg of configMapKeyErrors(k)) out.push(invalidValue(`${field}[${k}]`, k, msg));
    size += typeof v === 'string' ? v.length : 0;
  }
  return size;
}

function validateConfigMap(obj: any): FieldError[] {
  const out: FieldError[] = [];
  let size = validateKeys(obj, 'data', out);
  if (isMap(obj.data) && isMap(obj.binaryData)) {
    for (const k of Object.keys(obj.data)) if (k in obj.binaryData) out.push(invalidValue(`data[${k}]`, k, 'duplicate of key present in binaryData'));
  }
  // binaryData values arrive base64-encoded; their size is the decoded one.
  size += Math.floor((validateKeys(obj, 'binaryData', out) * 3) / 4);
  if (size > MAX_SIZE) out.push({ type: 'FieldValueTooLong', field: '', message: `Too long: must have at most ${MAX_SIZE} bytes` });
  return out;
}

/** Data that `immutable: true` freezes (ValidateConfigMapUpdate / ValidateSecretUpdate). */
function validateImmutable(obj: any, old: any, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const out: FieldError[] = [];
  if (obj.immutable !== true) out.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) if (!deepEqual(obj[f], old[f])) out.push(forbidden(f, 'field is immutable when `immutable` is set'));
  return out;
}

const secretTypeKeys: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

function validateSecret(obj: any): FieldError[] {
  const out: FieldError[] = [];
  const size = validateKeys(obj, 'data', out);
  const data = isMap(obj.data) ? obj.data : {};
  for (const k of secretTypeKeys[obj.type] ?? []) if (!(k in data)) out.push(required(`data[${k}]`));
  if (obj.type === 'kubernetes.io/service-account-token' && !obj.metadata?.annotations?.['kubernetes.io/service-account.name']) {
    out.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
  }
  if (obj.type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) {
    out.push(required('data[username]'), required('data[password]'));
  }
  if (Math.floor((size * 3) / 4) > MAX_SIZE) out.push({ type: 'FieldValueTooLong', field: 'data', message: `Too long: must have at most ${MAX_SIZE} bytes` });
  return out;
}

export const configMapRow = {
  kind: 'ConfigMap', plural: 'configmaps', shortNames: ['cm'],
  strategy: {
    validate: validateConfigMap,
    validateUpdate: (obj: KObject, old: KObject) => validateImmutable(obj, old, ['data', 'binaryData']),
  },
  table: table([nameCol, col('Data', 'Data contains the configuration data.'), ageCol], (o, now) => [o.metadata.name, count(o.data) + count(o.binaryData), created(o, now)]),
};

export const secretRow = {
  kind: 'Secret', plural: 'secrets',
  strategy: {
    defaults(obj: any) {
      obj.type ||= 'Opaque';
      // stringData is write-only: conversion merges it into data (its keys win).
      if (isMap(obj.stringData)) {
        obj.data = isMap(obj.data) ? obj.data : {};
        for (const [k, v] of Object.entries(obj.stringData)) obj.data[k] = Buffer.from(String(v)).toString('base64');
      }
      delete obj.stringData;
    },
    validate: validateSecret,
    validateUpdate(obj: any, old: any): FieldError[] {
      const out = obj.type !== old.type ? [invalidValue('type', obj.type, 'field is immutable')] : [];
      return [...out, ...validateImmutable(obj, old, ['data'])];
    },
  },
  table: table([nameCol, col('Type', 'Used to facilitate programmatic handling of secret data.'), col('Data', 'Data contains the secret data.'), ageCol],
    (o, now) => [o.metadata.name, o.type ?? '', count(o.data), created(o, now)]),
  fieldSelectors: { type: (o: any) => o.type ?? '' },
};
