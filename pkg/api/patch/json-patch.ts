// RFC 6902 JSON Patch, with the behaviour of the library the apiserver uses (evanphx/json-patch
// v4): negative array indices count from the end, a missing `value` means null, `test` treats a
// missing member as null. Works on a private copy; the caller's document is never touched.
import { badPatch, jsonKind, unfitPatch } from './failure.ts';
import { assign, isObject, own } from './json-value.ts';
import type { JsonObject } from './json-value.ts';

type Container = JsonObject | unknown[];

export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw badPatch(`json: cannot unmarshal ${jsonKind(patch)} into Go value of type jsonpatch.Patch`);
  let root = structuredClone(doc);
  for (const op of patch) {
    if (!isObject(op)) throw badPatch(`json: cannot unmarshal ${jsonKind(op)} into Go value of type jsonpatch.Operation`);
    root = applyOp(root, op);
  }
  return root;
}

function applyOp(root: unknown, op: JsonObject): unknown {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  const path = pointer(op.path, kind, 'path');
  const value = Object.hasOwn(op, 'value') ? structuredClone(op.value) : null;
  switch (kind) {
    case 'add': return add(root, path, value, kind);
    case 'remove': return remove(root, path, kind).root;
    case 'replace': {
      if (!path.length) return value;
      const { parent, key } = locate(root, path, kind);
      if (get(parent, key) === undefined) throw unfitPatch(`replace operation does not apply: doc is missing key: ${op.path}`);
      set(parent, key, value, kind);
      return root;
    }
    case 'move': {
      const from = pointer(op.from, kind, 'from');
      if (from.length < path.length && from.every((s, i) => s === path[i])) {
        throw unfitPatch(`move operation cannot move ${op.from} into its own child ${op.path}`);
      }
      const taken = remove(root, from, kind);
      return add(taken.root, path, taken.value, kind);
    }
    case 'copy': {
      const from = pointer(op.from, kind, 'from');
      const found = read(root, from);
      if (found === undefined) throw unfitPatch(`copy operation does not apply: doc is missing from path: ${op.from}`);
      return add(root, path, structuredClone(found), kind);
    }
    case 'test': {
      const found = read(root, path);
      if (!jsonEqual(found === undefined ? null : found, value)) throw unfitPatch(`testing value ${op.path} failed: test failed`);
      return root;
    }
    default:
      throw unfitPatch(`Unexpected kind: ${kind}`);
  }
}

function pointer(raw: unknown, kind: string, field: string): string[] {
  if (typeof raw !== 'string') throw unfitPatch(`${kind} operation has no valid "${field}"`);
  if (raw === '') return [];
  if (!raw.startsWith('/')) throw unfitPatch(`${kind} operation: "${raw}" is not a JSON pointer`);
  return raw.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The container that holds the last segment of `path`; every step before it must exist. */
function locate(root: unknown, path: string[], kind: string): { parent: Container; key: string } {
  const parent = read(root, path.slice(0, -1));
  if (!isObject(parent) && !Array.isArray(parent)) {
    throw unfitPatch(`${kind} operation does not apply: doc is missing path: /${path.map(escape).join('/')}`);
  }
  return { parent, key: path[path.length - 1] };
}

function read(root: unknown, path: string[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (isObject(cur)) cur = own(cur, seg);
    else if (Array.isArray(cur)) {
      const i = index(seg, cur.length, false);
      cur = i === undefined ? undefined : cur[i];
    } else return undefined;
  }
  return cur;
}

function add(root: unknown, path: string[], value: unknown, kind: string): unknown {
  if (!path.length) return value;
  const { parent, key } = locate(root, path, kind);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : index(key, parent.length, true);
    if (i === undefined) throw unfitPatch(`Unable to access invalid index: ${key}`);
    parent.splice(i, 0, value);
  } else assign(parent, key, value);
  return root;
}

function remove(root: unknown, path: string[], kind: string): { root: unknown; value: unknown } {
  if (!path.length) throw unfitPatch(`${kind} operation cannot remove the whole document`);
  const { parent, key } = locate(root, path, kind);
  const value = get(parent, key);
  if (value === undefined) throw unfitPatch(`${kind} operation does not apply: doc is missing path: /${path.map(escape).join('/')}`);
  if (Array.isArray(parent)) parent.splice(index(key, parent.length, false)!, 1);
  else delete parent[key];
  return { root, value };
}

function get(parent: Container, key: string): unknown {
  if (!Array.isArray(parent)) return own(parent, key);
  const i = index(key, parent.length, false);
  return i === undefined ? undefined : parent[i];
}

function set(parent: Container, key: string, value: unknown, kind: string): void {
  if (!Array.isArray(parent)) {
    assign(parent, key, value);
    return;
  }
  const i = index(key, parent.length, false);
  if (i === undefined) throw unfitPatch(`${kind} operation: invalid index ${key}`);
  parent[i] = value;
}

/** An array index; negative counts from the end. `insert` allows one past the last element. */
function index(seg: string, length: number, insert: boolean): number | undefined {
  if (!/^-?\d+$/.test(seg)) return undefined;
  const size = insert ? length + 1 : length;
  let i = Number(seg);
  if (i < 0) i += size;
  return i >= 0 && i < size ? i : undefined;
}

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}
