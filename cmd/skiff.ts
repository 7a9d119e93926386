#!/usr/bin/env node
// The one entry of the executable (build.mjs bundles from here).
import { main } from './cli.ts';

// In the single executable argv is [execPath, execPath, ...args]; under tsx [node, cmd/skiff.ts, ...].
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`skiff: ${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
