import type { InformerFactory } from '../../api/client/index.ts';
import type { core, discovery, KObject } from '../../api/types/index.ts';
import type { Logger } from '../../util/index.ts';
import type { DnsSource } from './records.ts';
import type { HostDns } from './resolv-conf.ts';
import { DnsServer } from './server.ts';

type Service = core.Service & KObject;
type Slice = discovery.EndpointSlice & KObject;

export interface ClusterDnsOptions {
  informers: InformerFactory;
  /** The node's DNS address (its pod bridge gateway), unique per node and reachable from its pods. */
  address: string;
  port?: number;
  zone: string;
  host: HostDns;
  log: Logger;
  signal: AbortSignal;
}

const serviceNameIndex = 'service-name';

/**
 * Registers the informers the cluster DNS answers from (all services and EndpointSlices); call
 * before the factory starts. The returned function starts listening once they have synced, so a
 * pod never sees NXDOMAIN for a service that exists.
 */
export function clusterDns(o: ClusterDnsOptions): { listen(): Promise<DnsServer> } {
  const services = o.informers.informer<Service>('v1', 'services');
  const slices = o.informers.informer<Slice>('discovery.k8s.io/v1', 'endpointslices');
  slices.addIndexer(serviceNameIndex, (s) => {
    const name = s.metadata.labels?.['kubernetes.io/service-name'];
    return name ? [`${s.metadata.namespace}/${name}`] : [];
  });
  const source: DnsSource = {
    service: (ns, name) => services.get(`${ns}/${name}`),
    services: () => services.list(),
    slicesOf: (ns, name) => slices.byIndex(serviceNameIndex, `${ns}/${name}`),
    slices: () => slices.list(),
  };
  return {
    async listen() {
      await o.informers.waitForSync(o.signal);
      const upstreams = o.host.nameservers.map((address) => ({ address, port: 53 }));
      if (!upstreams.length) o.log.warn(`no nameserver in ${o.host.path}: names outside ${o.zone} will fail (SERVFAIL)`);
      const server = new DnsServer({ address: o.address, port: o.port ?? 53, zone: o.zone, source, upstreams, log: o.log });
      // The bridge gets its address from the engine when the network is made; allow it a moment.
      for (let attempt = 0; ; attempt++) {
        try {
          await server.listen();
          break;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EADDRNOTAVAIL' && attempt < 50 && !o.signal.aborted) {
            await new Promise((r) => setTimeout(r, 100));
            continue;
          }
          throw new Error(`cluster DNS cannot listen on ${o.address}:${o.port ?? 53} (${code ?? (err as Error).message})${code === 'EADDRINUSE' ? ': another DNS server holds that port on every address' : ''}`, { cause: err });
        }
      }
      o.log.info('cluster DNS listening', { address: o.address, zone: o.zone, upstreams: o.host.nameservers, from: o.host.path });
      return server;
    },
  };
}
