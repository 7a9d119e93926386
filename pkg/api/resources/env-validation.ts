import type { FieldError } from '../status.ts';
import { configMapKeyErrors, dns1123SubdomainErrors, invalidValue, notSupported, qualifiedNameErrors, required } from '../validation/index.ts';

/**
 * ValidateEnv and ValidateEnvFrom of a container (`p` is its path): names (relaxed, as 1.32
 * validates them), exactly one source per valueFrom, and each source's required fields, so the
 * agent never gets a reference it cannot resolve the way kubelet would.
 */
export function validateEnv(c: Record<string, any>, p: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(c.env).forEach((e, k) => {
    const ep = `${p}.env[${k}]`;
    if (!isObj(e)) return;
    if (typeof e.name !== 'string' || !e.name) errs.push(required(`${ep}.name`));
    else if (!relaxedName(e.name)) errs.push(invalidValue(`${ep}.name`, e.name, RELAXED_NAME));
    if (isObj(e.valueFrom)) errs.push(...valueFrom(e.valueFrom, `${ep}.valueFrom`, typeof e.value === 'string' && e.value !== ''));
  });
  arr(c.envFrom).forEach((e, k) => {
    const ep = `${p}.envFrom[${k}]`;
    if (!isObj(e)) return;
    if (typeof e.prefix === 'string' && e.prefix && !relaxedName(e.prefix)) errs.push(invalidValue(`${ep}.prefix`, e.prefix, RELAXED_NAME));
    const sources = (['configMapRef', 'secretRef'] as const).filter((s) => isObj(e[s]));
    for (const s of sources) {
      const name = e[s].name;
      if (typeof name !== 'string' || !name) errs.push(required(`${ep}.${s}.name`));
      else for (const m of dns1123SubdomainErrors(name)) errs.push(invalidValue(`${ep}.${s}.name`, name, m));
    }
    // Upstream names the list, not the item, here.
    if (sources.length === 0) errs.push(invalidValue(`${p}.envFrom`, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources.length > 1) errs.push(invalidValue(`${p}.envFrom`, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

const RELAXED_NAME = "a valid environment variable name must consist only of printable ASCII characters other than '='";
const relaxedName = (n: string) => /^[\x20-\x3c\x3e-\x7e]+$/.test(n);

/** Downward API fields an env var may name without a subscript. */
const ENV_FIELDS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
const ENV_RESOURCES = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];

function valueFrom(v: Record<string, any>, vp: string, hasValue: boolean): FieldError[] {
  const errs: FieldError[] = [];
  let sources = 0;
  if (isObj(v.fieldRef)) {
    sources++;
    errs.push(...fieldRef(v.fieldRef, `${vp}.fieldRef`));
  }
  if (isObj(v.resourceFieldRef)) {
    sources++;
    const r = v.resourceFieldRef.resource;
    if (typeof r !== 'string' || !r) errs.push(required(`${vp}.resourceFieldRef.resource`));
    else if (!ENV_RESOURCES.includes(r) && !r.startsWith('limits.hugepages-') && !r.startsWith('requests.hugepages-')) errs.push(notSupported(`${vp}.resourceFieldRef.resource`, r, ENV_RESOURCES));
  }
  for (const kind of ['configMapKeyRef', 'secretKeyRef'] as const) {
    if (!isObj(v[kind])) continue;
    sources++;
    const { name, key } = v[kind];
    const name_ = typeof name === 'string' ? name : '';
    for (const m of dns1123SubdomainErrors(name_)) errs.push(invalidValue(`${vp}.${kind}.name`, name_, m));
    if (typeof key !== 'string' || !key) errs.push(required(`${vp}.${kind}.key`));
    else for (const m of configMapKeyErrors(key)) errs.push(invalidValue(`${vp}.${kind}.key`, key, m));
  }
  if (sources === 0) errs.push(invalidValue(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if (hasValue) errs.push(invalidValue(vp, '', 'may not be specified when `value` is not empty'));
  else if (sources > 1) errs.push(invalidValue(vp, '', 'may not have more than one field specified at a time'));
  return errs;
}

function fieldRef(f: Record<string, any>, fp: string): FieldError[] {
  if (typeof f.apiVersion !== 'string' || !f.apiVersion) return [required(`${fp}.apiVersion`)];
  const path = f.fieldPath;
  if (typeof path !== 'string' || !path) return [required(`${fp}.fieldPath`)];
  if (f.apiVersion !== 'v1') return [invalidValue(`${fp}.fieldPath`, path, `error converting fieldPath: unsupported pod version: ${f.apiVersion}`)];
  const sub = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(path);
  if (sub) {
    const msgs = sub[1] === 'metadata.labels' ? qualifiedNameErrors(sub[2]) : qualifiedNameErrors(sub[2].toLowerCase());
    return msgs.map((m) => invalidValue(`${fp}.fieldPath`, sub[2], m));
  }
  return ENV_FIELDS.includes(path) ? [] : [notSupported(`${fp}.fieldPath`, path, ENV_FIELDS)];
}

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const isObj = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);
