import { inProcessClient, type Client } from '../../../pkg/api/client/index.ts';
import { createApiHandler } from '../../../pkg/api/registry/index.ts';
import { resources } from '../../../pkg/api/resources/index.ts';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { openStore } from '../../../pkg/store/index.ts';

/** An in-process API over the memory store with the default admission chain and a `default` namespace. */
export async function api(): Promise<Client> {
  const client = inProcessClient(createApiHandler({ store: await openStore('memory:'), resources }), resources);
  await client.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'default' } });
  return client;
}

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };
export const podWith = (name: string, ...containers: Resources[]): KObject => ({
  metadata: { name },
  spec: { containers: containers.map((resources, i) => ({ name: `c${i}`, image: 'i', ...(Object.keys(resources).length ? { resources } : {}) })) },
} as KObject);

/** The StatusError a write fails with: [code, message]. */
export async function refusal(write: Promise<unknown>): Promise<[number, string]> {
  try {
    await write;
  } catch (err) {
    const s = (err as { status?: { code: number; message: string } }).status;
    if (s) return [s.code, s.message];
    throw err;
  }
  throw new Error('the write was admitted');
}
