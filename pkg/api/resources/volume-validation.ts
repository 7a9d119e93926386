import type { FieldError } from '../status.ts';
import { invalidValue, notSupported, qualifiedNameErrors, required } from '../validation/index.ts';

/**
 * validateVolumeSource's checks of the sources whose contents the agent writes or mounts
 * (configMap, secret, downwardAPI, projected, hostPath), with upstream's paths and words: item
 * paths relative and without `..`, file modes within 0777, the names they read required. `vp`
 * is the volume's path (`spec.volumes[0]`).
 */
export function validateVolumeSource(v: Record<string, any>, vp: string): FieldError[] {
  const errs: FieldError[] = [];
  if (isObj(v.configMap)) errs.push(...objectSource(v.configMap, `${vp}.configMap`, 'name', true));
  if (isObj(v.secret)) errs.push(...objectSource(v.secret, `${vp}.secret`, 'secretName', true));
  if (isObj(v.downwardAPI)) {
    errs.push(...mode(v.downwardAPI.defaultMode, `${vp}.downwardAPI.defaultMode`));
    // Upstream names the source, not the item, for downward API files.
    for (const f of arr(v.downwardAPI.items)) if (isObj(f)) errs.push(...downwardFile(f, `${vp}.downwardAPI`));
  }
  if (isObj(v.projected)) {
    errs.push(...mode(v.projected.defaultMode, `${vp}.projected.defaultMode`));
    arr(v.projected.sources).forEach((s, i) => {
      const sp = `${vp}.projected.sources[${i}]`;
      if (!isObj(s)) return;
      if (isObj(s.secret)) errs.push(...objectSource(s.secret, `${sp}.secret`, 'name', false));
      if (isObj(s.configMap)) errs.push(...objectSource(s.configMap, `${sp}.configMap`, 'name', false));
      if (isObj(s.downwardAPI)) for (const f of arr(s.downwardAPI.items)) if (isObj(f)) errs.push(...downwardFile(f, `${sp}.downwardAPI`));
      if (isObj(s.serviceAccountToken)) {
        const path = s.serviceAccountToken.path;
        if (!str(path)) errs.push(required(`${sp}.serviceAccountToken.path`));
        errs.push(...nonReservedPath(str(path), `${sp}.serviceAccountToken.path`));
      }
    });
  }
  if (isObj(v.hostPath)) {
    const path = str(v.hostPath.path);
    if (!path) errs.push(required(`${vp}.hostPath.path`));
    else {
      errs.push(...noBacksteps(path, `${vp}.hostPath.path`));
      const type = v.hostPath.type;
      if (typeof type === 'string' && !HOST_PATH_TYPES.includes(type)) errs.push(notSupported(`${vp}.hostPath.type`, type, HOST_PATH_TYPES));
    }
  }
  return errs;
}

const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
const VOLUME_FIELDS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
const FILE_MODE = 'must be a number between 0 and 0777 (octal), both inclusive';

/** A configMap or secret volume or projection: its name, default mode (volumes only) and items. */
function objectSource(s: Record<string, any>, sp: string, nameField: string, volume: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(s[nameField])) errs.push(required(`${sp}.${nameField}`));
  if (volume) errs.push(...mode(s.defaultMode, `${sp}.defaultMode`));
  arr(s.items).forEach((kp, i) => {
    const ip = `${sp}.items[${i}]`;
    if (!isObj(kp)) return;
    if (!str(kp.key)) errs.push(required(`${ip}.key`));
    if (!str(kp.path)) errs.push(required(`${ip}.path`));
    errs.push(...nonReservedPath(str(kp.path), `${ip}.path`), ...mode(kp.mode, `${ip}.mode`));
  });
  return errs;
}

function downwardFile(f: Record<string, any>, fp: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(f.path)) errs.push(required(`${fp}.path`));
  errs.push(...nonReservedPath(str(f.path), `${fp}.path`));
  if (isObj(f.fieldRef)) {
    errs.push(...volumeFieldRef(f.fieldRef, `${fp}.fieldRef`));
    if (isObj(f.resourceFieldRef)) errs.push(invalidValue(fp, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (isObj(f.resourceFieldRef)) {
    if (!str(f.resourceFieldRef.containerName)) errs.push(required(`${fp}.resourceFieldRef.containerName`));
    else if (!str(f.resourceFieldRef.resource)) errs.push(required(`${fp}.resourceFieldRef.resource`));
  } else errs.push(required(fp, 'one of fieldRef and resourceFieldRef is required'));
  errs.push(...mode(f.mode, `${fp}.mode`));
  return errs;
}

function volumeFieldRef(f: Record<string, any>, fp: string): FieldError[] {
  if (!str(f.apiVersion)) return [required(`${fp}.apiVersion`)];
  const path = str(f.fieldPath);
  if (!path) return [required(`${fp}.fieldPath`)];
  const sub = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(path);
  if (sub) return qualifiedNameErrors(sub[1] === 'metadata.labels' ? sub[2] : sub[2].toLowerCase()).map((m) => invalidValue(`${fp}.fieldPath`, sub[2], m));
  return VOLUME_FIELDS.includes(path) ? [] : [notSupported(`${fp}.fieldPath`, path, VOLUME_FIELDS)];
}

/** ValidateLocalNonReservedPath: relative, no `..` element, not starting with `..`. */
function nonReservedPath(p: string, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.startsWith('/')) errs.push(invalidValue(field, p, 'must be a relative path'));
  errs.push(...noBacksteps(p, field));
  if (p.startsWith('..') && !p.startsWith('../')) errs.push(invalidValue(field, p, "must not start with '..'"));
  return errs;
}

const noBacksteps = (p: string, field: string): FieldError[] => (p.split('/').includes('..') ? [invalidValue(field, p, "must not contain '..'")] : []);

function mode(m: unknown, field: string): FieldError[] {
  return typeof m === 'number' && (m < 0 || m > 0o777) ? [invalidValue(field, m, FILE_MODE)] : [];
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const isObj = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);
