import type { ResourceDef, Strategy, Subresource, TableColumn, TableDef } from '../resource.ts';
import type { KObject } from '../types/index.ts';
import { validateMeta, type NameRule } from '../validation/index.ts';
import { age } from './format.ts';

export interface Row {
  kind: string;
  plural: string;
  namespaced?: boolean;           // default true
  shortNames?: string[];
  categories?: string[];
  status?: boolean;                // has a status subresource
  scale?: boolean;                 // spec.replicas scale subresource
  subresources?: Subresource[];
  generation?: boolean;
  nameRule?: NameRule;
  strategy?: Strategy;
  table?: TableDef;
  fieldSelectors?: ResourceDef['fieldSelectors'];
  storage?: ResourceDef['storage'];
  toStorage?: ResourceDef['toStorage'];
  fromStorage?: ResourceDef['fromStorage'];
}

/**
 * One ResourceDef from a compact row. Every kind validates its metadata (name rule, labels,
 * annotations) before its own rules; a status subresource means main writes keep the old status
 * and create starts without one (apiserver's strategies).
 */
export function resource(group: string, version: string, row: Row): ResourceDef {
  const subresources: Subresource[] = [...(row.status ? [{ name: 'status' } as const] : []), ...(row.scale ? [scale] : []), ...(row.subresources ?? [])];
  const own = row.strategy ?? {};
  const strategy: Strategy = {
    prepareForCreate(obj, ctx) {
      if (row.status) delete obj.status;
      own.prepareForCreate?.(obj, ctx);
    },
    prepareForUpdate(obj, old, ctx) {
      if (row.status) {
        if (old.status === undefined) delete obj.status;
        else obj.status = structuredClone(old.status);
      }
      own.prepareForUpdate?.(obj, old, ctx);
    },
    defaults: own.defaults,
    validate: (obj) => [...validateMeta(obj, row.nameRule), ...(own.validate?.(obj) ?? [])],
    validateUpdate: own.validateUpdate,
    validateStatusUpdate: own.validateStatusUpdate,
  };
  return {
    group, version, kind: row.kind, plural: row.plural, singular: row.kind.toLowerCase(),
    namespaced: row.namespaced ?? true,
    ...(row.shortNames ? { shortNames: row.shortNames } : {}),
    ...(row.categories ? { categories: row.categories } : {}),
    ...(subresources.length ? { subresources } : {}),
    storage: row.storage ?? { group, resource: row.plural },
    ...(row.toStorage ? { toStorage: row.toStorage, fromStorage: row.fromStorage } : {}),
    generation: row.generation ?? false,
    strategy,
    ...(row.table ? { table: row.table } : {}),
    ...(row.fieldSelectors ? { fieldSelectors: row.fieldSelectors } : {}),
  };
}

const scale: Subresource = { name: 'scale', specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' };

export const col = (name: string, description: string, extra: Partial<TableColumn> = {}): TableColumn => ({ name, type: 'string', description, priority: 0, ...extra });
export const nameCol = col('Name', 'Name must be unique within a namespace.', { format: 'name' });
export const ageCol = col('Age', 'Time since the object was created.', { type: 'date' });
export const wide = (c: TableColumn): TableColumn => ({ ...c, priority: 1 });

/** A table whose first column is Name and whose `Age` column (anywhere) is filled from creationTimestamp. */
export function table(columns: TableColumn[], cells: (obj: any, now: Date) => (string | number)[]): TableDef {
  return { columns, cells };
}

export const created = (obj: KObject, now: Date) => age(obj.metadata.creationTimestamp, now);
export const labelsOf = (obj: KObject) => obj.metadata.labels ?? {};
