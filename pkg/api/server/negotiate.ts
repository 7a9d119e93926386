import type { IncomingMessage } from 'node:http';

/** Media types in an Accept header, with their parameters (`application/json;as=Table;g=…`). */
function acceptList(req: IncomingMessage): { type: string; params: Record<string, string> }[] {
  return (req.headers.accept ?? '').split(',').map((part) => {
    const [type, ...ps] = part.split(';').map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of ps) {
      const i = p.indexOf('=');
      if (i > 0) params[p.slice(0, i).trim()] = p.slice(i + 1).trim();
    }
    return { type: type.toLowerCase(), params };
  });
}

/**
 * The Table version asked for: kubectl get sends `application/json;as=Table;v=v1;g=meta.k8s.io`
 * then the v1beta1 twin; the first one listed that we serve wins, as in apiserver's negotiation.
 */
export function tableVersion(req: IncomingMessage): 'v1' | 'v1beta1' | undefined {
  for (const a of acceptList(req)) {
    if (a.params.as === 'Table' && a.params.g === 'meta.k8s.io' && (a.params.v === 'v1' || a.params.v === 'v1beta1')) return a.params.v;
  }
  return undefined;
}

/** Aggregated discovery, v2 preferred over v2beta1, in the order the client listed them. */
export function wantsAggregated(req: IncomingMessage): 'v2' | 'v2beta1' | undefined {
  for (const a of acceptList(req)) {
    if (a.params.as === 'APIGroupDiscoveryList' && a.params.g === 'apidiscovery.k8s.io' && (a.params.v === 'v2' || a.params.v === 'v2beta1')) return a.params.v;
  }
  return undefined;
}

/** The protobuf media types of /openapi/v2; kube-openapi answers to both spellings. */
const openapiV2ProtobufTypes = ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'];

/**
 * The form of /openapi/v2 to answer with: 'application/json', one of the protobuf media types
 * (client-go asks for protobuf only), the first the client lists; undefined when neither is
 * acceptable.
 */
export function openapiV2Type(req: IncomingMessage): string | undefined {
  if (!req.headers.accept) return 'application/json';
  for (const a of acceptList(req)) {
    if (a.type === 'application/json' || a.type === '*/*' || a.type === 'application/*') return 'application/json';
    if (openapiV2ProtobufTypes.includes(a.type)) return a.type;
  }
  return undefined;
}
