import type { GVK, SchemaHooks } from '../registry/index.ts';
import type { ResourceDef } from '../resource.ts';
import { findUnknownFields, patchMetaFor, pruneUnknownFields } from '../schema/index.ts';
import type { ServedVersion } from './custom-resource.ts';
import { prune } from './prune.ts';
import type { Schema } from './schema.ts';

const gvkKey = (g: GVK) => `${g.group}/${g.version}/${g.kind}`;

/**
 * The custom part of the server's resource table. `resources` is the live table every part of
 * the server shares (routing, discovery, OpenAPI, the in-process client, the namespace
 * controller): the ResourceDefs of an established CRD are put into it and taken out again, in
 * place, so all of them see a CRD's resources from the moment it is set here. Built-in rows are
 * never touched. Single-threaded like the rest of the process: callers never interleave writes.
 */
export class CustomResourceTable {
  private readonly byCrd = new Map<string, ServedVersion[]>();
  private readonly schemas = new Map<string, Schema>();

  /** Rows of the table that bring their own schema (the CRD kind) are judged by it too. */
  constructor(readonly resources: ResourceDef[]) {
    for (const d of resources) if (d.openapiSchema) this.schemas.set(gvkKey(d), d.openapiSchema as Schema);
  }

  /** Serves `versions` for the CRD `name`, replacing what it served before. */
  set(name: string, versions: ServedVersion[]): void {
    this.drop(name);
    // A row already in the table (a built-in kind) wins, as upstream's built-in handlers do.
    const taken = new Set(this.resources.map((d) => `${d.group}/${d.version}/${d.plural}`));
    const fitting = versions.filter((v) => !taken.has(`${v.def.group}/${v.def.version}/${v.def.plural}`));
    this.byCrd.set(name, fitting);
    for (const v of fitting) {
      this.resources.push(v.def);
      this.schemas.set(gvkKey(v.def), v.schema);
    }
  }

  /** Stops serving the CRD `name` (deleted). */
  remove(name: string): void {
    this.drop(name);
  }

  /** What the CRD `name` serves now ([] when nothing). */
  served(name: string): ServedVersion[] {
    return this.byCrd.get(name) ?? [];
  }

  names(): string[] {
    return [...this.byCrd.keys()];
  }

  schemaOf(gvk: GVK): Schema | undefined {
    return this.schemas.get(gvkKey(gvk));
  }

  /**
   * Schema hooks for the registry: custom resources are judged by their structural schema (unknown
   * fields are the ones pruning removes, reported under fieldValidation and pruned otherwise; no
   * strategic merge patch, as upstream), every other kind by pkg/api/schema.
   */
  schemaHooks(): Partial<SchemaHooks> {
    return {
      findUnknownFields: (gvk, obj) => {
        const s = this.schemaOf(gvk);
        return s ? prune(structuredClone(obj), s) : findUnknownFields(gvk, obj);
      },
      pruneUnknownFields: (gvk, obj) => {
        const s = this.schemaOf(gvk);
        if (!s) return pruneUnknownFields(gvk, obj);
        const copy = structuredClone(obj);
        prune(copy, s);
        return copy;
      },
      patchMetaFor: (gvk) => (this.schemaOf(gvk) ? undefined : patchMetaFor(gvk)),
    };
  }

  private drop(name: string): void {
    const old = this.byCrd.get(name);
    if (!old) return;
    this.byCrd.delete(name);
    for (const v of old) {
      const i = this.resources.indexOf(v.def);
      if (i >= 0) this.resources.splice(i, 1);
      this.schemas.delete(gvkKey(v.def));
    }
  }
}
