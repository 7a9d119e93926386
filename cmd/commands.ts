import { hostname } from 'node:os';
import type { FlagDef, FlagValues } from './flags.ts';
import { defaultDataDir } from './paths.ts';

/**
 * One row per `skiff <command>`. The table holds only metadata and flag definitions so that help
 * and `skiff version` never load the server; `load` imports the implementation on demand
 * (esbuild turns it into a lazy require inside the bundle).
 */
export interface Command {
  name: string;
  summary: string;
  usage?: string;
  flags: FlagDef[];
  /** Longer help shown after the flags. */
  details?: string;
  load(): Promise<{ run(flags: FlagValues, args: string[]): Promise<number> }>;
}

const logLevel: FlagDef = { name: 'log-level', type: 'string', choices: ['debug', 'info', 'warn', 'error'], default: 'info', help: 'least severe level that is logged' };
const clusterDomain: FlagDef = { name: 'cluster-domain', type: 'string', default: 'cluster.local', help: 'DNS domain of the cluster: services are <svc>.<namespace>.svc.<domain>' };
const resolvConf: FlagDef = { name: 'resolv-conf', type: 'string', default: '/etc/resolv.conf', help: "the host's resolvers: names outside the cluster domain are forwarded to them, and pods with dnsPolicy Default get them" };
const proxyMode: FlagDef = { name: 'proxy-mode', type: 'string', choices: ['auto', 'iptables', 'userspace'], default: 'auto', help: "how the node proxies service traffic: the kernel's NAT rules (iptables), TCP relays in skiff (userspace), or iptables where it runs (auto)" };
const ingressFlags: FlagDef[] = [
  { name: 'ingress-http-port', type: 'number', default: 80, help: "host port where the node's ingress proxy serves HTTP" },
  { name: 'ingress-https-port', type: 'number', default: 443, help: "host port where the node's ingress proxy serves HTTPS" },
  { name: 'disable-ingress', type: 'boolean', default: false, help: 'serve no Ingress traffic on this node' },
];
const dataDir: FlagDef = { name: 'data-dir', type: 'string', default: defaultDataDir, defaultText: '/var/lib/skiff as root, else ~/.local/share/skiff', help: 'folder for the state store, certificates and node state' };

export const serverFlags: FlagDef[] = [
  dataDir,
  { name: 'https-listen-port', type: 'number', default: 6443, help: 'port of the Kubernetes API (HTTPS)' },
  { name: 'bind-address', type: 'string', default: '0.0.0.0', help: 'address the API listens on' },
  { name: 'write-kubeconfig', type: 'string', help: 'also write the admin kubeconfig to this path' },
  { name: 'tls-san', type: 'string', help: 'more host names or IPs (comma-separated) the API certificate is valid for, e.g. the name agents join with' },
  { name: 'node-name', type: 'string', default: () => hostname().toLowerCase(), defaultText: 'the hostname', help: "name of this machine's node" },
  { name: 'disable-agent', type: 'boolean', default: false, help: 'run only the control plane, no node agent' },
  { name: 'cluster-cidr', type: 'string', default: '10.42.0.0/16', help: 'IPv4 /16 for pod addresses; each node gets a /24 of it' },
  { name: 'service-cidr', type: 'string', default: '10.43.0.0/16', help: 'IPv4 range of service cluster IPs; the kubernetes service gets its .1' },
  { name: 'service-node-port-range', type: 'string', default: '30000-32767', help: 'ports NodePort and LoadBalancer services get on every node' },
  clusterDomain,
  resolvConf,
  proxyMode,
  ...ingressFlags,
  { name: 'default-unreachable-toleration-seconds', type: 'number', default: 300, help: 'how long pods stay on an unreachable node before they are evicted' },
  { name: 'default-not-ready-toleration-seconds', type: 'number', default: 300, help: 'how long pods stay on a not-ready node before they are evicted' },
  logLevel,
];

