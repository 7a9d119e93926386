import type { FieldError } from './status.ts';
import type { KObject } from './types/index.ts';

/**
 * One row of the resource table (STYLE.md B5): everything generic code needs to serve a kind.
 * Discovery, OpenAPI, `kubectl api-resources`, routing and storage keys all derive from it;
 * per-kind behaviour lives only in `strategy`, `table` and `fieldSelectors`.
 */
export interface ResourceDef {
  group: string;            // '' for the core group
  version: string;          // 'v1'
  kind: string;             // 'Deployment'
  plural: string;           // 'deployments' (URL segment and discovery name)
  singular: string;         // 'deployment'
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];    // ['all'] makes `kubectl get all` include it
  /** Verbs served on the main resource; default all of get,list,watch,create,update,patch,delete,deletecollection. */
  verbs?: Verb[];
  /** Served subresources beyond the built-in ones listed here. */
  subresources?: Subresource[];
  /**
   * Where objects live. Two served versions of one kind (autoscaling/v1 and v2 HPA) or two kinds of
   * one resource (core/v1 and events.k8s.io/v1 Event) share storage: they name the same `storage`
   * and convert with `toStorage`/`fromStorage`. Key: `/registry/<group||core>/<resource>/<ns>/<name>`.
   */
  storage: { group: string; resource: string };
  /** Convert a served object to the storage version and back (identity when absent). */
  toStorage?(obj: KObject): KObject;
  fromStorage?(obj: KObject): KObject;
  /** `metadata.generation` is maintained (1 on create, +1 when anything but metadata and status changes). */
  generation?: boolean;
  strategy?: Strategy;
  table?: TableDef;
  /** Field selectors beyond metadata.name / metadata.namespace; value '' when absent. */
  fieldSelectors?: Record<string, (obj: KObject) => string>;
  /**
   * The kind's OpenAPI v3 schema when pkg/api/schema does not describe it (custom resources):
   * published under /openapi (kubectl explain reads it). Without it, a kind is published as
   * an object that preserves unknown fields.
   */
  openapiSchema?: Record<string, unknown>;
}

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

/**
 * Subresources: `status` (main writes ignore .status, status writes change only .status),
 * `scale` (autoscaling/v1 Scale view of specPath/statusPath), `binding` (pods), and the
 * streaming ones the agent serves later (log, exec, attach, portforward) plus `eviction`,
 * `finalize` (namespaces). Each appears in discovery as `<plural>/<name>`.
 */
export type Subresource =
  | { name: 'status' }
  | { name: 'scale'; specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string }
  | { name: 'ephemeralcontainers' }
  | { name: 'binding' | 'eviction' | 'finalize' | 'log' | 'exec' | 'attach' | 'portforward' | 'proxy' | 'token'; kind?: string; group?: string; version?: string; verbs?: Verb[] };

/** What a strategy may look at besides the object. */
export interface StrategyContext {
  /** The namespace object exists check, the clock, etc. are the registry's; strategies stay pure. */
  now: Date;
  /** Operation under way. */
  operation: 'create' | 'update';
}

/**
 * Per-kind behaviour, in apiserver's order: prepareFor{Create,Update} → defaults → validate(Update).
 * All hooks mutate `obj` in place (it is a private copy) and must be pure and fast: no I/O.
 * Validation returns every problem at once (→ 422 Invalid with one cause each); never throws for bad input.
 */
export interface Strategy {
  /** Reset what clients may not set on create (usually .status). */
  prepareForCreate?(obj: KObject, ctx: StrategyContext): void;
  /** Carry over what this write may not change (main resource: old .status; status subresource: old spec). */
  prepareForUpdate?(obj: KObject, old: KObject, ctx: StrategyContext): void;
  /** Upstream defaults (kubectl-api.md §7 lists the observed ones). Applied on create and update. */
  defaults?(obj: KObject): void;
  validate?(obj: KObject): FieldError[];
  /** Create-only rules; called in addition to validate on creates. */
  validateCreate?(obj: KObject): FieldError[];
  /** Update rules, e.g. immutable fields; called in addition to validate on updates. */
  validateUpdate?(obj: KObject, old: KObject): FieldError[];
  /**
   * Status write: `obj` is the old object with the body's `.status`; a kind whose served version
   * keeps part of its status elsewhere (autoscaling/v1 HPA annotations) takes it from `body` here.
   */
  prepareForStatusUpdate?(obj: KObject, body: KObject): void;
  /** Status subresource hooks (optional; default: copy old spec/metadata, validate nothing more). */
  validateStatusUpdate?(obj: KObject, old: KObject): FieldError[];
  /** pods/ephemeralcontainers writes: `obj` is the old object with the body's ephemeral containers. */
  validateEphemeralContainersUpdate?(obj: KObject, old: KObject): FieldError[];
}

/** Server-side Table output (`kubectl get`): columns as upstream prints them for this kind. */
export interface TableDef {
  columns: TableColumn[];
  /**
   * One cell per column: strings or integers, '<none>' for empty values as upstream's printers;
   * custom resource columns may also hold numbers, booleans and null (kubectl prints `<none>`).
   */
  cells(obj: KObject, now: Date): (string | number | boolean | null)[];
}

export interface TableColumn {
  name: string;            // 'Name', 'Ready', 'Status', …
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: 'name' | string;
  description: string;
  /** 0 = always shown; 1 = only with -o wide. */
  priority: 0 | 1;
}
