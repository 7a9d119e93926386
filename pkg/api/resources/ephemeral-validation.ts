import type { FieldError } from '../status.ts';
import { deepEqual } from '../registry/meta.ts';
import { duplicate, forbidden } from '../validation/index.ts';

/**
 * Ephemeral containers (upstream validateEphemeralContainers and
 * ValidatePodEphemeralContainersUpdate): debugging containers that may only be added to a running
 * pod through pods/ephemeralcontainers, are never restarted, and lend nothing the pod relies on.
 */

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const isObj = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);
const notFound = (field: string, value: string): FieldError => ({ type: 'FieldValueNotFound', field, message: `Not found: ${JSON.stringify(value)}` });

/** EphemeralContainerCommon fields that must stay unset, in the struct's order (validateFieldAllowList). */
const disallowed = ['ports', 'resources', 'resizePolicy', 'restartPolicy', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle'];

/** Go's zero value: unset, or the non-pointer `resources` struct with nothing in it. */
const isZero = (field: string, v: unknown) => v === undefined || v === null || (field === 'resources' && isObj(v) && Object.keys(v).length === 0);

/**
 * The checks an ephemeral container gets beyond a regular container's: a name unique among all of
 * the pod's containers (`taken` holds the app and init names and grows), a target that is an app
 * or init container (`others`), no disallowed fields, no subPath mounts.
 */
export function ephemeralContainerErrors(c: Record<string, any>, p: string, others: Set<string>, taken: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof c.name === 'string' && c.name) {
    if (taken.has(c.name)) errs.push(duplicate(`${p}.name`, c.name));
    else taken.add(c.name);
  }
  const target = c.targetContainerName;
  if (typeof target === 'string' && target !== '' && !others.has(target)) errs.push(notFound(`${p}.targetContainerName`, target));
  for (const f of disallowed) if (!isZero(f, c[f])) errs.push(forbidden(`${p}.${f}`, 'cannot be set for an Ephemeral Container'));
  arr(c.volumeMounts).forEach((m, i) => {
    if (!isObj(m)) return;
    if (m.subPath) errs.push(forbidden(`${p}.volumeMounts[${i}].subPath`, 'cannot be set for an Ephemeral Container'));
    if (m.subPathExpr) errs.push(forbidden(`${p}.volumeMounts[${i}].subPathExpr`, 'cannot be set for an Ephemeral Container'));
  });
  return errs;
}

/** Existing ephemeral containers may be neither removed nor changed (matched by name: patches reorder). */
export function ephemeralContainersUpdateErrors(spec: unknown, oldSpec: unknown, annotations: unknown): FieldError[] {
  if (isObj(annotations) && 'kubernetes.io/config.mirror' in annotations) return [forbidden('', 'static pods do not support ephemeral containers')];
  const path = 'spec.ephemeralContainers';
  const byName = new Map<string, unknown>();
  for (const c of arr(isObj(spec) ? spec.ephemeralContainers : undefined)) if (isObj(c) && typeof c.name === 'string') byName.set(c.name, c);
  const errs: FieldError[] = [];
  for (const old of arr(isObj(oldSpec) ? oldSpec.ephemeralContainers : undefined)) {
    if (!isObj(old)) continue;
    const now = byName.get(old.name);
    if (now === undefined) errs.push(forbidden(path, `existing ephemeral containers ${JSON.stringify(old.name)} may not be removed\n`));
    else if (!deepEqual(old, now)) errs.push(forbidden(`${path}[${old.name}]`, `existing ephemeral containers ${JSON.stringify(old.name)} may not be changed\n`));
  }
  return errs;
}
