import type { core } from '../api/types/index.ts';
import type { Health } from './pod/pod-context.ts';
import { ProbeState, runProbe } from './pod/probe.ts';
import type { PodEvent } from './pod/images.ts';
import type { ContainerRuntime } from './runtime/index.ts';

type Kind = 'startup' | 'liveness' | 'readiness';

interface Worker {
  uid: string;
  container: string;
  containerId: string;
  kind: Kind;
  state: ProbeState;
  succeededOnce: boolean;
  cancel(): void;
}

/**
 * Runs every probe of every running container on its own timer and keeps the verdicts the pod
 * sync asks for (the kubelet's prober manager). Liveness and readiness wait for a startup probe
 * to succeed. A verdict change asks for a sync of the pod (`onChange`), which restarts the
 * container or updates readiness in the pod status. Failures are Unhealthy events, as upstream.
 */
export class ProbeManager implements Health {
  private readonly workers = new Map<string, Worker>();

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly emit: (pod: core.Pod, e: PodEvent, container?: string) => void,
    private readonly onChange: (uid: string) => void,
  ) {}

  /** After a sync: probe exactly the running containers of `pod` that have probes. */
  track(pod: core.Pod, running: { name: string; id: string; startedAt?: string }[], podIP: string): void {
    const uid = pod.metadata?.uid ?? '';
    const wanted = new Set<string>();
    for (const r of running) {
      const c = pod.spec?.containers.find((x) => x.name === r.name);
      if (!c) continue;
      const startedAt = r.startedAt ? Date.parse(r.startedAt) : Date.now();
      for (const kind of ['startup', 'liveness', 'readiness'] as const) {
        const probe = c[`${kind}Probe`];
        if (!probe) continue;
        const key = `${r.id}/${kind}`;
        wanted.add(key);
        if (!this.workers.has(key)) this.start(pod, c, r.id, kind, probe, startedAt, podIP);
      }
    }
    for (const [key, w] of this.workers) if (w.uid === uid && !wanted.has(key)) this.drop(key);
  }

  /** Forget a pod (killed). */
  forget(uid: string): void {
    for (const [key, w] of this.workers) if (w.uid === uid) this.drop(key);
  }

  stop(): void {
    for (const key of [...this.workers.keys()]) this.drop(key);
  }

  ready(uid: string, container: string, id: string): boolean | undefined {
    const r = this.workers.get(`${id}/readiness`);
    if (!r) return this.hasProbe(uid, container, id, 'readiness') ? false : undefined;
    return this.startupDone(id) && r.state.verdict;
  }

  started(_uid: string, _container: string, id: string): boolean | undefined {
    const s = this.workers.get(`${id}/startup`);
    return s ? s.succeededOnce : undefined;
  }

  mustRestart(_uid: string, container: string, id: string): string | undefined {
    const s = this.workers.get(`${id}/startup`);
    if (s && !s.succeededOnce && !s.state.verdict) return `Container ${container} failed startup probe, will be restarted`;
    const l = this.workers.get(`${id}/liveness`);
    if (l && !l.state.verdict) return `Container ${container} failed liveness probe, will be restarted`;
    return undefined;
  }

  private hasProbe(uid: string, container: string, id: string, kind: Kind): boolean {
    return [...this.workers.values()].some((w) => w.uid === uid && w.container === container && w.containerId === id && w.kind === kind);
  }

  private startupDone(id: string): boolean {
    const s = this.workers.get(`${id}/startup`);
    return !s || s.succeededOnce;
  }

  private start(pod: core.Pod, c: core.Container, id: string, kind: Kind, probe: core.Probe, startedAt: number, podIP: string): void {
    const uid = pod.metadata?.uid ?? '';
    const key = `${id}/${kind}`;
    let timer: NodeJS.Timeout | undefined;
    const w: Worker = { uid, container: c.name, containerId: id, kind, state: new ProbeState(kind, probe, startedAt), succeededOnce: false, cancel: () => clearTimeout(timer) };
    this.workers.set(key, w);
    const tick = async () => {
      if (this.workers.get(key) !== w) return;
      if (kind === 'startup' || this.startupDone(id)) {
        const before = w.state.verdict;
        const r = await runProbe(probe, { runtime: this.runtime, containerId: id, container: c, podIP }).catch((err: unknown) => ({ ok: false, message: (err as Error).message }));
        if (this.workers.get(key) !== w) return;
        const label = kind[0]!.toUpperCase() + kind.slice(1);
        if (!r.ok) this.emit(pod, { type: 'Warning', reason: 'Unhealthy', message: `${label} probe failed: ${r.message ?? ''}`.trim() }, c.name);
        const after = w.state.record(r.ok);
        const firstSuccess = r.ok && !w.succeededOnce;
        if (r.ok) w.succeededOnce = true;
        if (after !== before || (kind === 'startup' && firstSuccess)) this.onChange(uid);
      }
      timer = setTimeout(() => void tick(), w.state.periodMs);
      timer.unref();
    };
    timer = setTimeout(() => void tick(), Math.max(0, w.state.firstAt - Date.now()));
    timer.unref();
  }

  private drop(key: string): void {
    this.workers.get(key)?.cancel();
    this.workers.delete(key);
  }
}
