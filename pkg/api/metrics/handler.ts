import type { ApiHandler, ListOptions, UserInfo } from '../request.ts';
import type { ResourceDef } from '../resource.ts';
import { methodNotAllowed, notFound, pathNotFound } from '../status.ts';
import type { KList, KObject } from '../types/index.ts';
import { metricsApiVersion, metricsGroup, nodeMetrics, podMetrics } from './objects.ts';
import type { MetricsSource } from './source.ts';

type Find = (group: string, version: string, plural: string) => ResourceDef | undefined;

/**
 * Serves metrics.k8s.io (NodeMetrics `nodes`, PodMetrics `pods`) in front of `inner`, as
 * metrics-server does: the Nodes or Pods the request selects (labels, fields, namespace) are
 * read from the API, and each (pods: each Running one) gets the newest usage its node's agent
 * reports; objects without usage yet are left out of lists and are 404 on get. Only get and list are served. Every other
 * resource passes straight to `inner`.
 */
export function withMetrics<H extends ApiHandler>(inner: H, source: MetricsSource, find: Find, now: () => Date = () => new Date()): H {
  const isMetrics = (def: ResourceDef) => def.group === metricsGroup;
  const refuse = (): Promise<never> => Promise.reject(methodNotAllowed());
  const core = (plural: string) => {
    const def = find('', 'v1', plural);
    if (!def) throw pathNotFound();
    return def;
  };

  async function nodes(user: UserInfo, options: ListOptions, name?: string): Promise<KObject[]> {
    const list = name ? [await inner.get({ verb: 'get', def: core('nodes'), name }, user)] : (await inner.list({ verb: 'list', def: core('nodes'), options: { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector } }, user)).items;
    const at = now();
    const out = await Promise.all(list.map(async (n) => {
      const u = (await source.summary(n.metadata.name!))?.usage;
      return u ? nodeMetrics(n, u, at) : undefined;
    }));
    return out.filter((o): o is KObject => o !== undefined);
  }

  async function pods(user: UserInfo, namespace: string | undefined, options: ListOptions, name?: string): Promise<KObject[]> {
    const list = name ? [await inner.get({ verb: 'get', def: core('pods'), namespace, name }, user)] : (await inner.list({ verb: 'list', def: core('pods'), namespace, options: { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector } }, user)).items;
    const byNode = new Map<string, KObject[]>();
    for (const p of list) {
      if ((p.status as { phase?: string } | undefined)?.phase !== 'Running') continue;
      const node = (p.spec as { nodeName?: string } | undefined)?.nodeName;
      if (node) byNode.set(node, [...(byNode.get(node) ?? []), p]);
    }
    const at = now();
    const out: KObject[] = [];
    await Promise.all([...byNode].map(async ([node, ps]) => {
      const summary = await source.summary(node);
      if (!summary) return;
      const byUid = new Map(summary.pods.map((s) => [s.uid, s]));
      for (const p of ps) {
        const s = byUid.get(p.metadata.uid!);
        if (s && s.containers.length) out.push(podMetrics(p, s, s.containers, at));
      }
    }));
    return out.sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  }

  const list = (kind: string, items: KObject[]): KList => ({ kind: `${kind}List`, apiVersion: metricsApiVersion, metadata: {}, items });

  return {
    ...inner,
    async get(req, user) {
      if (!isMetrics(req.def)) return inner.get(req, user);
      if (req.subresource) throw pathNotFound();
      // A missing Node or Pod is its own NotFound; one without usage yet is the metrics' (metrics-server's words).
      const nodeScoped = req.def.plural === 'nodes';
      const found = nodeScoped ? await nodes(user, {}, req.name) : await pods(user, req.namespace, {}, req.name);
      if (!found[0]) throw notFound({ group: metricsGroup, resource: nodeScoped ? 'nodemetrics' : 'podmetrics' }, nodeScoped ? req.name : `${req.namespace}/${req.name}`);
      return found[0];
    },
    async list(req, user) {
      if (!isMetrics(req.def)) return inner.list(req, user);
      return req.def.plural === 'nodes' ? list('NodeMetrics', await nodes(user, req.options)) : list('PodMetrics', await pods(user, req.namespace, req.options));
    },
    watch: (req, user) => (isMetrics(req.def) ? refuse() : inner.watch(req, user)),
    create: (req, user) => (isMetrics(req.def) ? refuse() : inner.create(req, user)),
    update: (req, user) => (isMetrics(req.def) ? refuse() : inner.update(req, user)),
    patch: (req, user) => (isMetrics(req.def) ? refuse() : inner.patch(req, user)),
    delete: (req, user) => (isMetrics(req.def) ? refuse() : inner.delete(req, user)),
    deletecollection: (req, user) => (isMetrics(req.def) ? refuse() : inner.deletecollection(req, user)),
  };
}
