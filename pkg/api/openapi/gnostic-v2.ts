// The Swagger 2.0 document in the protobuf form client-go asks for on /openapi/v2
// (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`): gnostic's `openapi.v2.Document`
// message. Field numbers follow gnostic's OpenAPIv2.proto. As gnostic does, every `x-…` key
// becomes a NamedAny whose Any carries the value as YAML text, and so do default, enum and
// example values. Keys that message has no field for are left out.
import { dump } from 'js-yaml';
import { Writer } from '../protobuf/writer.ts';
import type { Json } from './render.ts';

type W = Writer;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const entries = (v: unknown): [string, unknown][] => (isObject(v) ? Object.entries(v) : []);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const str = (w: W, field: number, v: unknown) => {
  if (typeof v === 'string' && v) w.string(field, v);
};
const strs = (w: W, field: number, v: unknown) => {
  for (const s of list(v)) if (typeof s === 'string') w.string(field, s);
};
const bool = (w: W, field: number, v: unknown) => {
  if (v === true) w.bool(field, true);
};
const double = (w: W, field: number, v: unknown) => {
  if (typeof v === 'number' && v !== 0) w.double(field, v);
};
const int = (w: W, field: number, v: unknown) => {
  if (typeof v === 'number' && Number.isFinite(v) && Math.trunc(v) !== 0) w.int(field, v);
};

/** `Any{yaml}`: the value as YAML text, which is how gnostic carries free-form values. */
const yamlOf = (v: unknown) => dump(v, { lineWidth: -1, noRefs: true });
const any = (w: W, field: number, v: unknown) => w.message(field, (a) => a.string(2, yamlOf(v)));

/** Every `x-…` key of `o` as repeated NamedAny{name, value}. */
function extensions(w: W, field: number, o: Json): void {
  for (const [k, v] of Object.entries(o)) {
    if (k.startsWith('x-')) w.message(field, (n) => n.string(1, k).message(2, (a) => a.string(2, yamlOf(v))));
  }
}

export function encodeDocument(d: Json): Uint8Array {
  const w = new Writer();
  str(w, 1, d.swagger);
  if (isObject(d.info)) w.message(2, (i) => info(i, d.info as Json));
  str(w, 3, d.host);
  str(w, 4, d.basePath);
  strs(w, 5, d.schemes);
  strs(w, 6, d.consumes);
  strs(w, 7, d.produces);
  if (isObject(d.paths)) {
    const paths = d.paths;
    w.message(8, (p) => {
      extensions(p, 1, paths);
      for (const [name, item] of entries(paths)) if (!name.startsWith('x-') && isObject(item)) p.message(2, (n) => n.string(1, name).message(2, (v) => pathItem(v, item)));
    });
  }
  if (isObject(d.definitions)) w.message(9, (defs) => namedSchemas(defs, d.definitions as Json));
  if (isObject(d.parameters)) {
    w.message(10, (ps) => {
      for (const [name, p] of entries(d.parameters)) if (isObject(p)) ps.message(1, (n) => n.string(1, name).message(2, (v) => parameter(v, p)));
    });
  }
  if (isObject(d.responses)) {
    w.message(11, (rs) => {
      for (const [name, r] of entries(d.responses)) if (isObject(r)) rs.message(1, (n) => n.string(1, name).message(2, (v) => response(v, r)));
    });
  }
  for (const req of list(d.security)) w.message(12, (s) => securityRequirement(s, req));
  if (isObject(d.securityDefinitions)) w.message(13, (s) => securityDefinitions(s, d.securityDefinitions as Json));
  for (const t of list(d.tags)) {
    if (isObject(t)) w.message(14, (m) => { str(m, 1, t.name); str(m, 2, t.description); externalDocsOf(m, 3, t.externalDocs); extensions(m, 4, t); });
  }
  externalDocsOf(w, 15, d.externalDocs);
  extensions(w, 16, d);
  return w.finish();
}

