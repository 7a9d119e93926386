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
  statusOnCreate?: boolean;        // a create may set .status (nodes register with theirs)
  scale?: boolean;                 // spec.replicas scale subresource
  verbs?: ResourceDef['verbs'];
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
      if (row.status && !row.statusOnCreate) delete obj.status;
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
    validateCreate: own.validateCreate,
    validateUpdate: own.validateUpdate,
    prepareForStatusUpdate: own.prepareForStatusUpdate,
    validateStatusUpdate: own.validateStatusUpdate,
    validateEphemeralContainersUpdate: own.validateEphemeralContainersUpdate,
  };
  return {
    group, version, kind: row.kind, plural: row.plural, singular: row.kind.toLowerCase(),
    namespaced: row.namespaced ?? true,
    ...(row.verbs ? { verbs: row.verbs } : {}),
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

/** A column as upstream's printers declare it: type "string" unless said otherwise, always shown. */
export const col = (name: string, description: string, extra: Partial<TableColumn> = {}): TableColumn => ({ name, type: 'string', description, priority: 0, ...extra });
const nameDoc = 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const createdDoc = 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';
export const nameCol = col('Name', nameDoc, { format: 'name' });
export const ageCol = col('Age', createdDoc);
export const wide = (c: TableColumn): TableColumn => ({ ...c, priority: 1 });

/** A kind's table: its columns and one cell per column for an object (the wide form, as the server renders it). */
export function table(columns: TableColumn[], cells: (obj: any, now: Date) => (string | number)[]): TableDef {
  return { columns, cells };
}

/** The apiserver's default table for kinds without a printer: Name and Created At (RFC 3339). */
export const createdAtTable = table([nameCol, col('Created At', createdDoc, { type: 'date' })], (o) => [o.metadata.name, createdAt(o)]);
export const createdAt = (o: KObject) => (o.metadata.creationTimestamp ? new Date(o.metadata.creationTimestamp).toISOString().replace(/\.\d{3}Z$/, 'Z') : '0001-01-01T00:00:00Z');

export const created = (obj: KObject, now: Date) => age(obj.metadata.creationTimestamp, now);
export const labelsOf = (obj: KObject) => obj.metadata.labels ?? {};
