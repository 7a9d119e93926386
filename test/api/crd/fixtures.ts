import { afterEach } from 'vitest';
import { customResources } from '../../../pkg/api/crd/index.ts';
import { inProcessClient, type Client } from '../../../pkg/api/client/index.ts';
import { createApiHandler, type RegistryHandler } from '../../../pkg/api/registry/index.ts';
import { resources as builtIns } from '../../../pkg/api/resources/index.ts';
import type { ResourceDef } from '../../../pkg/api/resource.ts';
import { StatusError } from '../../../pkg/api/status.ts';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { openStore, type Store } from '../../../pkg/store/index.ts';
import { silentLogger } from '../../../pkg/util/index.ts';

/** An API (registry + CRD machinery) over the memory store, as the server wires it. */
export interface CrdCluster {
  store: Store;
  resources: ResourceDef[];
  handler: RegistryHandler;
  client: Client;
  crds: ReturnType<typeof customResources>;
  find(group: string, version: string, plural: string): ResourceDef | undefined;
  /** Waits until the CRD controller has handled everything it saw. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

const open: CrdCluster[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.stop();
});

export async function crdCluster(store?: Store): Promise<CrdCluster> {
  const s = store ?? (await openStore('memory:'));
  const resources = [...builtIns];
  const crds = customResources(resources, silentLogger);
  const handler = crds.wrap(createApiHandler({ store: s, resources, schema: crds.schemaHooks() }));
  await crds.start(handler);
  const client = inProcessClient(handler, resources);
  await client.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'default' } }).catch(() => undefined);
  const c: CrdCluster = {
    store: s,
    resources,
    handler,
    client,
    crds,
    find: (g, v, p) => resources.find((d) => d.group === g && d.version === v && d.plural === p),
    async settle() {
      for (let i = 0; i < 50; i++) {
        await new Promise((r) => setTimeout(r, 5));
        await crds.idle();
      }
    },
    async stop() {
      await crds.stop();
      await handler.close();
      if (!store) await s.close();
    },
  };
  open.push(c);
  return c;
}

/** The rejection of `p` as its Status. */
export async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (err instanceof StatusError) return err.status;
    throw err;
  }
  throw new Error('expected a failure');
}

/** The CronTab of the upstream CRD walkthrough, with printer columns, subresources and defaults. */
export function cronTabCrd(extra: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'crontabs.stable.example.com' },
    spec: {
      group: 'stable.example.com',
      scope: 'Namespaced',
      names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'], categories: ['all'] },
      versions: [{
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['cronSpec'],
                properties: {
                  cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' },
                  image: { type: 'string', maxLength: 20 },
                  replicas: { type: 'integer', minimum: 0, maximum: 10, default: 1 },
                  mode: { type: 'string', enum: ['fast', 'slow'] },
                  ports: { type: 'array', maxItems: 2, items: { type: 'integer' } },
                  extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
              status: {
                type: 'object',
                properties: { replicas: { type: 'integer' }, labelSelector: { type: 'string' } },
              },
            },
          },
        },
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' } },
        additionalPrinterColumns: [
          { name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' },
          { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
          { name: 'Image', type: 'string', jsonPath: '.spec.image', priority: 1 },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
      }],
      ...extra,
    },
  };
}