function info(w: W, i: Json): void {
  str(w, 1, i.title);
  str(w, 2, i.version);
  str(w, 3, i.description);
  str(w, 4, i.termsOfService);
  extensions(w, 7, i);
}

function externalDocsOf(w: W, field: number, e: unknown): void {
  if (isObject(e)) w.message(field, (m) => { str(m, 1, e.description); str(m, 2, e.url); extensions(m, 3, e); });
}

const operationFields: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

function pathItem(w: W, item: Json): void {
  str(w, 1, item.$ref);
  for (const [method, field] of Object.entries(operationFields)) {
    const op = item[method];
    if (isObject(op)) w.message(field, (o) => operation(o, op));
  }
  for (const p of list(item.parameters)) if (isObject(p)) w.message(9, (m) => parametersItem(m, p));
  extensions(w, 10, item);
}

function operation(w: W, op: Json): void {
  strs(w, 1, op.tags);
  str(w, 2, op.summary);
  str(w, 3, op.description);
  externalDocsOf(w, 4, op.externalDocs);
  str(w, 5, op.operationId);
  strs(w, 6, op.produces);
  strs(w, 7, op.consumes);
  for (const p of list(op.parameters)) if (isObject(p)) w.message(8, (m) => parametersItem(m, p));
  if (isObject(op.responses)) {
    const responses = op.responses;
    w.message(9, (rs) => {
      for (const [code, r] of entries(responses)) {
        if (code.startsWith('x-') || !isObject(r)) continue;
        rs.message(1, (n) => n.string(1, code).message(2, (v) => (typeof r.$ref === 'string' ? v.message(2, (j) => j.string(1, r.$ref as string)) : v.message(1, (m) => response(m, r)))));
      }
      extensions(rs, 2, responses);
    });
  }
  strs(w, 10, op.schemes);
  bool(w, 11, op.deprecated);
  for (const req of list(op.security)) w.message(12, (s) => securityRequirement(s, req));
  extensions(w, 13, op);
}

/** ParametersItem: a JSON reference, or a Parameter (body, or one of the non-body kinds). */
function parametersItem(w: W, p: Json): void {
  if (typeof p.$ref === 'string') w.message(2, (j) => j.string(1, p.$ref as string));
  else w.message(1, (m) => parameter(m, p));
}

// Non-body parameter kinds share one run of fields that starts at a different number per kind.
const nonBody: Record<string, { oneof: number; first: number }> = {
  header: { oneof: 1, first: 5 },
  formData: { oneof: 2, first: 6 },
  query: { oneof: 3, first: 6 },
  path: { oneof: 4, first: 5 },
};

function parameter(w: W, p: Json): void {
  if (p.in === 'body') {
    w.message(1, (b) => {
      str(b, 1, p.description);
      str(b, 2, p.name);
      str(b, 3, p.in);
      bool(b, 4, p.required);
      if (isObject(p.schema)) b.message(5, (s) => schema(s, p.schema as Json));
      extensions(b, 6, p);
    });
    return;
  }
  const kind = nonBody[String(p.in)];
  if (!kind) return;
  w.message(2, (nb) => nb.message(kind.oneof, (m) => {
    bool(m, 1, p.required);
    str(m, 2, p.in);
    str(m, 3, p.description);
    str(m, 4, p.name);
    if (kind.first === 6) bool(m, 5, p.allowEmptyValue);
    primitiveFields(m, kind.first, p);
  }));
}

