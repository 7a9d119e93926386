import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../util/index.ts';
import { admits, bootstrapNamespace, bootstrapSecretName, checkNodePassword, issueLeaf, maxJoinNodeName, nodePasswordSecret, nodePasswordSecretName, parseBootstrapToken, type CertKeyPair, type ObjectLookup } from '../auth/index.ts';
import type { UserInfo } from '../request.ts';
import { badRequest, forbidden, invalid, methodNotAllowed, toStatus, unauthorized } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { dns1123Subdomain, invalidValue } from '../validation/index.ts';
import { readBody } from './body.ts';
import { sendJson, sendStatus } from './respond.ts';

// The two endpoints a machine needs before it has credentials (k3s serves the same on its
// supervisor port): GET /cacerts, which anyone may read, and POST /v1-skiff/join, where a join
// token buys node credentials (or a node's still valid certificate buys fresh ones). Both are
// answered before request authentication.

export const cacertsPath = '/cacerts';
export const joinPath = '/v1-skiff/join';
export const nodeCredentialsKind = { apiVersion: 'skiff.io/v1', kind: 'NodeCredentials' } as const;

/** The answer to a join: a client certificate for `system:node:<nodeName>` and its CA, all PEM. */
export interface NodeCredentials {
  apiVersion: 'skiff.io/v1';
  kind: 'NodeCredentials';
  nodeName: string;
  caCert: string;
  clientCert: string;
  clientKey: string;
}

export interface JoinEndpointDeps {
  /** The cluster CA: its PEM is what /cacerts serves (and what join tokens hash), its key signs node certificates. */
  ca: CertKeyPair;
  /** Reads kube-system Secrets (bootstrap tokens). */
  lookup: ObjectLookup;
  /** Creates or replaces a kube-system Secret (node passwords). */
  saveSecret(secret: KObject): Promise<void>;
  /** The API's authenticator: a node's own client certificate renews its credentials without a token. */
  authenticate?: (req: IncomingMessage) => Promise<UserInfo | undefined>;
  log: Logger;
  now?: () => Date;
}

/**
 * Returns a request handler that answers /cacerts and /v1-skiff/join and returns false for any
 * other path (for the API to serve). A join needs `Authorization: Bearer <id>.<secret>` naming a
 * live bootstrap token (else 401, one message for every cause, as kube-apiserver) and a body
 * `{"nodeName": "<DNS subdomain>", "nodePassword": "…"}` (else 400 or 422); a name held by a
 * live node that joined with another password (or without a token) is refused with 403. A request without Authorization whose
 * client certificate is node N's renews N's credentials (another name: 403). Never throws;
 * every failure is a Status.
 */
export function joinEndpoints(deps: JoinEndpointDeps): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const now = deps.now ?? (() => new Date());
  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== cacertsPath && path !== joinPath) return false;
    try {
      if (path === cacertsPath) {
        if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed();
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(deps.ca.cert) });
        res.end(req.method === 'HEAD' ? undefined : deps.ca.cert);
        return true;
      }
      if (req.method !== 'POST') throw methodNotAllowed();
      sendJson(res, 200, await join(deps, req, now()));
    } catch (err) {
      sendStatus(res, toStatus(err, (e) => deps.log.error('join failed', { err: e })));
    }
    return true;
  };
}

async function join(deps: JoinEndpointDeps, req: IncomingMessage, at: Date): Promise<NodeCredentials> {
  // Without an Authorization header, a node renews with its current certificate.
  const renewing = req.headers.authorization === undefined ? await deps.authenticate?.(req) : undefined;
  const token = parseBootstrapToken(/^\s*bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1] ?? '');
  const refused = unauthorized('Unauthorized: the join token is unknown, expired or deleted');
  if (!renewing) {
    if (!token) throw refused;
    const secret = await deps.lookup('Secret', bootstrapNamespace, bootstrapSecretName(token.id));
    if (!admits(secret, token, at)) throw refused;
  }
  const { nodeName, nodePassword } = readJoinBody(await readBody(req, 64 * 1024), !renewing);
  const errors = dns1123Subdomain('nodeName', nodeName);
  if (nodeName.length > maxJoinNodeName) errors.push(invalidValue('nodeName', nodeName, `must be no more than ${maxJoinNodeName} characters`));
  if (errors.length) throw invalid('', 'Node', nodeName, errors);
  if (renewing && (renewing.name !== `system:node:${nodeName}` || !renewing.groups.includes('system:nodes'))) {
    throw forbidden(`User "${renewing.name}" cannot renew the credentials of node "${nodeName}": a node renews only its own`);
  }
  if (!renewing) {
    const stored = await deps.lookup('Secret', bootstrapNamespace, nodePasswordSecretName(nodeName));
    const verdict = checkNodePassword(nodeName, nodePassword!, stored, (await deps.lookup('Node', '', nodeName)) !== undefined);
    if ('refused' in verdict) throw forbidden(verdict.refused);
    if (verdict.save) await deps.saveSecret(nodePasswordSecret(nodeName, nodePassword!));
  }
  const cert = await issueLeaf(deps.ca, { commonName: `system:node:${nodeName}`, organizations: ['system:nodes'], usage: 'client' }, at);
  deps.log.info(renewing ? 'node credentials renewed' : 'node joined', { node: nodeName, ...(token && !renewing && { token: token.id }) });
  return { ...nodeCredentialsKind, nodeName, caCert: deps.ca.cert, clientCert: cert.cert, clientKey: cert.key };
}

const bodyShape = '{"nodeName": "<name>", "nodePassword": "<32 or more characters>"}';

// The password is needed to join, not to renew (the certificate proves the node then).
function readJoinBody(raw: Buffer, needPassword: boolean): { nodeName: string; nodePassword?: string } {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw badRequest(`the join request body must be JSON: ${bodyShape}`);
  }
  const fields = body && typeof body === 'object' && !Array.isArray(body) ? (body as { nodeName?: unknown; nodePassword?: unknown }) : {};
  const name = fields.nodeName;
  if (typeof name !== 'string' || name === '') throw badRequest(`the join request body must name the node: ${bodyShape}`);
  const password = fields.nodePassword;
  if (!needPassword) return { nodeName: name };
  if (typeof password !== 'string' || password.length < 32) throw badRequest(`the join request body must carry the node's password: ${bodyShape}`);
  return { nodeName: name, nodePassword: password };
}
