import { readFileSync, statfsSync } from 'node:fs';
import { arch, cpus, hostname, networkInterfaces, release, totalmem, freemem } from 'node:os';

/** What the node agent reads about its machine for the Node object. Injectable for tests. */
export interface MachineFacts {
  hostname: string;
  internalIP: string;
  cpus: number;
  memoryBytes: number;
  freeMemoryBytes: number;
  /** Size and free space of the filesystem holding the data dir. */
  diskBytes: number;
  freeDiskBytes: number;
  kernelVersion: string;
  osImage: string;
  architecture: string;
  machineID: string;
  bootID: string;
  pids: { max: number; used: number };
}

export function readMachineFacts(dataDir: string): MachineFacts {
  const fs = statfsSync(dataDir);
  return {
    hostname: hostname().toLowerCase(),
    internalIP: primaryAddress(),
    cpus: cpus().length,
    memoryBytes: totalmem(),
    freeMemoryBytes: availableMemory() ?? freemem(),
    diskBytes: fs.blocks * fs.bsize,
    freeDiskBytes: fs.bavail * fs.bsize,
    kernelVersion: release(),
    osImage: osImage(),
    architecture: arch() === 'x64' ? 'amd64' : arch(),
    machineID: readTrimmed('/etc/machine-id'),
    bootID: readTrimmed('/proc/sys/kernel/random/boot_id'),
    pids: { max: Number(readTrimmed('/proc/sys/kernel/pid_max')) || 32768, used: countPids() },
  };
}

/** The first non-internal IPv4 address, else 127.0.0.1 (a laptop with no network still runs pods). */
export function primaryAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

function osImage(): string {
  const text = readTrimmed('/etc/os-release');
  const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text);
  return m?.[1] ?? 'Linux';
}

function availableMemory(): number | undefined {
  const m = /^MemAvailable:\s+(\d+) kB$/m.exec(readTrimmed('/proc/meminfo'));
  return m ? Number(m[1]) * 1024 : undefined;
}

function countPids(): number {
  const m = /^\S+ \S+ \S+ \d+\/(\d+)/.exec(readTrimmed('/proc/loadavg'));
  return m ? Number(m[1]) : 0;
}

function readTrimmed(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}
