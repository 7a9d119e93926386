// The public surface of pkg/api/registry: other packages import only this file.
export { createApiHandler } from './handler.ts';
export type { ApiHandlerOptions, RegistryHandler } from './handler.ts';
export type { Timers, RegistryTuning } from './context.ts';
export type { DeleteResult } from './delete.ts';
export type { SchemaHooks, GVK } from './schema-hooks.ts';
export { defaultSchemaHooks } from './schema-hooks.ts';
export { decodeBody } from './decode-body.ts';
export { parseLabelSelector, matchesLabels, selectorObjectRequirements, formatRequirements } from './selectors.ts';
export type { Requirement, LabelSelectorObject } from './selectors.ts';
