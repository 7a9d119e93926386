import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { chainPrefix, tagOf } from './chains.ts';
import type { Jump } from './rules.ts';

const run = promisify(execFile);
const tables = ['nat', 'filter'] as const;

/** Chains and rules of one table as iptables-save prints them. */
export interface SavedTable {
  chains: string[];
  /** `-A CHAIN …` lines, verbatim. */
  rules: string[];
}

/**
 * The iptables commands of the host (or, with `prefix`, of another network namespace: tests run
 * them under `ip netns exec`). Every call waits for the xtables lock (`-w`) rather than failing
 * when Docker holds it. Errors carry the command's stderr.
 */
export class Iptables {
  constructor(private readonly prefix: string[] = []) {}

  /** True when iptables, iptables-save and iptables-restore all run (the proxy's mode choice). */
  async available(): Promise<boolean> {
    try {
      await this.exec('iptables-save', ['-t', 'nat']);
      await this.exec('iptables-restore', ['--version']);
      await this.exec('iptables', ['-w', '-t', 'nat', '-S', 'OUTPUT']);
      return true;
    } catch {
      return false;
    }
  }

  async save(table: 'nat' | 'filter'): Promise<SavedTable> {
    const out = await this.exec('iptables-save', ['-t', table]);
    const chains: string[] = [];
    const rules: string[] = [];
    for (const line of out.split('\n')) {
      if (line.startsWith(':')) chains.push(line.slice(1).split(' ')[0]!);
      else if (line.startsWith('-A ')) rules.push(line);
    }
    return { chains, rules };
  }

  /** Applies restore input atomically, leaving every chain it does not name alone. */
  async restore(text: string): Promise<void> {
    const [cmd, ...pre] = [...this.prefix, 'iptables-restore'];
    await new Promise<void>((resolve, reject) => {
      const child = spawn(cmd!, [...pre, '-w', '--noflush'], { stdio: ['pipe', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`iptables-restore failed (${code}): ${err.trim()}`))));
      child.stdin.end(text);
    });
  }

  /** Puts `jump` first in its built-in chain unless an identical rule is there already. */
  async ensureJump(jump: Jump): Promise<void> {
    try {
      await this.exec('iptables', ['-w', '-t', jump.table, '-C', jump.chain, ...jump.args]);
    } catch {
      await this.exec('iptables', ['-w', '-t', jump.table, '-I', jump.chain, '1', ...jump.args]);
    }
  }

  /**
   * Removes skiff's chains of the tags `which` accepts, and the rules of other chains (built-in
   * ones, Docker's DOCKER-USER) that jump to them, in one restore per table. Returns the number of chains removed.
   */
  async removeChains(which: (tag: string) => boolean): Promise<number> {
    let removed = 0;
    for (const table of tables) {
      const saved = await this.save(table);
      const mine = saved.chains.filter((c) => c.startsWith(chainPrefix) && which(tagOf(c) ?? ''));
      if (!mine.length) continue;
      const doomed = new Set(mine);
      const jumps = saved.rules.filter((r) => {
        const [, chain] = r.split(' ');
        const target = / -j (\S+)/.exec(r)?.[1];
        return !doomed.has(chain!) && target !== undefined && doomed.has(target);
      });
      const text = [`*${table}`, ...jumps.map((r) => `-D${r.slice(2)}`), ...mine.map((c) => `:${c} - [0:0]`), ...mine.map((c) => `-X ${c}`), 'COMMIT', ''].join('\n');
      await this.restore(text);
      removed += mine.length;
    }
    return removed;
  }

  private async exec(cmd: string, args: string[]): Promise<string> {
    const [bin, ...pre] = [...this.prefix, cmd];
    try {
      return (await run(bin!, [...pre, ...args], { maxBuffer: 64 << 20 })).stdout;
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`${cmd} ${args.join(' ')}: ${(e.stderr ?? '').trim() || e.message}`, { cause: err });
    }
  }
}
