import type { ResourceDef, Subresource } from '../resource.ts';
import { resource } from '../resources/define.ts';
import type { FieldError } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { goValue } from '../validation/index.ts';
import { applyDefaults } from './defaults.ts';
import { evaluate, parseJsonPath } from './jsonpath.ts';
import { printerTable, type PrinterColumn } from './printer.ts';
import { isRecord, type Schema } from './schema.ts';
import { validateAgainstSchema } from './validate-object.ts';

/** The names a CRD's resources are served under (its accepted names). */
export interface ServedNames {
  plural: string;
  singular?: string;
  kind: string;
  shortNames?: string[];
  categories?: string[];
}

/** One served version of a custom resource: its ResourceDef and the schema it is judged by. */
export interface ServedVersion {
  def: ResourceDef;
  schema: Schema;
}

type Scale = { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };

/**
 * The ResourceDefs of a CRD, one per served version (apiextensions' crdHandler serving info):
 * stored at `/registry/<group>/<plural>/…` in the storage version (conversion None: only
 * apiVersion changes), defaulted on write and on read, pruned by the schema hooks, validated
 * against the version's schema, with the version's subresources, printer columns and
 * selectable fields. `terminating` refuses creates while the CRD's instances are being deleted.
 */
export function servedVersions(crd: KObject, names: ServedNames, terminating = false): ServedVersion[] {
  const spec = crd.spec as any;
  const group: string = spec.group;
  const storage = (spec.versions as any[]).find((v) => v?.storage === true)?.name as string;
  const out: ServedVersion[] = [];
  for (const v of spec.versions as any[]) {
    if (!isRecord(v) || v.served !== true || typeof v.name !== 'string') continue;
    const schema: Schema = (v.schema as any)?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    const sub = isRecord(v.subresources) ? v.subresources : {};
    const scale = isRecord(sub.scale) ? (sub.scale as Scale) : undefined;
    const subresources: Subresource[] = scale ? [{ name: 'scale', specReplicasPath: scale.specReplicasPath, statusReplicasPath: scale.statusReplicasPath, ...(scale.labelSelectorPath ? { labelSelectorPath: scale.labelSelectorPath } : {}) }] : [];
    const def = resource(group, v.name, {
      kind: names.kind,
      plural: names.plural,
      namespaced: spec.scope === 'Namespaced',
      ...(names.shortNames?.length ? { shortNames: names.shortNames } : {}),
      ...(names.categories?.length ? { categories: names.categories } : {}),
      status: isRecord(sub.status),
      subresources,
      generation: true,
      verbs: terminating ? ['delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] : undefined,
      storage: { group, resource: names.plural },
      toStorage: (obj) => ({ ...obj, apiVersion: `${group}/${storage}` }),
      fromStorage: (obj) => {
        applyDefaults(obj, schema);
        return obj;
      },
      strategy: {
        defaults: (obj) => applyDefaults(obj, schema),
        validate: (obj) => [...validateAgainstSchema(obj, schema), ...scaleErrors(obj, scale, 'spec')],
        validateStatusUpdate: (obj) => [...validateAgainstSchema(obj, schema), ...scaleErrors(obj, scale, 'status')],
      },
      table: printerTable(Array.isArray(v.additionalPrinterColumns) ? (v.additionalPrinterColumns as PrinterColumn[]) : undefined),
      fieldSelectors: selectableFields(v.selectableFields),
    });
    out.push({ def: { ...def, singular: names.singular || names.kind.toLowerCase(), openapiSchema: schema as Record<string, unknown> }, schema });
  }
  return out;
}

/** ValidateScaleSpec / ValidateScaleStatus: the replica paths hold int32s, the selector a string. */
function scaleErrors(obj: KObject, scale: Scale | undefined, part: 'spec' | 'status'): FieldError[] {
  if (!scale) return [];
  const out: FieldError[] = [];
  const path = part === 'spec' ? scale.specReplicasPath : scale.statusReplicasPath;
  const v = valueAt(obj, path);
  if (v !== undefined && v !== null) {
    if (!Number.isInteger(v)) out.push(invalid(path, 0, `${dotted(path)} accessor error: ${goPrintValue(v)} is of the type ${goType(v)}, expected int64`));
    else if ((v as number) < 0) out.push(invalid(path, v, 'should be a non-negative integer'));
    else if ((v as number) > 2147483647) out.push(invalid(path, v, 'should be less than or equal to 2147483647'));
  }
  if (part === 'status' && scale.labelSelectorPath) {
    const sel = valueAt(obj, scale.labelSelectorPath);
    if (sel !== undefined && sel !== null && typeof sel !== 'string') {
      out.push(invalid(scale.labelSelectorPath, '', `${dotted(scale.labelSelectorPath)} accessor error: ${goPrintValue(sel)} is of the type ${goType(sel)}, expected string`));
    }
  }
  return out;
}

const invalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, message: `Invalid value: ${goValue(value)}: ${detail}` });
const dotted = (path: string) => (path.startsWith('.') ? path : `.${path}`);
const goType = (v: unknown) => (typeof v === 'string' ? 'string' : typeof v === 'number' ? 'float64' : typeof v === 'boolean' ? 'bool' : Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}');
const goPrintValue = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function valueAt(obj: unknown, path: string): unknown {
  let at = obj;
  for (const s of path.replace(/^\./, '').split('.')) at = isRecord(at) ? at[s] : undefined;
  return at;
}

/** selectableFields → field selectors named by their path without the leading dot. */
function selectableFields(fields: unknown): ResourceDef['fieldSelectors'] {
  if (!Array.isArray(fields) || !fields.length) return undefined;
  const out: NonNullable<ResourceDef['fieldSelectors']> = {};
  for (const f of fields) {
    if (!isRecord(f) || typeof f.jsonPath !== 'string') continue;
    let steps: ReturnType<typeof parseJsonPath>;
    try {
      steps = parseJsonPath(f.jsonPath);
    } catch {
      continue;
    }
    out[f.jsonPath.replace(/^\./, '')] = (obj) => {
      const [v] = evaluate(steps, obj);
      return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    };
  }
  return out;
}
