import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export interface Payload {
  /** Relative path inside the volume (may contain '/'). */
  path: string;
  data: Buffer;
  mode: number;
}

/**
 * Writes a configMap/secret/downwardAPI/projected volume so that a change appears to the
 * container all at once, as the kubelet's AtomicWriter does: the files go to a fresh hidden
 * directory, `..data` is switched to it with one rename, and each top-level entry is a symlink
 * through `..data`. Readers never see a half-written set. Returns false when nothing changed.
 */
export function writeAtomically(dir: string, payload: Payload[], now = new Date()): boolean {
  mkdirSync(dir, { recursive: true });
  const dataLink = join(dir, '..data');
  const current = existsSync(dataLink) ? join(dir, readlinkSync(dataLink)) : undefined;
  if (current && sameContent(current, payload)) return false;

  const stamp = now.toISOString().replace(/[-:]/g, '_').replace('T', '_').replace('Z', '');
  let target = join(dir, `..${stamp}`);
  for (let i = 1; existsSync(target); i++) target = join(dir, `..${stamp}.${i}`);
  mkdirSync(target, { mode: 0o755 });
  for (const p of payload) {
    const file = join(target, p.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, p.data);
    chmodSync(file, p.mode);
  }

  const tmpLink = join(dir, '..data_tmp');
  rmSync(tmpLink, { force: true });
  symlinkSync(relative(dir, target), tmpLink);
  renameSync(tmpLink, dataLink);

  const tops = new Set(payload.map((p) => p.path.split('/')[0]!));
  for (const top of tops) {
    const link = join(dir, top);
    if (!isSymlink(link)) symlinkSync(join('..data', top), link);
  }
  // Entries gone from the payload, and the previous data directory.
  for (const e of readdirSync(dir)) {
    if (e.startsWith('..')) continue;
    if (!tops.has(e)) rmSync(join(dir, e), { recursive: true, force: true });
  }
  if (current && current !== target) rmSync(current, { recursive: true, force: true });
  return true;
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function sameContent(dir: string, payload: Payload[]): boolean {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else files.push(relative(dir, join(d, e.name)));
    }
  };
  walk(dir);
  if (files.length !== payload.length) return false;
  for (const p of payload) {
    const file = join(dir, p.path);
    try {
      const st = lstatSync(file);
      if ((st.mode & 0o7777) !== p.mode) return false;
      if (!p.data.equals(readFileSync(file))) return false;
    } catch {
      return false;
    }
  }
  return true;
}
