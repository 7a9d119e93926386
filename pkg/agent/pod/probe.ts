import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { core } from '../../api/types/index.ts';
import type { ContainerRuntime } from '../runtime/index.ts';

export interface ProbeResult {
  ok: boolean;
  /** Upstream's wording, used in the Unhealthy event ("Liveness probe failed: …"). */
  message?: string;
}

export interface ProbeTarget {
  runtime: ContainerRuntime;
  containerId: string;
  container: core.Container;
  /** Where httpGet and tcpSocket connect when the probe names no host. */
  podIP: string;
}

/** One probe attempt: exec, httpGet or tcpSocket, bounded by timeoutSeconds (default 1). */
export async function runProbe(probe: core.Probe, t: ProbeTarget): Promise<ProbeResult> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.exec) {
    // The runtime refuses some commands outright (an empty one): a failed probe, as kubelet counts it.
    const r = await t.runtime.exec(t.containerId, probe.exec.command ?? [], { timeoutMs }).catch((err: Error) => err);
    if (r instanceof Error) return { ok: false, message: r.message };
    if (r.timedOut) return { ok: false, message: `command timed out after ${probe.timeoutSeconds ?? 1}s` };
    return r.exitCode === 0 ? { ok: true } : { ok: false, message: `${r.stdout}${r.stderr}`.trim() || `command exited with ${r.exitCode}` };
  }
  if (probe.httpGet) return httpProbe(probe.httpGet, t, timeoutMs);
  if (probe.tcpSocket) {
    const port = resolvePort(probe.tcpSocket.port, t.container);
    return tcpProbe(probe.tcpSocket.host || t.podIP, port, timeoutMs);
  }
  return { ok: false, message: 'probe has no handler' };
}

/** A port number, or the name of one of the container's ports. */
export function resolvePort(port: number | string, c: core.Container): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const named = c.ports?.find((p) => p.name === port);
  if (!named) throw new Error(`couldn't find port ${port} in container ${c.name}`);
  return named.containerPort;
}

function httpProbe(get: core.HTTPGetAction, t: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  let port: number;
  try {
    port = resolvePort(get.port, t.container);
  } catch (err) {
    return Promise.resolve({ ok: false, message: (err as Error).message });
  }
  const scheme = (get.scheme ?? 'HTTP').toLowerCase();
  const host = get.host || t.podIP;
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}${get.path?.startsWith('/') ? get.path : `/${get.path ?? ''}`}`;
  const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.32', Accept: '*/*' };
  for (const h of get.httpHeaders ?? []) headers[h.name] = h.value;
  const client = scheme === 'https' ? https : http;
  return new Promise((resolve) => {
    const req = client.get(url, { headers, timeout: timeoutMs, rejectUnauthorized: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      // Upstream: 200–399 succeed (redirects are not followed to other hosts; a redirect is success).
      resolve(code >= 200 && code < 400 ? { ok: true } : { ok: false, message: `HTTP probe failed with statuscode: ${code}` });
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ ok: false, message: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
    });
    req.on('error', (err) => resolve({ ok: false, message: `Get "${url}": ${describe(err)}` }));
  });
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port, timeout: timeoutMs });
    sock.once('connect', () => {
      sock.destroy();
      resolve({ ok: true });
    });
    sock.once('timeout', () => {
      sock.destroy();
      resolve({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` });
    });
    sock.once('error', (err) => resolve({ ok: false, message: `dial tcp ${host}:${port}: ${describe(err)}` }));
  });
}

function describe(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connect: connection refused';
  if (code === 'EHOSTUNREACH') return 'connect: no route to host';
  return err.message;
}

/**
 * A probe's verdict over time, with upstream's thresholds: nothing before initialDelaySeconds,
 * then `failureThreshold` consecutive failures flip it to failing and `successThreshold`
 * consecutive successes flip it back. Readiness starts false, liveness and startup start true
 * (a container is presumed alive until proven otherwise).
 */
export class ProbeState {
  private ok: boolean;
  private streak = 0;
  private lastOk: boolean | undefined;

  constructor(readonly kind: 'liveness' | 'readiness' | 'startup', private readonly probe: core.Probe, readonly startedAt: number) {
    this.ok = kind !== 'readiness';
  }

  get periodMs(): number {
    return (this.probe.periodSeconds ?? 10) * 1000;
  }

  /** When the first probe may run. */
  get firstAt(): number {
    return this.startedAt + (this.probe.initialDelaySeconds ?? 0) * 1000;
  }

  /** Records one result; returns the verdict after it. */
  record(ok: boolean): boolean {
    this.streak = ok === this.lastOk ? this.streak + 1 : 1;
    this.lastOk = ok;
    if (ok && this.streak >= (this.probe.successThreshold ?? 1)) this.ok = true;
    if (!ok && this.streak >= (this.probe.failureThreshold ?? 3)) this.ok = false;
    return this.ok;
  }

  get verdict(): boolean {
    return this.ok;
  }
}
