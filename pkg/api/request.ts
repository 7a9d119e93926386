import type { ResourceDef } from './resource.ts';
import type { DeleteOptions, KList, KObject, WatchEvent } from './types/index.ts';

/** Who is asking, after authentication. */
export interface UserInfo {
  name: string;
  groups: string[];
  uid?: string;
  /** Further attributes (service-account tokens: the bound pod and node, the credential id). */
  extra?: Record<string, string[]>;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  /** Ends the watch (client went away, component stopping). */
  signal: AbortSignal;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  /** Server-side apply only. */
  force?: boolean;
  /** The client's User-Agent; names the field manager when fieldManager is absent (the part before '/'). */
  userAgent?: string;
  /**
   * Keys the request body repeated, found by the transport while decoding and worded as
   * upstream's strict decoders (`duplicate field "spec.paused"`); fieldValidation decides.
   */
  duplicateFields?: string[];
}

/**
 * A request after transport decoding: what the HTTP layer parses out of a URL + body, and what the
 * in-process client builds directly (no HTTP, no JSON round trip). Bodies are plain objects.
 */
export type ApiRequest =
  | { verb: 'get'; def: ResourceDef; namespace?: string; name: string; subresource?: string; resourceVersion?: string }
  | { verb: 'list'; def: ResourceDef; namespace?: string; options: ListOptions }
  | { verb: 'watch'; def: ResourceDef; namespace?: string; options: WatchOptions }
  | { verb: 'create'; def: ResourceDef; namespace?: string; body: KObject; options: WriteOptions; name?: string; subresource?: string }
  | { verb: 'update'; def: ResourceDef; namespace?: string; name: string; subresource?: string; body: KObject; options: WriteOptions }
  | { verb: 'patch'; def: ResourceDef; namespace?: string; name: string; subresource?: string; patchType: PatchType; patch: unknown; options: WriteOptions }
  | { verb: 'delete'; def: ResourceDef; namespace?: string; name: string; options: DeleteOptions }
  | { verb: 'deletecollection'; def: ResourceDef; namespace?: string; listOptions: ListOptions; options: DeleteOptions };

/** Result of a write: the object and whether it was created (201) rather than changed (200). */
export interface WriteResult {
  object: KObject;
  created?: boolean;
  /** Warnings for the `Warning: 299 - "…"` header (fieldValidation=Warn, deprecations). */
  warnings?: string[];
}

/**
 * The API's transport-neutral entry point, behind authentication: authorization, admission
 * (defaults, validation), registry, store. Errors are StatusErrors. A watch resolves to an async
 * iterable that ends when `options.signal` aborts, on `timeoutSeconds`, or with an ERROR event
 * (410 Expired) after which it ends.
 */
export interface ApiHandler {
  get(req: Extract<ApiRequest, { verb: 'get' }>, user: UserInfo): Promise<KObject>;
  list(req: Extract<ApiRequest, { verb: 'list' }>, user: UserInfo): Promise<KList>;
  watch(req: Extract<ApiRequest, { verb: 'watch' }>, user: UserInfo): Promise<AsyncIterable<WatchEvent>>;
  create(req: Extract<ApiRequest, { verb: 'create' }>, user: UserInfo): Promise<WriteResult>;
  update(req: Extract<ApiRequest, { verb: 'update' }>, user: UserInfo): Promise<WriteResult>;
  patch(req: Extract<ApiRequest, { verb: 'patch' }>, user: UserInfo): Promise<WriteResult>;
  /** Returns the last state (removed now) or the object with deletionTimestamp set (graceful / finalizers). */
  delete(req: Extract<ApiRequest, { verb: 'delete' }>, user: UserInfo): Promise<WriteResult>;
  deletecollection(req: Extract<ApiRequest, { verb: 'deletecollection' }>, user: UserInfo): Promise<KList>;
}
