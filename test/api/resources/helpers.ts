import type { ResourceDef } from '../../../pkg/api/resource.ts';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { findResource, resources } from '../../../pkg/api/resources/index.ts';
import { cluster, failure, type Cluster } from '../registry/fixtures.ts';

/** The real resource table row for group/version/plural (throws when absent). */
export function def(group: string, version: string, plural: string): ResourceDef {
  const d = findResource(group, version, plural);
  if (!d) throw new Error(`no ${group}/${version} ${plural}`);
  return d;
}

export const pods = def('', 'v1', 'pods');
export const services = def('', 'v1', 'services');
export const namespaces = def('', 'v1', 'namespaces');
export const deployments = def('apps', 'v1', 'deployments');

/** A memory-store registry over the real table, with namespace `default` (the fixture clock: 2026-01-01T12:00:00Z). */
export async function realCluster(): Promise<Cluster> {
  const c = await cluster({ defs: resources });
  await c.create(namespaces, undefined, { metadata: { name: 'default' } });
  return c;
}

/** The 422 a create gets: its message and `field: message` causes. */
export async function invalidCreate(c: Cluster, d: ResourceDef, body: KObject, ns: string | undefined = d.namespaced ? 'default' : undefined) {
  const f = await failure(c.create(d, ns, body));
  const details = f.status.details as { causes?: { field: string; message: string; reason: string }[]; kind?: string; group?: string };
  return { code: f.code, reason: f.reason, message: f.message, kind: details.kind, group: details.group, causes: (details.causes ?? []).map((x) => `${x.field}: ${x.message}`) };
}

export const container = (extra: Record<string, unknown> = {}) => ({ name: 'c', image: 'nginx:1.27', ...extra });

/** A valid apps/v1 workload body (Deployment, ReplicaSet, StatefulSet, DaemonSet). */
export const workload = (name: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = { app: name }): KObject => ({
  metadata: { name },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container()] } }, ...spec },
});

export const NOW = new Date(Date.UTC(2026, 0, 1, 12, 0, 0));
/** An RFC 3339 time `seconds` before NOW. */
export const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
