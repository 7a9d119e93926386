import { ApiException, type KubernetesObject } from '@kubernetes/client-node';

/** The HTTP code and the decoded Status body of a call that must fail with an ApiException. */
export async function apiError(call: Promise<unknown>): Promise<{ code: number; status: Record<string, unknown> }> {
  try {
    await call;
  } catch (err) {
    if (!(err instanceof ApiException)) throw err;
    const e = err as ApiException<string>;
    return { code: e.code, status: JSON.parse(e.body) as Record<string, unknown> };
  }
  throw new Error('expected the call to fail');
}

/** One event a Watch or informer delivered, reduced to what the assertions compare. */
export interface Seen {
  type: string;
  name?: string;
  rv?: string;
  data?: Record<string, string>;
}

export const seen = (type: string, obj: KubernetesObject & { data?: Record<string, string> }): Seen => ({
  type,
  name: obj.metadata?.name,
  rv: obj.metadata?.resourceVersion,
  ...(obj.data ? { data: obj.data } : {}),
});

/** Resolves once `pred` holds (polled every 20 ms); rejects after 10 s. */
export async function until<T>(what: string, pred: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const v = await pred();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const configMap = (name: string, namespace: string, labels: Record<string, string> = {}, data: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, labels },
  data,
});

export const deployment = (name: string, namespace: string, replicas = 2) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace, labels: { app: name } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }, { name: 'side', image: 'busybox:1.36' }] },
    },
  },
});

/**
 * client-go's RetryOnConflict: controllers write status concurrently (as upstream's do), so a
 * read-modify-write retries from a fresh read on 409 Conflict.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof ApiException) || err.code !== 409 || i >= 10) throw err;
    }
  }
}
