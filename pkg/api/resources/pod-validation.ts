import { isIP } from 'node:net';
import type { FieldError } from '../status.ts';
import {
  dns1123Label, dns1123Subdomain, duplicate, forbidden, invalidValue, notSupported, portNameErrors, portNumberErrors, required, validateAnnotations, validateLabels,
} from '../validation/index.ts';
import { ephemeralContainerErrors } from './ephemeral-validation.ts';
import { validateEnv } from './env-validation.ts';
import { validateRequirements } from './requirements-validation.ts';
import { validateVolumeSource } from './volume-validation.ts';

/**
 * ValidatePodSpec's checks for the mistakes people make, in upstream's order (volumes,
 * containers, init containers, ephemeral containers, restartPolicy, dnsPolicy, nodeSelector, …) with its paths and
 * messages. `pod` adds the checks only Pod objects get (ValidatePodCreate).
 */

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const isObj = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);

/** field.NotFound; the FieldError contract lacks the type, so it is spelled here once. */
const notFound = (field: string, value: string): FieldError => ({ type: 'FieldValueNotFound', field, message: `Not found: ${JSON.stringify(value)}` });

function validateVolumes(volumes: unknown, path: string): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arr(volumes).forEach((v, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(v)) return;
    errs.push(...validateVolumeSource(v, p));
    if (typeof v.name !== 'string' || !v.name) errs.push(required(`${p}.name`));
    else {
      errs.push(...dns1123Label(`${p}.name`, v.name));
      if (names.has(v.name)) errs.push(duplicate(`${p}.name`, v.name));
      names.add(v.name);
    }
  });
  return { errs, names };
}

function validatePorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arr(ports).forEach((port, j) => {
    const p = `${path}[${j}]`;
    if (!isObj(port)) return;
    if (port.name) {
      const msgs = portNameErrors(String(port.name));
      for (const m of msgs) errs.push(invalidValue(`${p}.name`, port.name, m));
      if (!msgs.length && names.has(port.name)) errs.push(duplicate(`${p}.name`, port.name));
      names.add(port.name);
    }
    if (!port.containerPort) errs.push(required(`${p}.containerPort`));
    else for (const m of portNumberErrors(port.containerPort)) errs.push(invalidValue(`${p}.containerPort`, port.containerPort, m));
    if (port.hostPort) for (const m of portNumberErrors(port.hostPort)) errs.push(invalidValue(`${p}.hostPort`, port.hostPort, m));
    if (!port.protocol) errs.push(required(`${p}.protocol`));
    else if (!['SCTP', 'TCP', 'UDP'].includes(port.protocol)) errs.push(notSupported(`${p}.protocol`, port.protocol, ['SCTP', 'TCP', 'UDP']));
  });
  return errs;
}

function validateContainer(c: Record<string, any>, p: string, volumes: Set<string>, pod: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof c.name !== 'string' || !c.name) errs.push(required(`${p}.name`));
  else errs.push(...dns1123Label(`${p}.name`, c.name));
  if (typeof c.image !== 'string' || c.image === '') errs.push(required(`${p}.image`));
  else if (pod && c.image.trim() !== c.image) errs.push(invalidValue(`${p}.image`, c.image, 'must not have leading or trailing whitespace'));
  const tmp = c.terminationMessagePolicy;
  if (!tmp) errs.push(required(`${p}.terminationMessagePolicy`, "must be 'File' or 'FallbackToLogsOnError'"));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') errs.push(notSupported(`${p}.terminationMessagePolicy`, tmp, ['File', 'FallbackToLogsOnError']));
  errs.push(...validatePorts(c.ports, `${p}.ports`));
  errs.push(...validateEnv(c, p));
  const mountPaths = new Set<string>();
  arr(c.volumeMounts).forEach((m, k) => {
    const mp = `${p}.volumeMounts[${k}]`;
    if (!isObj(m)) return;
    if (!m.name) errs.push(required(`${mp}.name`));
    if (!volumes.has(m.name)) errs.push(notFound(`${mp}.name`, String(m.name ?? '')));
    if (!m.mountPath) errs.push(required(`${mp}.mountPath`));
    else if (mountPaths.has(m.mountPath)) errs.push(invalidValue(`${mp}.mountPath`, m.mountPath, 'must be unique'));
    mountPaths.add(m.mountPath);
  });
  const pull = c.imagePullPolicy;
  if (!pull) errs.push(required(`${p}.imagePullPolicy`));
  else if (!['Always', 'IfNotPresent', 'Never'].includes(pull)) errs.push(notSupported(`${p}.imagePullPolicy`, pull, ['Always', 'IfNotPresent', 'Never']));
  errs.push(...validateRequirements(c.resources, `${p}.resources`));
  if (isObj(c.securityContext)) {
    for (const id of ['runAsUser', 'runAsGroup'] as const) {
      const v = c.securityContext[id];
      if (typeof v === 'number' && (v < 0 || v > 2147483647)) errs.push(invalidValue(`${p}.securityContext.${id}`, v, 'must be between 0 and 2147483647, inclusive'));
    }
  }
  return errs;
}