/** type, format, items, collectionFormat, default, …, multipleOf, vendor extensions: consecutive fields from `first`. */
function primitiveFields(w: W, first: number, p: Json): void {
  str(w, first, p.type);
  str(w, first + 1, p.format);
  if (isObject(p.items)) w.message(first + 2, (m) => primitiveFields(m, 1, p.items as Json));
  str(w, first + 3, p.collectionFormat);
  if (p.default !== undefined) any(w, first + 4, p.default);
  double(w, first + 5, p.maximum);
  bool(w, first + 6, p.exclusiveMaximum);
  double(w, first + 7, p.minimum);
  bool(w, first + 8, p.exclusiveMinimum);
  int(w, first + 9, p.maxLength);
  int(w, first + 10, p.minLength);
  str(w, first + 11, p.pattern);
  int(w, first + 12, p.maxItems);
  int(w, first + 13, p.minItems);
  bool(w, first + 14, p.uniqueItems);
  for (const e of list(p.enum)) any(w, first + 15, e);
  double(w, first + 16, p.multipleOf);
  extensions(w, first + 17, p);
}

function response(w: W, r: Json): void {
  str(w, 1, r.description);
  if (isObject(r.schema)) w.message(2, (si) => si.message(1, (s) => schema(s, r.schema as Json)));
  extensions(w, 5, r);
}

function securityRequirement(w: W, req: unknown): void {
  for (const [name, scopes] of entries(req)) w.message(1, (n) => n.string(1, name).message(2, (a) => strs(a, 1, scopes)));
}

function securityDefinitions(w: W, defs: Json): void {
  for (const [name, d] of entries(defs)) {
    if (!isObject(d)) continue;
    w.message(1, (n) => n.string(1, name).message(2, (item) => {
      if (d.type === 'apiKey') item.message(2, (k) => { str(k, 1, d.type); str(k, 2, d.name); str(k, 3, d.in); str(k, 4, d.description); extensions(k, 5, d); });
      else if (d.type === 'basic') item.message(1, (b) => { str(b, 1, d.type); str(b, 2, d.description); extensions(b, 3, d); });
    }));
  }
}

function namedSchemas(w: W, m: Json): void {
  for (const [name, s] of Object.entries(m)) if (isObject(s)) w.message(1, (n) => n.string(1, name).message(2, (v) => schema(v, s)));
}

function schema(w: W, s: Json): void {
  str(w, 1, s.$ref);
  str(w, 2, s.format);
  str(w, 3, s.title);
  str(w, 4, s.description);
  if (s.default !== undefined) any(w, 5, s.default);
  double(w, 6, s.multipleOf);
  double(w, 7, s.maximum);
  bool(w, 8, s.exclusiveMaximum);
  double(w, 9, s.minimum);
  bool(w, 10, s.exclusiveMinimum);
  int(w, 11, s.maxLength);
  int(w, 12, s.minLength);
  str(w, 13, s.pattern);
  int(w, 14, s.maxItems);
  int(w, 15, s.minItems);
  bool(w, 16, s.uniqueItems);
  int(w, 17, s.maxProperties);
  int(w, 18, s.minProperties);
  strs(w, 19, s.required);
  for (const e of list(s.enum)) any(w, 20, e);
  const extra = s.additionalProperties;
  if (typeof extra === 'boolean') w.message(21, (a) => a.bool(2, extra));
  else if (isObject(extra)) w.message(21, (a) => a.message(1, (x) => schema(x, extra)));
  if (typeof s.type === 'string' || Array.isArray(s.type)) w.message(22, (t) => strs(t, 1, typeof s.type === 'string' ? [s.type] : s.type));
  const items = Array.isArray(s.items) ? s.items : isObject(s.items) ? [s.items] : [];
  if (items.length) w.message(23, (it) => { for (const i of items) if (isObject(i)) it.message(1, (x) => schema(x, i)); });
  for (const a of list(s.allOf)) if (isObject(a)) w.message(24, (x) => schema(x, a));
  if (isObject(s.properties)) w.message(25, (p) => namedSchemas(p, s.properties as Json));
  str(w, 26, s.discriminator);
  bool(w, 27, s.readOnly);
  externalDocsOf(w, 29, s.externalDocs);
  if (s.example !== undefined) any(w, 30, s.example);
  extensions(w, 31, s);
}
