import { readFileSync, statSync } from 'node:fs';

/** The p-th percentile (0–100) of `xs` by nearest rank; NaN when empty. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (xs: readonly number[]): number => percentile(xs, 50);

/**
 * Bytes this process caused to be written to storage so far (/proc/self/io `write_bytes`,
 * counted when pages are dirtied, so writeback timing does not matter). Undefined off Linux.
 */
export function writeBytes(): number | undefined {
  try {
    const m = /^write_bytes: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Sum of the sizes of `files` (missing ones count 0). */
export function fileBytes(files: readonly string[]): number {
  return files.reduce((n, f) => n + (statSync(f, { throwIfNoEntry: false })?.size ?? 0), 0);
}

/** Size and mtime of each file, for "did anything touch these" comparisons. */
export function fingerprint(files: readonly string[]): string {
  return files.map((f) => {
    const st = statSync(f, { throwIfNoEntry: false });
    return st ? `${st.size}@${st.mtimeMs}` : 'absent';
  }).join(' ');
}

export const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
