import { unsupportedMediaType } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { isObject } from './meta.ts';

/** Group, version and kind: what the schema and patch packages key their knowledge on. */
export interface GVK {
  group: string;
  version: string;
  kind: string;
}

/**
 * What the registry needs from pkg/api/schema and pkg/api/patch (their index.ts contracts in
 * the API brief). Injectable through `createApiHandler({ schema })`; by default the modules are
 * loaded on first use, and a module that does not exist yet leaves a conservative stand-in:
 * no unknown fields known, merge patch only, strategic/JSON patch answered 415.
 */
export interface SchemaHooks {
  findUnknownFields(def: GVK, obj: unknown): string[];
  patchMetaFor(def: GVK): unknown;
  applyPatch(type: 'json' | 'merge' | 'strategic', original: KObject, patch: unknown, meta?: unknown): KObject;
}

let loaded: Promise<SchemaHooks> | undefined;

export function defaultSchemaHooks(): Promise<SchemaHooks> {
  loaded ??= load();
  return loaded;
}

async function load(): Promise<SchemaHooks> {
  const schema = await optionalModule('../schema/index.ts');
  const patch = await optionalModule('../patch/index.ts');
  const fn = <T>(m: Record<string, unknown> | undefined, name: string): T | undefined => (typeof m?.[name] === 'function' ? (m[name] as T) : undefined);
  return {
    findUnknownFields: fn<SchemaHooks['findUnknownFields']>(schema, 'findUnknownFields') ?? (() => []),
    patchMetaFor: fn<SchemaHooks['patchMetaFor']>(schema, 'patchMetaFor') ?? (() => undefined),
    applyPatch: fn<SchemaHooks['applyPatch']>(patch, 'applyPatch') ?? fallbackApplyPatch,
  };
}

// A computed specifier keeps the type checker and bundler from requiring a module that another
// engineer is still writing; only "not found" falls back, a broken module still fails loudly.
async function optionalModule(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(/* @vite-ignore */ new URL(path, import.meta.url).href)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module|Failed to load url|does not exist/i.test(String((err as Error).message))) return undefined;
    throw err;
  }
}

function fallbackApplyPatch(type: 'json' | 'merge' | 'strategic', original: KObject, patch: unknown): KObject {
  if (type !== 'merge') throw unsupportedMediaType(type === 'json' ? 'application/json-patch+json' : 'application/strategic-merge-patch+json');
  return mergePatch(original, patch) as KObject;
}

/** RFC 7386. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