export const commands: Command[] = [
  {
    name: 'server',
    summary: 'run a cluster: API server, state store, scheduler, controllers and a node agent',
    flags: serverFlags,
    load: () => import('./server.ts'),
  },
  {
    name: 'agent',
    summary: 'join this machine to a cluster as a node',
    usage: 'skiff agent --server URL --token TOKEN [--node-name NAME]\n       skiff agent --kubeconfig FILE [--server URL] [--node-name NAME]',
    flags: [
      { name: 'server', type: 'string', help: 'URL of the API server, https://host:6443 (default with --kubeconfig or stored credentials: theirs)' },
      { name: 'token', type: 'string', help: "join token: the server's <data-dir>/server/node-token, or one from skiff token create" },
      { name: 'kubeconfig', type: 'string', help: 'join with these credentials instead of a token, e.g. a copy of the server\'s <data-dir>/server/admin.kubeconfig' },
      { name: 'node-name', type: 'string', default: () => hostname().toLowerCase(), defaultText: 'the hostname', help: "name of this machine's node" },
      clusterDomain,
      resolvConf,
      proxyMode,
      ...ingressFlags,
      dataDir,
      logLevel,
    ],
    details: [
      'With --token the agent checks the server against the CA hash in the token (SK10<hash>::…), then',
      'trades the token for a client certificate of node NAME, kept in <data-dir>/agent/node.kubeconfig:',
      'later starts reuse it and need no token, and renew it when it expires within 90 days.',
    ].join('\n'),
    load: () => import('./agent.ts'),
  },
  {
    name: 'token',
    summary: 'create, list and delete join tokens of a running server',
    usage: 'skiff token create [--ttl 24h] [--description TEXT] | list | delete ID',
    flags: [
      { name: 'ttl', type: 'string', default: '24h', help: 'create: the token expires after this long (e.g. 24h, 90m; 0: never)', noEnv: true },
      { name: 'description', type: 'string', help: 'create: what the token is for, shown by list', noEnv: true },
      { name: 'kubeconfig', type: 'string', defaultText: '<data-dir>/server/admin.kubeconfig', help: 'admin credentials of the server' },
      dataDir,
    ],
    details: [
      'Tokens are kube-system Secrets bootstrap-token-<id> (type bootstrap.kubernetes.io/token) holding a',
      "hash of the token's secret; the server refuses expired and deleted tokens. create prints the whole",
      "token (SK10<CA hash>::<id>.<secret>) once. The server's own node-token is listed too, and is",
      'registered again at every start (delete <data-dir>/server/node-token and restart to replace it).',
    ].join('\n'),
    load: () => import('./token.ts'),
  },
  {
    name: 'dashboard',
    summary: 'live terminal UI of the cluster',
    flags: [{ name: 'kubeconfig', type: 'string', help: 'kubeconfig to use (default: $KUBECONFIG, ~/.kube/config)' }],
    load: () => import('./dashboard.ts'),
  },
  {
    name: 'store',
    summary: 'inspect and maintain the state store of a stopped server (like etcdctl)',
    usage: 'skiff store stats|get KEY|list PREFIX|put KEY VALUE|delete KEY|compact [REVISION]',
    flags: [dataDir, { name: 'limit', type: 'number', default: 0, help: 'list: at most this many keys (0: all)' }],
    details: [
      'The store is locked by a running server: stop it first. `put` and `delete` bypass the API',
      '(no defaults, no validation): they are for repairs, not for managing workloads.',
    ].join('\n'),
    load: () => import('./store.ts'),
  },
  {
    name: 'images',
    summary: 'import container images from archives (air-gapped machines)',
    usage: 'skiff images import FILE.tar [FILE.tar …]',
    flags: [],
    details: 'Archives are what `docker save` writes. Archives in <data-dir>/agent/images are imported when the agent starts.',
    load: () => import('./images.ts'),
  },
  {
    name: 'killall',
    summary: "stop and remove every container, network, mount and iptables chain of this machine's skiff nodes",
    flags: [dataDir, { name: 'node-name', type: 'string', help: 'only this node (default: every skiff node on this Docker engine)' }],
    details: 'Stop skiff first (systemctl stop skiff): a running agent recreates its pods.',
    load: () => import('./killall.ts'),
  },
  {
    name: 'version',
    summary: 'print the version',
    flags: [],
    load: () => import('./version.ts'),
  },
];
