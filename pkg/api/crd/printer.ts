import type { TableColumn, TableDef } from '../resource.ts';
import { age } from '../resources/format.ts';
import { nameCol } from '../resources/define.ts';
import type { KObject } from '../types/index.ts';
import { evaluate, parseJsonPath, type Step } from './jsonpath.ts';
import { isRecord } from './schema.ts';

/** One additionalPrinterColumns entry of a CRD version. */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

const creationTimestampDoc = 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** A version without printer columns shows its age, as upstream's serveDefaultColumnsIfEmpty. */
const defaultColumns: PrinterColumn[] = [{ name: 'Age', type: 'date', description: creationTimestampDoc, jsonPath: '.metadata.creationTimestamp' }];

/**
 * The Table of a custom resource version (apiextensions' tableconvertor): Name, then one column
 * per printer column. A cell is the first value the column's JSONPath finds, typed by the column:
 * integer/number/boolean as JSON values, string as jsonpath prints it, date as an age; nothing
 * found, or a value of the wrong type, is null (kubectl prints `<none>`).
 */
export function printerTable(columns: PrinterColumn[] | undefined): TableDef {
  const cols = columns?.length ? columns : defaultColumns;
  const paths: (Step[] | undefined)[] = cols.map((c) => {
    try {
      return parseJsonPath(c.jsonPath);
    } catch {
      return undefined;
    }
  });
  const defs: TableColumn[] = [nameCol, ...cols.map((c) => ({
    name: c.name,
    type: c.type as TableColumn['type'],
    format: c.format ?? '',
    description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
    priority: (c.priority ?? 0) as TableColumn['priority'],
  }))];
  return {
    columns: defs,
    cells: (obj: KObject, now: Date) => [obj.metadata.name ?? '', ...cols.map((c, i) => {
      const found = paths[i] ? evaluate(paths[i]!, obj) : [];
      return found.length ? cell(c.type, found[0], now) : null;
    })],
  };
}

function cell(type: string, v: unknown, now: Date): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'integer':
      return typeof v === 'number' ? Math.trunc(v) : null;
    case 'number':
      return typeof v === 'number' ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'date':
      if (typeof v !== 'string') return null;
      return Number.isNaN(Date.parse(v)) ? '<invalid>' : age(v, now);
    default:
      return goPrint(v);
  }
}

/** Go's fmt.Print of a decoded JSON value, which is how client-go's jsonpath prints text. */
export function goPrint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`;
  if (isRecord(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goPrint(v[k])}`).join(' ')}]`;
  return String(v);
}

// Whole numbers decode as int64; others print as %v of a float64 (exponent from 1e21 up).
function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return BigInt(n).toString();
  const s = String(n);
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}
