import { parseQuantity } from '../../api/quantity.ts';
import type { core } from '../../api/types/index.ts';

type Pod = core.Pod;
type Container = core.Container;

/** What resolving a container's environment needs from outside the pod. */
export interface EnvSources {
  configMap(namespace: string, name: string): { data?: Record<string, string> } | undefined;
  secret(namespace: string, name: string): { data?: Record<string, string> } | undefined;
  nodeName: string;
  hostIP: string;
  podIP?: string;
  /** The node's allocatable cpu (cores) and memory (bytes): what an unset limit means. */
  allocatable: { cpu: number; memory: number };
}

/**
 * The kubelet's CreateContainerConfigError: the container cannot be created until the referenced
 * object or key exists. The message is upstream's, shown as the waiting reason's message.
 */
export class ContainerConfigError extends Error {}

/**
 * A container's environment as the kubelet builds it: envFrom first (in order, later sources
 * winning), then env (in order), with `$(VAR)` references to earlier variables expanded in env
 * values and `$$` escaping a literal `$`.
 */
export function resolveEnv(pod: Pod, container: Container, src: EnvSources): Record<string, string> {
  const ns = pod.metadata?.namespace ?? 'default';
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = src.configMap(ns, from.configMapRef.name ?? '');
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${from.configMapRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) env[prefix + k] = v;
    }
    if (from.secretRef) {
      const s = src.secret(ns, from.secretRef.name ?? '');
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${from.secretRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(s.data ?? {})) env[prefix + k] = Buffer.from(v, 'base64').toString('utf8');
    }
  }
  for (const e of container.env ?? []) {
    if (e.valueFrom) {
      const v = valueFrom(pod, container, e.valueFrom, src, ns);
      if (v !== undefined) env[e.name] = v;
    } else {
      env[e.name] = expand(e.value ?? '', env);
    }
  }
  return env;
}

type ValueFrom = NonNullable<NonNullable<Container['env']>[number]['valueFrom']>;

function valueFrom(pod: Pod, container: Container, from: ValueFrom, src: EnvSources, ns: string): string | undefined {
  if (from.configMapKeyRef) {
    const { name = '', key, optional } = from.configMapKeyRef;
    const cm = src.configMap(ns, name);
    if (!cm) return optional ? undefined : fail(`configmap "${name}" not found`);
    const v = cm.data?.[key];
    return v !== undefined ? v : optional ? undefined : fail(`couldn't find key ${key} in ConfigMap ${ns}/${name}`);
  }
  if (from.secretKeyRef) {
    const { name = '', key, optional } = from.secretKeyRef;
    const s = src.secret(ns, name);
    if (!s) return optional ? undefined : fail(`secret "${name}" not found`);
    const v = s.data?.[key];
    return v !== undefined ? Buffer.from(v, 'base64').toString('utf8') : optional ? undefined : fail(`couldn't find key ${key} in Secret ${ns}/${name}`);
  }
  if (from.fieldRef) return fieldValue(pod, from.fieldRef.fieldPath, src);
  if (from.resourceFieldRef) {
    const target = from.resourceFieldRef.containerName ? pod.spec?.containers.find((c) => c.name === from.resourceFieldRef!.containerName) : container;
    return resourceValue(target ?? container, from.resourceFieldRef.resource, from.resourceFieldRef.divisor, src);
  }
  return undefined;
}

function fieldValue(pod: Pod, path: string, src: EnvSources): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? pod.metadata?.labels : pod.metadata?.annotations)?.[m[2]!] ?? '';
  switch (path) {
    case 'metadata.name': return pod.metadata?.name ?? '';
    case 'metadata.namespace': return pod.metadata?.namespace ?? 'default';
    case 'metadata.uid': return pod.metadata?.uid ?? '';
    case 'spec.nodeName': return src.nodeName;
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? 'default';
    case 'status.hostIP': case 'status.hostIPs': return src.hostIP;
    case 'status.podIP': case 'status.podIPs': return src.podIP ?? '';
    default: return fail(`unsupported fieldPath: ${path}`);
  }
}

/** requests.* / limits.* of a container in units of `divisor` (default 1), rounded up as upstream. */
function resourceValue(c: Container, resource: string, divisor: string | number | undefined, src: EnvSources): string {
  const [kind, name] = resource.split('.') as ['limits' | 'requests', string];
  const raw = c.resources?.[kind]?.[name];
  let value = raw === undefined ? 0 : parseQuantity(raw as string | number);
  // An unset limit is bounded by the node: upstream reports its allocatable.
  if (raw === undefined && kind === 'limits' && (name === 'cpu' || name === 'memory')) value = src.allocatable[name];
  const d = divisor === undefined || divisor === '' ? 1 : parseQuantity(divisor);
  return String(Math.ceil(Math.round((value / d) * 1e6) / 1e6));
}

/** `$(NAME)` → the value of an earlier variable; unknown references stay as written; `$$` → `$`. */
export function expand(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (whole, name: string | undefined) => {
    if (whole === '$$') return '$';
    return name !== undefined && name in env ? env[name]! : whole;
  });
}

function fail(message: string): never {
  throw new ContainerConfigError(message);
}
