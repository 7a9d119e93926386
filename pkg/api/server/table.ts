import type { ResourceDef, TableColumn } from '../resource.ts';
import type { KList, KObject } from '../types/index.ts';
import { age } from '../resources/format.ts';

export { age };

export type IncludeObject = 'None' | 'Metadata' | 'Object';

const fallbackColumns: TableColumn[] = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
  { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
];

/**
 * A meta.k8s.io/v1 Table of objects, with the kind's upstream columns (ResourceDef.table) or
 * Name/Age. Rows carry the object as kubectl needs it for -A, --show-labels and -L
 * (PartialObjectMetadata by default).
 */
export function toTable(def: ResourceDef, objects: KObject[], meta: KList['metadata'], include: IncludeObject, now: Date, headers = true) {
  const columns = def.table?.columns ?? fallbackColumns;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    columnDefinitions: headers ? columns : [],
    rows: objects.map((obj) => ({
      cells: def.table ? def.table.cells(obj, now) : [obj.metadata.name ?? '', age(obj.metadata.creationTimestamp, now)],
      ...(include === 'None' ? {} : { object: include === 'Object' ? obj : partial(obj) }),
    })),
  };
}

function partial(obj: KObject) {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}
