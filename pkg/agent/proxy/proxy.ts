import { existsSync } from 'node:fs';
import type { InformerFactory } from '../../api/client/index.ts';
import type { core, discovery, KObject } from '../../api/types/index.ts';
import type { Logger } from '../../util/index.ts';
import { chainsFor, tagOf } from './chains.ts';
import { ensureHairpin } from './hairpin.ts';
import { Iptables } from './iptables.ts';
import { planServices } from './model.ts';
import { builtinJumps, renderRules, type Jump, type RuleContext } from './rules.ts';
import { UserspaceProxy } from './userspace.ts';

type Service = core.Service & KObject;
type Slice = discovery.EndpointSlice & KObject;

export type ProxyMode = 'auto' | 'iptables' | 'userspace';

export interface ServiceProxyOptions {
  informers: InformerFactory;
  nodeName: string;
  /** The node's pod bridge, `skiff<tag>`: its tag names the node's chains. */
  bridge: string;
  podCIDR: string;
  log: Logger;
  /** auto (default): iptables when its commands run, else the userspace relay. */
  mode?: ProxyMode;
  iptables?: Iptables;
  /** Quiet time after a change before rules are rewritten (kube-proxy's minSyncPeriod). */
  debounceMs?: number;
  /** How often the chains are checked against what they should be and repaired (kube-proxy's syncPeriod). */
  resyncMs?: number;
}

const sliceIndex = 'proxy-service-name';

/**
 * The jumps of `jumps` missing from the saved built-in chains: each (chain, target) must appear
 * as often as skiff puts it there. Counting saves one iptables command per jump on every sync.
 */
function missingJumps(jumps: Jump[], saved: Record<Jump['table'], string[]>): Jump[] {
  const key = (j: Jump) => `${j.table} ${j.chain} ${j.args.at(-1)}`;
  const want = new Map<string, number>();
  for (const j of jumps) want.set(key(j), (want.get(key(j)) ?? 0) + 1);
  const have = (j: Jump) => saved[j.table].filter((r) => r.startsWith(`-A ${j.chain} `) && r.endsWith(` -j ${j.args.at(-1)}`)).length;
  return jumps.filter((j) => have(j) < want.get(key(j))!);
}

export interface ServiceProxy {
  readonly mode: 'iptables' | 'userspace';
  /** Resolves after the first sync (informers synced, rules applied). */
  start(signal: AbortSignal): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The node's service proxy (kube-proxy): informers on Services and EndpointSlices (registered at
 * construction, so before the factory starts) drive a debounced, serialized sync that rewrites
 * the node's iptables chains in one `iptables-restore --noflush`, or the userspace relays where
 * iptables is missing. A failed sync is logged and retried at the next change or resync.
 * Stopping leaves the rules in place (traffic keeps flowing while the agent restarts); `skiff
 * killall` removes them. At start, chains of nodes whose bridge no longer exists are removed.
 */
export function serviceProxy(o: ServiceProxyOptions): ServiceProxy {
  const services = o.informers.informer<Service>('v1', 'services');
  const slices = o.informers.informer<Slice>('discovery.k8s.io/v1', 'endpointslices');
  slices.addIndexer(sliceIndex, (s) => {
    const name = s.metadata.labels?.['kubernetes.io/service-name'];
    return name ? [`${s.metadata.namespace}/${name}`] : [];
  });
  const ipt = o.iptables ?? new Iptables();
  const tag = o.bridge.replace(/^skiff/, '');
  const ctx: RuleContext = { chains: chainsFor(tag), bridge: o.bridge, podCIDR: o.podCIDR };
  let mode: 'iptables' | 'userspace' = o.mode === 'userspace' ? 'userspace' : 'iptables';
  let userspace: UserspaceProxy | undefined;
  let timer: NodeJS.Timeout | undefined;
  let resync: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let lastText = '';
  let stopped = false;

  const plans = () => planServices(services.list(), (ns, name) => slices.byIndex(sliceIndex, `${ns}/${name}`), o.nodeName);

  async function syncIptables(force: boolean): Promise<void> {
    const nat = await ipt.save('nat');
    const filter = await ipt.save('filter');
    const mine = (chains: string[]) => chains.filter((c) => tagOf(c) === tag);
    ctx.forwardChain = filter.chains.includes('DOCKER-USER') ? 'DOCKER-USER' : 'FORWARD';
    const text = renderRules(plans(), ctx, { nat: mine(nat.chains), filter: mine(filter.chains) });
    // Rewriting unchanged chains would be harmless but not free; a rule count that differs from
    // the text means someone else changed them (a flush, another tool), and they are repaired.
    const inKernel = [...nat.rules, ...filter.rules].filter((r) => tagOf(r.slice(3)) === tag).length;
    const inText = text.split('\n').filter((l) => l.startsWith('-A ')).length;
    if (text !== lastText || force || inKernel !== inText) await ipt.restore(text);
    lastText = text;
    // Each jump is checked with its own command only when the saved tables lack some (cheap resyncs).
    for (const j of missingJumps(builtinJumps(ctx), { nat: nat.rules, filter: filter.rules })) await ipt.ensureJump(j);
    // Pods that just became backends may be reaching their own service.
    ensureHairpin(o.bridge);
  }

  async function syncOnce(force: boolean): Promise<void> {
    if (stopped) return;
    try {
      if (mode === 'iptables') await syncIptables(force);
      else await userspace!.sync(plans());
    } catch (err) {
      o.log.warn('service proxy sync failed', { err: (err as Error).message });
    }
  }

  const schedule = (force = false) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(() => syncOnce(force));
    }, o.debounceMs ?? 100);
  };

  return {
    get mode() {
      return mode;
    },
    async start(signal) {
      if (o.mode !== 'userspace' && !(await ipt.available())) {
        if (o.mode === 'iptables') throw new Error('--proxy-mode iptables: iptables, iptables-save or iptables-restore does not run on this machine');
        o.log.warn('iptables is not available: services are proxied in userspace (TCP only)');
        mode = 'userspace';
      }
      if (mode === 'userspace') userspace = new UserspaceProxy(o.log);
      else {
        // Chains of nodes whose bridge is gone (a removed node, a test cluster) would catch traffic.
        const removed = await ipt.removeChains((t) => t !== tag && /^[0-9a-f]{8}$/.test(t) && !existsSync(`/sys/class/net/skiff${t}`)).catch((err: unknown) => {
          o.log.warn('could not remove stale service chains', { err: (err as Error).message });
          return 0;
        });
        if (removed) o.log.info('removed service chains of nodes that no longer exist', { chains: removed });
      }
      for (const inf of [services, slices] as const) {
        (inf as typeof services).onAdd(() => schedule());
        (inf as typeof services).onUpdate(() => schedule());
        (inf as typeof services).onDelete(() => schedule());
      }
      await services.waitForSync(signal);
      await slices.waitForSync(signal);
      running = running.then(() => syncOnce(true));
      await running;
      const every = o.resyncMs ?? 30_000;
      const loop = () => {
        resync = setTimeout(() => {
          schedule();
          loop();
        }, every);
        resync.unref();
      };
      loop();
      o.log.info('service proxy running', { mode, chains: ctx.chains.services });
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(resync);
      await running;
      await userspace?.close();
    },
  };
}
