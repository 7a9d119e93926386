import { childOf, keyFields } from './compare.ts';
import { formatPath } from './conflicts.ts';
import { encodePathElement, keyElement, type PathElement } from './path-element.ts';
import type { TypeInfo } from './type-info.ts';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What structured-merge-diff refuses when it types an applied configuration (ObjectToTyped),
 * worded as it words them: fields the schema does not declare, list-map items without their
 * key fields, duplicate keys, objects where the schema wants a list or the reverse. Schemaless
 * (deduced) parts accept anything. [] when the configuration is well-typed.
 */
export function appliedConfigErrors(obj: unknown, type: TypeInfo): string[] {
  const errs: string[] = [];
  walk(errs, [], type, obj);
  return errs;
}

/** ValidationErrors.Error(): one error bare, several under `errors:`. */
export function formatTypedErrors(errs: readonly string[]): string {
  return errs.length === 1 ? errs[0] : ['errors:', ...errs.map((e) => `  ${e}`)].join('\n');
}

function walk(errs: string[], path: PathElement[], type: TypeInfo, v: unknown): void {
  if (v === null || v === undefined) return;
  const at = () => formatPath(path);
  if (type.kind === 'struct' || type.kind === 'map') {
    if (!isObj(v)) return void errs.push(`${at()}: expected map, got ${describe(v)}`);
    for (const [k, child] of Object.entries(v)) {
      const p = [...path, { field: k }];
      if (type.kind === 'struct' && !type.field(k)) {
        errs.push(`${formatPath(p)}: field not declared in schema`);
        continue;
      }
      walk(errs, p, childOf(type, k).type, child);
    }
    return;
  }
  if (type.kind === 'set' || type.kind === 'assoc') {
    if (!Array.isArray(v)) return void errs.push(`${at()}: expected list, got ${describe(v)}`);
    const seen = new Set<string>();
    v.forEach((item, i) => {
      let pe: PathElement;
      if (type.kind === 'assoc') {
        if (!isObj(item)) return void errs.push(`${at()}: element ${i}: expected map, got ${describe(item)}`);
        const fields = keyFields(type, item);
        const missing = type.keys.find((k) => !fields.some(([f]) => f === k));
        if (missing !== undefined) return void errs.push(`${at()}: element ${i}: associative list with keys has an element that omits key field ${JSON.stringify(missing)} (and doesn't have default value)`);
        pe = keyElement(fields);
      } else {
        if (typeof item === 'object' && item !== null) return void errs.push(`${at()}: element ${i}: expected scalar, got ${describe(item)}`);
        pe = { value: item };
      }
      const k = encodePathElement(pe);
      if (seen.has(k)) {
        errs.push(`${at()}: duplicate entries for key ${formatPath([pe])}`);
        return;
      }
      seen.add(k);
      if (type.kind === 'assoc') walk(errs, [...path, pe], type.items(), item);
    });
  }
}

const describe = (v: unknown): string => (Array.isArray(v) ? 'list' : typeof v === 'object' ? 'map' : typeof v);
