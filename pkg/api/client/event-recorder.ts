import type { Logger } from '../../util/index.ts';
import type { core, KObject } from '../types/index.ts';
import type { Client } from './client.ts';

interface Recent {
  name: string;
  namespace: string;
  count: number;
  at: number;
}

/** Repeats of one event within this window raise its count instead of making a new object. */
const aggregateWindowMs = 10 * 60_000;

/**
 * An event recorder (client-go's): core/v1 Events about pods (`kubectl describe pod` shows them),
 * with upstream's naming (`<pod>.<hex time>`), source (e.g. kubelet on a node) and aggregation of
 * repeats into `count`. Recording never throws and never blocks the caller: a failed write is
 * logged and dropped, as client-go's broadcaster drops under pressure.
 */
export class EventRecorder {
  private readonly recent = new Map<string, Recent>();
  private chain: Promise<void> = Promise.resolve();
  /** The last name suffix used: two events in one millisecond must not get one name (upstream's are nanoseconds). */
  private lastNs = 0n;

  /** `source`: who reports (kubelet on a node, default-scheduler, a controller). */
  constructor(private readonly client: Client, private readonly source: { component: string; host?: string }, private readonly log: Logger, private readonly now: () => number = Date.now) {}

  /** An event about `obj` (a Pod unless `kind` says otherwise); `container` names a pod's container. */
  record(obj: core.Pod | KObject, e: { type: 'Normal' | 'Warning'; reason: string; message: string }, container?: string, kind: { apiVersion: string; kind: string } = { apiVersion: 'v1', kind: 'Pod' }): void {
    const pod = obj as core.Pod;
    this.chain = this.chain.then(() => this.write(pod, e, container, kind)).catch((err: unknown) => this.log.warn('event dropped', { reason: e.reason, err: (err as Error).message }));
  }

  /** Resolves once every event recorded so far has been written (or dropped). */
  flush(): Promise<void> {
    return this.chain;
  }

  private async write(pod: core.Pod, e: { type: string; reason: string; message: string }, container: string | undefined, kind: { apiVersion: string; kind: string }): Promise<void> {
    const events = this.client.resource('v1', 'events');
    const ns = pod.metadata?.namespace ?? 'default';
    const key = `${pod.metadata?.uid}/${container ?? ''}/${e.type}/${e.reason}/${e.message}`;
    const now = this.now();
    const stamp = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const prev = this.recent.get(key);
    if (prev && now - prev.at < aggregateWindowMs) {
      prev.count++;
      prev.at = now;
      try {
        await events.patch(prev.namespace, prev.name, 'merge', { count: prev.count, lastTimestamp: stamp });
        return;
      } catch {
        // Gone (events expire): fall through and make a new one.
      }
    }
    const ns0 = BigInt(now) * 1_000_000n;
    this.lastNs = ns0 > this.lastNs ? ns0 : this.lastNs + 1n;
    const name = `${pod.metadata?.name}.${this.lastNs.toString(16)}`;
    await events.create(ns, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      involvedObject: {
        apiVersion: kind.apiVersion, kind: kind.kind, namespace: ns, name: pod.metadata?.name, uid: pod.metadata?.uid, resourceVersion: pod.metadata?.resourceVersion,
        ...(container ? { fieldPath: `spec.containers{${container}}` } : {}),
      },
      reason: e.reason,
      message: e.message,
      type: e.type,
      source: this.source,
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? '',
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      count: 1,
    });
    this.recent.set(key, { name, namespace: ns, count: 1, at: now });
    if (this.recent.size > 4096) for (const [k, r] of this.recent) if (now - r.at >= aggregateWindowMs) this.recent.delete(k);
  }
}
