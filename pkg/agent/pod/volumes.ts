import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, normalize, posix } from 'node:path';
import type { core } from '../../api/types/index.ts';
import type { Mount } from '../runtime/index.ts';
import { writeAtomically, type Payload } from './atomic-writer.ts';
import { resolveEnv, type EnvSources } from './env.ts';

type Pod = core.Pod;
type Volume = core.Volume;

/** Where a pod's volumes live on the host, and what filling them needs from the cluster. */
export interface VolumeContext extends EnvSources {
  /** `<data-dir>/agent/pods/<uid>` */
  podDir: string;
  /** Host directory of a bound claim's volume; undefined while unbound. */
  claimPath?(namespace: string, claim: string): string | undefined;
  /** The pod's bound service-account token for a projected volume source, fetched beforehand; undefined when there is none. */
  serviceAccountToken?(pod: Pod, audience: string | undefined, expirationSeconds: number): string | undefined;
  /** Mount a tmpfs (emptyDir medium Memory); injectable because it needs root. */
  mountTmpfs?(dir: string, sizeBytes?: number): void;
}

/** The kubelet's FailedMount: the message is shown in the event, the pod keeps waiting. */
export class VolumeError extends Error {
  constructor(readonly volume: string, message: string) {
    super(`MountVolume.SetUp failed for volume "${volume}" : ${message}`);
  }
}

/**
 * Makes every volume of `pod` exist on the host (creating, filling, or refreshing it) and
 * returns each volume's host directory or file by name. Safe to call again: configMap, secret,
 * downwardAPI and projected volumes are rewritten only when their content changed.
 */
export function setUpVolumes(pod: Pod, ctx: VolumeContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of pod.spec?.volumes ?? []) out.set(v.name, setUp(pod, v, ctx));
  return out;
}

function setUp(pod: Pod, v: Volume, ctx: VolumeContext): string {
  const ns = pod.metadata?.namespace ?? 'default';
  const dir = (plugin: string) => join(ctx.podDir, 'volumes', `kubernetes.io~${plugin}`, v.name);
  if (v.emptyDir) {
    const d = dir('empty-dir');
    const fresh = !existsSync(d);
    mkdirSync(d, { recursive: true, mode: 0o777 });
    if (fresh && v.emptyDir.medium === 'Memory') {
      (ctx.mountTmpfs ?? mountTmpfs)(d, v.emptyDir.sizeLimit ? Number(v.emptyDir.sizeLimit) || undefined : undefined);
    }
    return d;
  }
  if (v.hostPath) return hostPath(v.name, v.hostPath);
  if (v.configMap) {
    const d = dir('configmap');
    const cm = ctx.configMap(ns, v.configMap.name ?? '');
    if (!cm && !v.configMap.optional) throw new VolumeError(v.name, `configmap "${v.configMap.name}" not found`);
    writeAtomically(d, keyPayload(v.name, 'configmap', v.configMap.name ?? '', cm?.data ?? {}, false, v.configMap.items, v.configMap.defaultMode, v.configMap.optional));
    return d;
  }
  if (v.secret) {
    const d = dir('secret');
    const s = ctx.secret(ns, v.secret.secretName ?? '');
    if (!s && !v.secret.optional) throw new VolumeError(v.name, `secret "${v.secret.secretName}" not found`);
    writeAtomically(d, keyPayload(v.name, 'secret', v.secret.secretName ?? '', s?.data ?? {}, true, v.secret.items, v.secret.defaultMode, v.secret.optional));
    return d;
  }
  if (v.downwardAPI) {
    const d = dir('downward-api');
    writeAtomically(d, downwardPayload(pod, v.downwardAPI.items ?? [], v.downwardAPI.defaultMode ?? 0o644, ctx));
    return d;
  }
  if (v.projected) {
    const d = dir('projected');
    writeAtomically(d, projectedPayload(pod, v, ctx));
    return d;
  }
  if (v.persistentVolumeClaim) {
    const path = ctx.claimPath?.(ns, v.persistentVolumeClaim.claimName);
    if (!path) throw new VolumeError(v.name, `persistentvolumeclaim "${v.persistentVolumeClaim.claimName}" is not bound`);
    if (!existsSync(path)) {
      // World-writable as k3s's local-path helper makes it (mkdir -m 0777), whatever the umask.
      mkdirSync(path, { recursive: true });
      chmodSync(path, 0o777);
    }
    return path;
  }
  throw new VolumeError(v.name, 'volume type not supported by skiff');
}

