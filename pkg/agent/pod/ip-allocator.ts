/**
 * Pod addresses from the node's pod CIDR (an IPv4 /16–/30 such as 10.42.3.0/24). The network
 * address, the gateway (first host, the bridge) and the broadcast address are never handed out.
 * State is in memory: a restarted agent re-marks the addresses of the sandboxes it adopts.
 */
export class IpAllocator {
  private readonly base: number;
  private readonly size: number;
  private readonly used = new Map<number, string>();
  private next = 2;

  constructor(readonly cidr: string) {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
    const bits = Number(m?.[5]);
    if (!m || bits < 16 || bits > 30 || m.slice(1, 5).some((o) => Number(o) > 255)) throw new Error(`pod CIDR must be an IPv4 /16 to /30, got ${JSON.stringify(cidr)}`);
    this.size = 2 ** (32 - bits);
    const addr = toNumber(m.slice(1, 5).join('.'));
    this.base = addr - (addr % this.size);
  }

  /** The bridge's address: first host of the range. */
  get gateway(): string {
    return toIp(this.base + 1);
  }

  /** A free address for `owner` (its pod uid); the same one again if it already has one. */
  allocate(owner: string): string {
    for (const [n, o] of this.used) if (o === owner) return toIp(this.base + n);
    for (let i = 0; i < this.size - 3; i++) {
      const n = 2 + ((this.next - 2 + i) % (this.size - 3));
      if (!this.used.has(n)) {
        this.used.set(n, owner);
        this.next = n + 1; // round robin, so a freed address is not reused at once
        return toIp(this.base + n);
      }
    }
    throw new Error(`no free pod address left in ${this.cidr}`);
  }

  /** Marks `ip` as taken by `owner` (adoption after a restart); false if outside the range or taken by another. */
  claim(ip: string, owner: string): boolean {
    const n = toNumber(ip) - this.base;
    if (n < 2 || n >= this.size - 1) return false;
    const o = this.used.get(n);
    if (o !== undefined && o !== owner) return false;
    this.used.set(n, owner);
    return true;
  }

  release(owner: string): void {
    for (const [n, o] of this.used) if (o === owner) this.used.delete(n);
  }

  get inUse(): number {
    return this.used.size;
  }
}

const toIp = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
const toNumber = (ip: string) => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