/** Validates a defaulted PodSpec at `path` ("spec" or "spec.template.spec"). */
export function validatePodSpec(spec: unknown, path: string, pod = false): FieldError[] {
  if (!isObj(spec)) return [required(path)];
  const { errs: out, names: volumes } = validateVolumes(spec.volumes, `${path}.volumes`);
  const each = (list: unknown, field: string, taken: Set<string>) => {
    const names = new Set<string>();
    arr(list).forEach((c, i) => {
      const p = `${path}.${field}[${i}]`;
      if (!isObj(c)) return void out.push(invalidValue(p, c, 'must be an object'));
      out.push(...validateContainer(c, p, volumes, pod));
      if (typeof c.name === 'string' && c.name && (names.has(c.name) || taken.has(c.name))) out.push(duplicate(`${p}.name`, c.name));
      names.add(c.name);
    });
    return names;
  };
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) out.push(required(`${path}.containers`));
  const regular = each(spec.containers, 'containers', new Set());
  const init = each(spec.initContainers, 'initContainers', regular);
  const others = new Set([...regular, ...init].filter((n) => typeof n === 'string'));
  const taken = new Set(others);
  arr(spec.ephemeralContainers).forEach((c, i) => {
    const p = `${path}.ephemeralContainers[${i}]`;
    if (!isObj(c)) return void out.push(invalidValue(p, c, 'must be an object'));
    out.push(...validateContainer(c, p, volumes, pod), ...ephemeralContainerErrors(c, p, others, taken));
  });
  const rp = spec.restartPolicy;
  if (!rp) out.push(required(`${path}.restartPolicy`));
  else if (!['Always', 'OnFailure', 'Never'].includes(rp)) out.push(notSupported(`${path}.restartPolicy`, rp, ['Always', 'OnFailure', 'Never']));
  const dns = spec.dnsPolicy;
  if (!dns) out.push(required(`${path}.dnsPolicy`));
  else if (!['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'].includes(dns)) {
    out.push(notSupported(`${path}.dnsPolicy`, dns, ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']));
  }
  out.push(...validateLabels(`${path}.nodeSelector`, spec.nodeSelector));
  if (spec.serviceAccountName) out.push(...dns1123Subdomain(`${path}.serviceAccountName`, String(spec.serviceAccountName)));
  if (spec.nodeName) out.push(...dns1123Subdomain(`${path}.nodeName`, String(spec.nodeName)));
  const ads = spec.activeDeadlineSeconds;
  if (ads !== undefined && ads !== null && (!Number.isInteger(ads) || ads < 1 || ads > 2147483647)) {
    out.push(invalidValue(`${path}.activeDeadlineSeconds`, ads, 'must be between 1 and 2147483647, inclusive'));
  }
  if (spec.hostname) out.push(...dns1123Label(`${path}.hostname`, String(spec.hostname)));
  arr(spec.hostAliases).forEach((a, i) => {
    if (!isObj(a)) return;
    const ip = typeof a.ip === 'string' ? a.ip : '';
    if (!isIP(ip)) out.push(invalidValue(`${path}.hostAliases[${i}].ip`, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
    arr(a.hostnames).forEach((h, j) => out.push(...dns1123Subdomain(`${path}.hostAliases[${i}].hostnames[${j}]`, typeof h === 'string' ? h : '')));
  });
  return out;
}

/** ValidatePodTemplateSpec: the template's labels and annotations, then its spec. */
export function validatePodTemplate(template: unknown, path: string): FieldError[] {
  if (!isObj(template)) return [required(path)];
  return [
    ...validateLabels(`${path}.metadata.labels`, template.metadata?.labels),
    ...validateAnnotations(`${path}.metadata.annotations`, template.metadata?.annotations),
    ...validatePodSpec(template.spec, `${path}.spec`),
    ...(arr(template.spec?.ephemeralContainers).length ? [forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template')] : []),
  ];
}
