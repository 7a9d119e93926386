import { defineConfig } from 'vitest/config';

// Tests mirror pkg/ (STYLE.md B8). Forks, not threads: better-sqlite3 and child processes
// behave the same as in production that way.
export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
