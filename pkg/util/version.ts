import { readFileSync } from 'node:fs';

// build.mjs defines these; under tsx/vitest they are absent and package.json is read instead.
declare const __SKIFF_VERSION__: string | undefined;
declare const __SKIFF_COMMIT__: string | undefined;

/** The Kubernetes release whose API skiff serves; kubectl picks its own version from the minor. */
export const kubernetesVersion = { major: '1', minor: '32', gitVersion: 'v1.32.0' } as const;

export const skiffVersion: string = typeof __SKIFF_VERSION__ === 'string' ? __SKIFF_VERSION__ : devVersion();
export const skiffCommit: string = typeof __SKIFF_COMMIT__ === 'string' ? __SKIFF_COMMIT__ : 'dev';

function devVersion(): string {
  try {
    return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
  } catch {
    return '0.0.0-dev';
  }
}