function keyPayload(volume: string, kind: 'configmap' | 'secret', _name: string, data: Record<string, string>, base64: boolean, items: core.KeyToPath[] | undefined, defaultMode = 0o644, optional = false): Payload[] {
  const bytes = (v: string) => (base64 ? Buffer.from(v, 'base64') : Buffer.from(v));
  if (!items?.length) return Object.entries(data).map(([k, v]) => ({ path: k, data: bytes(v), mode: defaultMode }));
  const out: Payload[] = [];
  for (const it of items) {
    if (!(it.key in data)) {
      if (optional) continue;
      throw new VolumeError(volume, kind === 'secret' ? `references non-existent secret key: ${it.key}` : `configmap references non-existent config key: ${it.key}`);
    }
    out.push({ path: safePath(volume, it.path), data: bytes(data[it.key]!), mode: it.mode ?? defaultMode });
  }
  return out;
}

function downwardPayload(pod: Pod, items: core.DownwardAPIVolumeFile[], defaultMode: number, ctx: VolumeContext): Payload[] {
  // The downward API's fields are the env var sources' fields; resolve them the same way.
  const container = pod.spec?.containers[0] ?? { name: '' };
  return items.map((it) => {
    let value: string;
    const whole = it.fieldRef?.fieldPath === 'metadata.labels' || it.fieldRef?.fieldPath === 'metadata.annotations';
    if (whole) {
      // Only files (not env vars) may hold all labels or annotations: key="value" lines, sorted.
      const m = (it.fieldRef!.fieldPath === 'metadata.labels' ? pod.metadata?.labels : pod.metadata?.annotations) ?? {};
      value = Object.keys(m).sort().map((k) => `${k}=${JSON.stringify(m[k])}`).join('\n');
    } else {
      const env = resolveEnv(pod, { ...container, env: [{ name: 'V', valueFrom: it.fieldRef ? { fieldRef: it.fieldRef } : { resourceFieldRef: it.resourceFieldRef } }], envFrom: [] }, ctx);
      value = env.V ?? '';
    }
    return { path: safePath('downwardAPI', it.path), data: Buffer.from(value), mode: it.mode ?? defaultMode };
  });
}

function projectedPayload(pod: Pod, v: Volume, ctx: VolumeContext): Payload[] {
  const ns = pod.metadata?.namespace ?? 'default';
  const mode = v.projected!.defaultMode ?? 0o644;
  const out: Payload[] = [];
  for (const src of v.projected!.sources ?? []) {
    if (src.configMap) {
      const cm = ctx.configMap(ns, src.configMap.name ?? '');
      if (!cm && !src.configMap.optional) throw new VolumeError(v.name, `configmap "${src.configMap.name}" not found`);
      out.push(...keyPayload(v.name, 'configmap', src.configMap.name ?? '', cm?.data ?? {}, false, src.configMap.items, mode, src.configMap.optional));
    } else if (src.secret) {
      const s = ctx.secret(ns, src.secret.name ?? '');
      if (!s && !src.secret.optional) throw new VolumeError(v.name, `secret "${src.secret.name}" not found`);
      out.push(...keyPayload(v.name, 'secret', src.secret.name ?? '', s?.data ?? {}, true, src.secret.items, mode, src.secret.optional));
    } else if (src.downwardAPI) {
      out.push(...downwardPayload(pod, src.downwardAPI.items ?? [], mode, ctx));
    } else if (src.serviceAccountToken) {
      const t = src.serviceAccountToken;
      const token = ctx.serviceAccountToken?.(pod, t.audience, t.expirationSeconds ?? 3600);
      if (token === undefined) throw new VolumeError(v.name, `failed to fetch token: no token for service account "${pod.spec?.serviceAccountName ?? 'default'}"`);
      out.push({ path: safePath(v.name, t.path), data: Buffer.from(token), mode });
    } else if (src.clusterTrustBundle) {
      throw new VolumeError(v.name, 'clusterTrustBundle projections are not supported by skiff');
    }
  }
  return out;
}

