import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Turns on hairpin mode on every port of `bridge` (the kubelet's hairpin-veth mode) and returns
 * how many ports it changed. With br_netfilter, a pod's packet to its own service is DNATed at
 * the bridge and sent back out of the port it came in on, which a bridge refuses unless the
 * port is in hairpin mode. A missing bridge or a port that vanishes meanwhile is not an error.
 */
export function ensureHairpin(bridge: string, sys = '/sys/class/net'): number {
  const dir = join(sys, bridge, 'brif');
  let ports: string[];
  try {
    ports = readdirSync(dir);
  } catch {
    return 0;
  }
  let changed = 0;
  for (const port of ports) {
    const file = join(dir, port, 'hairpin_mode');
    try {
      if (readFileSync(file, 'utf8').trim() === '1') continue;
      writeFileSync(file, '1');
      changed++;
    } catch {
      // The pod went away between the listing and the write.
    }
  }
  return changed;
}
