import { existsSync, readFileSync } from 'node:fs';

/** The parts of a resolv.conf(5) that matter to pods and to forwarding. */
export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  options: string[];
}

/** Reads resolv.conf text the way glibc does: the last `search` or `domain` line wins; options accumulate. */
export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { nameservers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (!line) continue;
    const [key, ...values] = line.split(/\s+/);
    if (key === 'nameserver' && values[0]) out.nameservers.push(values[0]);
    else if (key === 'search') out.searches = values;
    else if (key === 'domain' && values[0]) out.searches = [values[0]];
    else if (key === 'options') out.options.push(...values);
  }
  return out;
}

export function formatResolvConf(c: ResolvConf): string {
  return [
    ...c.nameservers.map((n) => `nameserver ${n}`),
    ...(c.searches.length ? [`search ${c.searches.join(' ')}`] : []),
    ...(c.options.length ? [`options ${c.options.join(' ')}`] : []),
  ].join('\n') + '\n';
}

export const isLoopback = (ip: string) => /^127\./.test(ip) || ip === '::1' || ip === '0.0.0.0';

/** The host's DNS setup as the agent sees it, and where it came from. */
export interface HostDns extends ResolvConf {
  path: string;
}

const systemdResolved = '/run/systemd/resolve/resolv.conf';

/**
 * The host's resolvers, chosen as k3s does: `path` (the kubelet's --resolv-conf, /etc/resolv.conf by
 * default), unless it names only loopback servers (a stub such as systemd-resolved's 127.0.0.53)
 * and systemd-resolved's list of real upstreams exists, which is then used instead. A missing file
 * is an empty configuration (glibc then asks 127.0.0.1).
 */
export function hostDns(path = '/etc/resolv.conf', fallback = systemdResolved): HostDns {
  const read = (p: string) => (existsSync(p) ? parseResolvConf(readFileSync(p, 'utf8')) : { nameservers: [], searches: [], options: [] });
  const conf = read(path);
  if (conf.nameservers.length && conf.nameservers.every(isLoopback) && path !== fallback && existsSync(fallback)) {
    const real = read(fallback);
    if (real.nameservers.some((n) => !isLoopback(n))) return { ...real, path: fallback };
  }
  return { ...conf, path };
}