function hostPath(volume: string, hp: core.HostPathVolumeSource): string {
  const p = hp.path;
  const type = hp.type ?? '';
  const st = existsSync(p) ? statSync(p) : undefined;
  const fail = (what: string) => {
    throw new VolumeError(volume, `hostPath type check failed: ${p} is not a ${what}`);
  };
  switch (type) {
    case 'DirectoryOrCreate':
      if (!st) mkdirSync(p, { recursive: true, mode: 0o755 });
      else if (!st.isDirectory()) fail('directory');
      break;
    case 'Directory':
      if (!st?.isDirectory()) fail('directory');
      break;
    case 'FileOrCreate':
      if (!st) writeFileSync(p, '', { mode: 0o644 });
      else if (!st.isFile()) fail('file');
      break;
    case 'File':
      if (!st?.isFile()) fail('file');
      break;
    case 'Socket':
      if (!st?.isSocket()) fail('socket');
      break;
    case 'CharDevice':
      if (!st?.isCharacterDevice()) fail('character device');
      break;
    case 'BlockDevice':
      if (!st?.isBlockDevice()) fail('block device');
      break;
  }
  return p;
}

/** Item paths are relative, without `..` elements (validation says so; never trust it twice). */
function safePath(volume: string, p: string): string {
  const n = normalize(p);
  if (n.startsWith('/') || n === '..' || n.startsWith('../')) throw new VolumeError(volume, `invalid path ${JSON.stringify(p)}`);
  return n;
}

function mountTmpfs(dir: string, sizeBytes?: number): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', sizeBytes ? `size=${sizeBytes}` : 'mode=0777', 'tmpfs', dir], { stdio: 'pipe' });
}

/**
 * One container's mounts: its volumeMounts (subPath resolved and created), configMap, secret,
 * downwardAPI and projected volumes always read-only (as upstream), plus its termination log.
 */
export function containerMounts(pod: Pod, c: core.Container, volumes: Map<string, string>, terminationLog: string): Mount[] {
  const byName = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  const mounts: Mount[] = [];
  for (const m of c.volumeMounts ?? []) {
    const host = volumes.get(m.name);
    const v = byName.get(m.name);
    if (!host || !v) throw new VolumeError(m.name, `volume "${m.name}" is not set up`);
    let source = host;
    if (m.subPath) {
      source = join(host, safePath(m.name, m.subPath));
      if (!existsSync(source)) mkdirSync(source, { recursive: true, mode: 0o777 });
    }
    const alwaysReadOnly = !!(v.configMap || v.secret || v.downwardAPI || v.projected);
    // kubelet makes a relative mountPath absolute (MakeAbsolutePath); the engine would refuse it.
    mounts.push({ source, target: posix.join('/', m.mountPath), readOnly: alwaysReadOnly || m.readOnly === true });
  }
  if (!existsSync(terminationLog)) {
    mkdirSync(join(terminationLog, '..'), { recursive: true });
    writeFileSync(terminationLog, '', { mode: 0o666 });
  }
  mounts.push({ source: terminationLog, target: c.terminationMessagePath ?? '/dev/termination-log' });
  return mounts;
}

/** What the container wrote to its termination log (at most 4 KiB, as upstream). */
export function readTerminationMessage(terminationLog: string): string {
  try {
    return readFileSync(terminationLog).subarray(0, 4096).toString('utf8');
  } catch {
    return '';
  }
}
