import { createHash, timingSafeEqual } from 'node:crypto';
import type { KObject } from '../../types/index.ts';
import { bootstrapNamespace } from './bootstrap-secret.ts';

// Node passwords, after k3s's (pkg/nodepassword): each agent keeps a random password and sends it
// with its join; the server keeps its hash in kube-system/<node>.node-password.skiff. A second
// machine that joins under a name already held by a live node with another password is refused —
// two Raspberry Pis that both call themselves "raspberrypi" must not become one node.

export const nodePasswordSuffix = '.node-password.skiff';
export const nodePasswordSecretName = (node: string) => `${node}${nodePasswordSuffix}`;
/** Longest node name whose password Secret name still fits in 253 characters. */
export const maxJoinNodeName = 253 - nodePasswordSuffix.length;

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** The Secret holding the hash of `password` for `node` (the password has 128 random bits or more). */
export function nodePasswordSecret(node: string, password: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: nodePasswordSecretName(node), namespace: bootstrapNamespace },
    type: 'skiff.io/node-password',
    data: { hash: Buffer.from(sha256(password).toString('hex')).toString('base64') },
  };
}

/**
 * Whether a join of `node` with `password` may go on, given its stored password Secret and whether
 * the Node exists: the same password always may (`save: false`); a different or missing record may
 * only when no Node of that name exists (`save: true`: the record is written anew). Otherwise the
 * reason, for a 403.
 */
export function checkNodePassword(node: string, password: string, stored: KObject | undefined, nodeExists: boolean): { save: boolean } | { refused: string } {
  if (stored && matches(stored, password)) return { save: false };
  if (!nodeExists) return { save: true };
  const how = stored ? 'was joined by another machine (its node password differs)' : 'was not joined with a join token';
  return { refused: `node "${node}" already exists and ${how}: pick another --node-name, or delete the node (kubectl delete node ${node}) to let this machine take the name` };
}

function matches(secret: KObject, password: string): boolean {
  const raw = (secret.data as Record<string, unknown> | undefined)?.hash;
  if (typeof raw !== 'string') return false;
  const stored = Buffer.from(Buffer.from(raw, 'base64').toString('utf8'), 'hex');
  const given = sha256(password);
  return stored.length === given.length && timingSafeEqual(stored, given);
}
