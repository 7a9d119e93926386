// The public surface of pkg/api/client: how every skiff component talks to the cluster
// (DESIGN.md §1, §5). Other packages import only this file.
export type { Client, ResourceClient } from './client.ts';
export { inProcessClient, skiffUser } from './in-process.ts';
export { httpsClient } from './https.ts';
export type { HttpsClient, HttpsClientOptions } from './https.ts';
export { guaranteedUpdate, guaranteedUpdateStatus } from './guaranteed-update.ts';
export type { GuaranteedUpdateOptions, Mutate } from './guaranteed-update.ts';
export { createInformer } from './informer.ts';
export type { Informer, InformerHandler, InformerOptions } from './informer.ts';
export { createInformerFactory } from './informer-factory.ts';
export type { InformerFactory, InformerSelection } from './informer-factory.ts';
export { namespaceIndex } from './cache.ts';
export type { IndexFunc } from './cache.ts';
export { keyOf, splitKey } from './keys.ts';
export { realTimers } from './timers.ts';
export type { Timers } from './timers.ts';
export { EventRecorder } from './event-recorder.ts';
