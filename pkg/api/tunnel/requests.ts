import type { MetricsRequest } from './metrics.ts';

/**
 * What the API server asks of an agent over the tunnel. Container choice (which name, which
 * container id, running or not) is settled by the API server from the pod's status, as the
 * kubelet does from its own; the agent checks that the container is the pod's and on its node.
 */
export interface PodRef {
  namespace: string;
  name: string;
  uid: string;
}

export interface ContainerRef extends PodRef {
  container: string;
  /** Runtime id without the `docker://` scheme. */
  containerId: string;
}

export interface LogRequest {
  kind: 'log';
  target: ContainerRef;
  follow: boolean;
  timestamps: boolean;
  tailLines?: number;
  /** Unix seconds (fractional) of the oldest line wanted (sinceTime). */
  since?: number;
  /** Lines of the last N seconds by the node's clock, as the kubelet reads sinceSeconds. */
  sinceSeconds?: number;
  limitBytes?: number;
}

/**
 * exec and attach carry the channel protocol of v5.channel.k8s.io inside the tunnel stream: each
 * DATA message is `[channel][bytes]`; 0 stdin, 1 stdout, 2 stderr, 3 one final Status JSON (agent
 * to server), 4 resize `{"Width":w,"Height":h}`, 255 `[255, 0]` closes stdin.
 */
export interface ExecRequest {
  kind: 'exec';
  target: ContainerRef;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export interface AttachRequest {
  kind: 'attach';
  target: ContainerRef;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** One TCP connection to `port` in the pod's network namespace; DATA is the byte stream. */
export interface PortForwardRequest {
  kind: 'portforward';
  pod: PodRef;
  port: number;
}

export type StreamRequest = LogRequest | ExecRequest | AttachRequest | PortForwardRequest | MetricsRequest;

export const Channel = { stdin: 0, stdout: 1, stderr: 2, status: 3, resize: 4, close: 255 } as const;

/** Parses an OPEN payload; throws Error with what is wrong (the agent refuses the stream with it). */
export function parseStreamRequest(payload: Buffer): StreamRequest {
  let v: unknown;
  try {
    v = JSON.parse(payload.toString('utf8'));
  } catch {
    throw new Error('stream request is not JSON');
  }
  const r = v as Record<string, unknown>;
  if (!r || typeof r !== 'object') throw new Error('stream request is not an object');
  switch (r.kind) {
    case 'log':
      containerRef(r.target);
      flags(r, ['follow', 'timestamps']);
      optionalNumbers(r, ['tailLines', 'since', 'sinceSeconds', 'limitBytes']);
      return r as unknown as LogRequest;
    case 'exec':
      containerRef(r.target);
      flags(r, ['stdin', 'stdout', 'stderr', 'tty']);
      if (!Array.isArray(r.command) || r.command.length === 0 || !r.command.every((c) => typeof c === 'string')) throw new Error('exec needs a command');
      return r as unknown as ExecRequest;
    case 'attach':
      containerRef(r.target);
      flags(r, ['stdin', 'stdout', 'stderr', 'tty']);
      return r as unknown as AttachRequest;
    case 'portforward':
      podRef(r.pod);
      if (!Number.isInteger(r.port) || (r.port as number) < 1 || (r.port as number) > 65535) throw new Error('port must be 1-65535');
      return r as unknown as PortForwardRequest;
    case 'metrics':
      return { kind: 'metrics' };
    default:
      throw new Error(`unknown stream kind ${JSON.stringify(r.kind)}`);
  }
}

function podRef(v: unknown): void {
  const p = v as Record<string, unknown>;
  if (!p || typeof p !== 'object' || !['namespace', 'name', 'uid'].every((k) => typeof p[k] === 'string' && p[k])) throw new Error('stream request names no pod');
}

function containerRef(v: unknown): void {
  podRef(v);
  const c = v as Record<string, unknown>;
  if (typeof c.container !== 'string' || typeof c.containerId !== 'string' || !c.containerId) throw new Error('stream request names no container');
}

function flags(r: Record<string, unknown>, keys: string[]): void {
  for (const k of keys) if (typeof r[k] !== 'boolean') throw new Error(`${k} must be a boolean`);
}

function optionalNumbers(r: Record<string, unknown>, keys: string[]): void {
  for (const k of keys) if (r[k] !== undefined && (typeof r[k] !== 'number' || !Number.isFinite(r[k]) || (r[k] as number) < 0)) throw new Error(`${k} must be a non-negative number`);
}
