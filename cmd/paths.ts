import { homedir } from 'node:os';
import { join } from 'node:path';

const isRoot = () => process.getuid?.() === 0;

/** Where a server or agent keeps its state: /var/lib/skiff as root, else ~/.local/share/skiff. */
export function defaultDataDir(): string {
  if (isRoot()) return '/var/lib/skiff';
  return join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'skiff');
}

export const storeFile = (dataDir: string) => join(dataDir, 'db', 'state.db');
