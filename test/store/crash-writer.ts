// Child process for the crash-safety test: writes keys as fast as it can and prints each key once
// its write is acknowledged, until it is killed.
import { openStore } from '../../pkg/store/index.ts';

const store = await openStore(`sqlite:${process.argv[2]}`);
let next = 0;
async function writer(): Promise<never> {
  for (;;) {
    const key = `/registry/crash/${String(next++).padStart(8, '0')}`;
    await store.create(key, JSON.stringify({ key, pad: 'x'.repeat(200) }));
    process.stdout.write(`${key}\n`);
  }
}
await Promise.all(Array.from({ length: 32 }, writer));
