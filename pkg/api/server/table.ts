import type { ResourceDef, TableColumn } from '../resource.ts';
import type { KList, KObject } from '../types/index.ts';
import { age } from '../resources/format.ts';

export { age };

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** What the client asked for: the Table version (meta.k8s.io/v1 or v1beta1) and what each row carries. */
export interface TableRequest {
  version: 'v1' | 'v1beta1';
  include: IncludeObject;
}

export const tableContentType = (version: TableRequest['version']) => `application/json;as=Table;v=${version};g=meta.k8s.io`;

const fallbackColumns: TableColumn[] = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
  { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
];

/**
 * A meta.k8s.io Table (v1 or v1beta1) of objects, with the kind's upstream columns (ResourceDef.table) or
 * Name/Age. Rows carry the object as kubectl needs it for -A, --show-labels and -L
 * (PartialObjectMetadata by default).
 */
export function toTable(def: ResourceDef, objects: KObject[], meta: KList['metadata'], want: TableRequest, now: Date, headers = true) {
  const columns = def.table?.columns ?? fallbackColumns;
  const apiVersion = `meta.k8s.io/${want.version}`;
  return {
    kind: 'Table',
    apiVersion,
    metadata: meta,
    columnDefinitions: headers ? columns : [],
    rows: objects.map((obj) => ({
      cells: def.table ? def.table.cells(obj, now) : [obj.metadata.name ?? '', age(obj.metadata.creationTimestamp, now)],
      ...(want.include === 'None' ? {} : { object: want.include === 'Object' ? obj : { kind: 'PartialObjectMetadata', apiVersion, metadata: obj.metadata } }),
    })),
  };
}
