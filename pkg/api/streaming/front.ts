import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiHandler, UserInfo } from '../request.ts';
import type { ResourceDef } from '../resource.ts';
import { methodNotAllowed } from '../status.ts';
import type { TunnelRegistry } from '../tunnel/index.ts';
import { serveExec } from './exec.ts';
import { serveLogs } from './logs.ts';
import { servePortForward } from './portforward.ts';
import { readPod } from './target.ts';
import { serveTunnel } from './tunnel-endpoint.ts';
import type { Upgrade } from './upgrade.ts';
import { tunnelPath } from '../tunnel/index.ts';

export interface StreamingRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  user: UserInfo;
  up?: Upgrade;
}

/**
 * The API's streaming endpoints: the agents' tunnel and the pod subresources that travel through
 * it (log, exec, attach, portforward). serve.ts hands requests here; all errors are thrown as
 * Statuses for its one chokepoint.
 */
export interface StreamingFront {
  tunnels: TunnelRegistry;
  /** True when `pathname` is the agents' tunnel endpoint. */
  isTunnel(pathname: string): boolean;
  serveTunnel(r: StreamingRequest): Promise<void>;
  /** True for the pod subresources served here. */
  handles(def: ResourceDef, subresource: string | undefined): boolean;
  servePod(r: StreamingRequest & { def: ResourceDef; namespace?: string; name: string; subresource: string }): Promise<void>;
}

const podStreams = new Set(['log', 'exec', 'attach', 'portforward']);

export function streamingFront(handler: ApiHandler, tunnels: TunnelRegistry): StreamingFront {
  return {
    tunnels,
    isTunnel: (p) => p === tunnelPath,
    serveTunnel: ({ req, res, url, user, up }) => {
      if (req.method !== 'GET') throw methodNotAllowed();
      return serveTunnel(tunnels, req, res, url.searchParams, user, up);
    },
    handles: (def, sub) => def.group === '' && def.plural === 'pods' && sub !== undefined && podStreams.has(sub),
    async servePod({ req, res, url, user, up, def, namespace, name, subresource }) {
      const method = req.method ?? 'GET';
      // log is GET only; the others take GET (WebSocket) and POST (SPDY), as upstream.
      if (method !== 'GET' && (subresource === 'log' || method !== 'POST')) throw methodNotAllowed();
      const pod = await readPod(handler, def, namespace, name, user);
      const q = url.searchParams;
      switch (subresource) {
        case 'log':
          return serveLogs(tunnels, pod, q, res);
        case 'exec':
        case 'attach':
          return serveExec(tunnels, pod, subresource, req, res, q, up);
        case 'portforward':
          return servePortForward(tunnels, pod, req, res, up);
        default:
          throw methodNotAllowed();
      }
    },
  };
}
