import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { getAsset, getRawAsset, isSea } from 'node:sea'; // static: import() of a builtin breaks the SEA code cache

/** Asset keys written by build.mjs. The hash asset saves hashing 2 MB on every start. */
export const sqliteAddonAsset = 'better_sqlite3.node';
const sqliteAddonHashAsset = 'better_sqlite3.node.sha256';

/** A native addon cannot be extracted (directory missing permissions, read-only, full disk). */
export class NativeExtractError extends Error {
  override name = 'NativeExtractError';
  readonly code = 'SKIFF_NATIVE_EXTRACT';
}

/**
 * Where extracted addons live: `$SKIFF_NATIVE_DIR`, else /var/lib/skiff/native as root, else
 * `${XDG_CACHE_HOME:-~/.cache}/skiff/native`. It must not be on a `noexec` mount: the addon is
 * dlopen()ed from there.
 */
export function nativeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SKIFF_NATIVE_DIR) return env.SKIFF_NATIVE_DIR;
  if (process.getuid?.() === 0) return '/var/lib/skiff/native';
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'skiff', 'native');
}

/**
 * Writes `bytes` to `<dir>/<stem>-<hash16><ext>` unless that file already exists, and returns its
 * path. The write is atomic (temporary file + rename), so concurrent first runs of several
 * processes are safe and a crash never leaves a truncated addon behind under the final name.
 * The content hash in the name means a new build never reuses an older build's file.
 */
export function extractFile(bytes: Uint8Array, name: string, dir: string, hash?: string): string {
  const h = (hash ?? createHash('sha256').update(bytes).digest('hex')).slice(0, 16);
  const dot = name.lastIndexOf('.');
  const file = join(dir, dot > 0 ? `${name.slice(0, dot)}-${h}${name.slice(dot)}` : `${name}-${h}`);
  if (existsSync(file)) return file;
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    accessSync(dir, constants.W_OK);
    writeFileSync(tmp, bytes, { mode: 0o755 });
    renameSync(tmp, file);
  } catch (err) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // the directory itself is the problem; reported below
    }
    const e = err as NodeJS.ErrnoException;
    throw new NativeExtractError(
      `cannot extract the native addon ${name} to ${dir}: ${e.code ?? e.message}. ` +
        'Set SKIFF_NATIVE_DIR to a writable directory that is not mounted noexec.',
      { cause: err },
    );
  }
  return file;
}

let extracted: string | undefined;

/**
 * The path to pass as better-sqlite3's `nativeBinding` option.
 *
 * Outside the single executable (tsx, vitest) it returns undefined and better-sqlite3 finds the
 * addon in node_modules itself. Inside it, the addon embedded by build.mjs is extracted once per
 * process (and once per build on disk) to {@link nativeCacheDir}. The bundled better-sqlite3 loads
 * that path with a real `require` (build.mjs patches it), because the SEA's own `require` only
 * knows builtins. Throws {@link NativeExtractError} when the directory is not writable.
 */
export function sqliteNativeBinding(): string | undefined {
  if (!isSea()) return undefined;
  if (extracted) return extracted;
  const bytes = new Uint8Array(getRawAsset(sqliteAddonAsset));
  let hash: string | undefined;
  try {
    hash = (getAsset(sqliteAddonHashAsset, 'utf8') as string).trim();
  } catch {
    hash = undefined;
  }
  extracted = extractFile(bytes, sqliteAddonAsset, nativeCacheDir(), hash);
  return extracted;
}
