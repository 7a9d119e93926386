/** The service IP range (--service-cidr) and node port range (--service-node-port-range). */

export interface ServiceRanges {
  /** First and last address of the CIDR as 32-bit integers (network and broadcast included). */
  ipBase: number;
  ipLast: number;
  /** The CIDR as the user wrote it, for messages. */
  cidr: string;
  portFirst: number;
  portLast: number;
}

export const defaultServiceCIDR = '10.43.0.0/16';
export const defaultNodePortRange = '30000-32767';

const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** An IPv4 address in dotted form as an unsigned integer; undefined when it is not one. */
export function ipToInt(ip: string): number | undefined {
  const m = ipv4.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p, i) => p > 255 || (m[i + 1]!.length > 1 && m[i + 1]!.startsWith('0')))) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export const intToIp = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** Parses both flags; throws an Error naming the flag for a value that is not usable. */
export function serviceRanges(cidr = defaultServiceCIDR, ports = defaultNodePortRange): ServiceRanges {
  const [addr, bitsText] = cidr.split('/');
  const base = ipToInt(addr ?? '');
  const bits = Number(bitsText);
  // At least 8 addresses: network, the kubernetes service, broadcast and some room.
  if (base === undefined || !/^\d+$/.test(bitsText ?? '') || bits < 8 || bits > 29) {
    throw new Error(`--service-cidr must be an IPv4 CIDR between /8 and /29 such as ${defaultServiceCIDR}, got ${JSON.stringify(cidr)}`);
  }
  const size = 2 ** (32 - bits);
  if (base % size !== 0) throw new Error(`--service-cidr ${cidr} has host bits set (the network is ${intToIp(base - (base % size))}/${bits})`);
  const m = /^(\d+)-(\d+)$/.exec(ports);
  const first = Number(m?.[1]);
  const last = Number(m?.[2]);
  if (!m || first < 1 || last > 65535 || first > last) {
    throw new Error(`--service-node-port-range must be FIRST-LAST within 1-65535 such as ${defaultNodePortRange}, got ${JSON.stringify(ports)}`);
  }
  return { ipBase: base, ipLast: base + size - 1, cidr, portFirst: first, portLast: last };
}

/** The address the `kubernetes` service gets: the range's first host address (.1). */
export const kubernetesServiceIP = (r: ServiceRanges): string => intToIp(r.ipBase + 1);
