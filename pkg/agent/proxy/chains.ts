import { createHash } from 'node:crypto';

/**
 * Names of one node's iptables chains. Every chain carries the node's tag (the 8 hex digits its
 * pod bridge is named after), because several skiff nodes can share one kernel (joined agents on
 * one machine, tests side by side) and must never rewrite each other's chains. Chain names are
 * limited to 28 characters: `SKIFF-<tag>-SVC-` plus 9 base32 digits of a hash.
 */
export interface Chains {
  tag: string;
  /** nat: entry from PREROUTING (this node's pods, and local destinations) and OUTPUT. */
  services: string;
  /** nat: node ports, jumped to for local destinations at the end of `services`. */
  nodePorts: string;
  /** nat: masquerades what `markMasq` marked. */
  postrouting: string;
  markMasq: string;
  /** filter: REJECT for cluster IPs without backends (from FORWARD and OUTPUT). */
  filterServices: string;
  /** filter: REJECT/DROP for node ports and external IPs without (local) backends (from INPUT). */
  filterExternal: string;
  /** filter: accepts forwarded service traffic Docker's FORWARD policy would drop. */
  forward: string;
  /** nat per service port: all backends; external traffic; local backends only. */
  svc(name: string): string;
  ext(name: string): string;
  local(name: string): string;
  /** nat per backend of a service port. */
  sep(name: string, ip: string, port: number, protocol: string): string;
}

/** The mark (a bit of skiff's own, not kube-proxy's 0x4000) that asks for masquerade. */
export const masqMark = '0x20000/0x20000';

const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function hash9(text: string): string {
  const d = createHash('sha256').update(text).digest();
  let bits = 0n;
  for (let i = 0; i < 8; i++) bits = (bits << 8n) | BigInt(d[i]!);
  let out = '';
  for (let i = 0; i < 9; i++) out += base32[Number((bits >> BigInt(59 - 5 * i)) & 31n)];
  return out;
}

/** The prefix every skiff chain has; `killall` removes all chains with it. */
export const chainPrefix = 'SKIFF-';

export function chainsFor(tag: string): Chains {
  const p = `${chainPrefix}${tag}-`;
  return {
    tag,
    services: `${p}SERVICES`,
    nodePorts: `${p}NODEPORTS`,
    postrouting: `${p}POSTROUTING`,
    markMasq: `${p}MARK-MASQ`,
    filterServices: `${p}SERVICES`,
    filterExternal: `${p}EXTERNAL`,
    forward: `${p}FORWARD`,
    svc: (name) => `${p}SVC-${hash9(`${tag}/${name}`)}`,
    ext: (name) => `${p}EXT-${hash9(`${tag}/${name}`)}`,
    local: (name) => `${p}SVL-${hash9(`${tag}/${name}`)}`,
    sep: (name, ip, port, protocol) => `${p}SEP-${hash9(`${tag}/${name}/${protocol}/${ip}:${port}`)}`,
  };
}

/** The tag of chains named after `tag` (SKIFF-<tag>-…), or undefined for other chains. */
export function tagOf(chain: string): string | undefined {
  const m = /^SKIFF-([0-9a-f]{8})-/.exec(chain);
  return m?.[1];
}
