import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const entry = fileURLToPath(new URL('../../cmd/skiff.ts', import.meta.url));

/** Argv that runs skiff from source on this Node (24 under npm test), through tsx. */
export const skiffFromSource = (args: string[]) => [process.execPath, ['--import', 'tsx', entry, ...args]] as const;

export interface Result { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

export function runSkiff(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Result> {
  const [cmd, argv] = skiffFromSource(args);
  return collect(spawn(cmd, argv, { cwd: opts.cwd ?? repoRoot, env: { ...process.env, ...opts.env } }));
}

export function collect(child: ChildProcess): Promise<Result> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Resolves with the output so far once `pattern` appears on the child's stderr. */
export function waitForStderr(child: ChildProcess, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; stderr so far:\n${seen}`)), timeoutMs);
    const onData = (d: Buffer) => {
      seen += d;
      if (pattern.test(seen)) {
        clearTimeout(timer);
        child.stderr?.off('data', onData);
        resolve(seen);
      }
    };
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}; stderr:\n${seen}`));
    });
  });
}
