// OpenAPI documents generated from the resource table and the type schemas: /openapi/v3 (index
// and one document per group/version) and /openapi/v2 (JSON, or gnostic protobuf). Each is built once per state of the
// resource table and cached; the serialized JSON and its hash are cached with it, so serving is
// a lookup.
import type { ResourceDef } from '../resource.ts';
import { buildV2, buildV3, groupVersionPath, hashOf } from './documents.ts';
import { encodeDocument } from './gnostic-v2.ts';

export { groupVersionPath } from './documents.ts';

/** A served document: the object, its JSON text, and the SHA-512 hash (upper-case hex) of that text. */
export interface ServedDocument {
  document: object;
  json: string;
  hash: string;
}

interface Built {
  /** The rows it was built from: a live table changes in place (CRDs), and a change rebuilds. */
  rows: readonly ResourceDef[];
  v3: Map<string, ServedDocument>;
  index?: { paths: Record<string, { serverRelativeURL: string }> };
  v2?: ServedDocument;
  v2Protobuf?: ServedBytes;
}

/** A served binary form: its bytes and their SHA-512 hash (upper-case hex), for the ETag. */
export interface ServedBytes {
  bytes: Uint8Array;
  hash: string;
}

const cache = new WeakMap<readonly ResourceDef[], Built>();

function built(defs: readonly ResourceDef[]): Built {
  let b = cache.get(defs);
  if (!b || b.rows.length !== defs.length || b.rows.some((d, i) => d !== defs[i])) {
    const byGv = new Map<string, ResourceDef[]>();
    for (const def of defs) byGv.set(groupVersionPath(def), [...(byGv.get(groupVersionPath(def)) ?? []), def]);
    const v3 = new Map<string, ServedDocument>();
    for (const [path, served] of byGv) v3.set(path, serve(buildV3(served, [...defs])));
    b = { rows: [...defs], v3 };
    cache.set(defs, b);
  }
  return b;
}

function serve(document: object): ServedDocument {
  const json = JSON.stringify(document);
  return { document, json, hash: hashOf(json) };
}

/**
 * `GET /openapi/v3`: every served group/version ('api/v1', 'apis/apps/v1', …) with the URL of its
 * document, `?hash=` being the document's hash (clients cache those URLs as immutable).
 */
export function openapiV3Index(defs: readonly ResourceDef[]): { paths: Record<string, { serverRelativeURL: string }> } {
  const b = built(defs);
  b.index ??= {
    paths: Object.fromEntries([...b.v3].map(([path, doc]) => [path, { serverRelativeURL: `/openapi/v3/${path}?hash=${doc.hash}` }])),
  };
  return b.index;
}

/** `GET /openapi/v3/<groupVersionPath>`; undefined when no resource of the table is in that group/version. */
export function openapiV3Document(defs: readonly ResourceDef[], groupVersion: string): object | undefined {
  return built(defs).v3.get(groupVersion)?.document;
}

/** The same document with its JSON text and hash, for the HTTP layer (ETag, immutable caching). */
export function openapiV3Served(defs: readonly ResourceDef[], groupVersion: string): ServedDocument | undefined {
  return built(defs).v3.get(groupVersion);
}

/** `GET /openapi/v2`: a Swagger 2.0 document of every resource. */
export function openapiV2(defs: readonly ResourceDef[]): object {
  return openapiV2Served(defs).document;
}

export function openapiV2Served(defs: readonly ResourceDef[]): ServedDocument {
  const b = built(defs);
  b.v2 ??= serve(buildV2([...defs]));
  return b.v2;
}

/** The same Swagger 2.0 document as gnostic's `openapi.v2.Document` protobuf message (client-go asks for it). */
export function openapiV2Protobuf(defs: readonly ResourceDef[]): ServedBytes {
  const b = built(defs);
  if (!b.v2Protobuf) {
    const bytes = encodeDocument(openapiV2Served(defs).document as Record<string, unknown>);
    b.v2Protobuf = { bytes, hash: hashOf(bytes) };
  }
  return b.v2Protobuf;
}
