// The public surface of pkg/api/crd: CustomResourceDefinitions and the custom resources they serve.
import type { Logger } from '../../util/index.ts';
import type { RegistryHandler, SchemaHooks } from '../registry/index.ts';
import type { ResourceDef } from '../resource.ts';
import { withCrdCleanup } from './cleanup.ts';
import { crdController } from './controller.ts';
import { crdGroup } from './definition.ts';
import { CustomResourceTable } from './table.ts';

export { customResourceDefinitions, cleanupFinalizer } from './definition.ts';
export { validateAgainstSchema } from './validate-object.ts';
export { applyDefaults } from './defaults.ts';
export { prune } from './prune.ts';
export { printerTable, type PrinterColumn } from './printer.ts';
export { validateCrd } from './validate-crd.ts';
export { CustomResourceTable } from './table.ts';
export type { Schema } from './schema.ts';

/**
 * Custom resources for one API server over the live resource table `resources` (which must hold
 * the CustomResourceDefinition row). Order: `schemaHooks()` goes into createApiHandler, `wrap()`
 * wraps the handler it made, `start()` (with the wrapped handler) loads every stored CRD and
 * serves its resources before it resolves, `stop()` ends the controller. Without the CRD row
 * in the table, every step does nothing.
 */
export function customResources(resources: ResourceDef[], log: Logger) {
  const crdDef = resources.find((d) => d.group === crdGroup && d.plural === 'customresourcedefinitions');
  const table = new CustomResourceTable(resources);
  let controller: ReturnType<typeof crdController> | undefined;
  return {
    table,
    schemaHooks: (): Partial<SchemaHooks> => (crdDef ? table.schemaHooks() : {}),
    wrap: (handler: RegistryHandler): RegistryHandler => (crdDef ? withCrdCleanup(handler, crdDef, log) : handler),
    async start(handler: RegistryHandler): Promise<void> {
      if (!crdDef) return;
      controller = crdController({ handler, crdDef, table, log });
      await controller.start();
    },
    async stop(): Promise<void> {
      await controller?.stop();
    },
    /** Resolves once the controller has handled every change it has seen (tests). */
    idle: async () => {
      await controller?.idle();
    },
  };
}
