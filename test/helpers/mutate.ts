import type { Random } from './random.ts';

type Json = Record<string, unknown> | unknown[];

/** Paths to every node of a JSON tree (keys and indices from the root). */
function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

/**
 * A structural mutation of a JSON object: a node removed, replaced with a value of another type,
 * an unknown or duplicated key added, a list emptied or grown, apiVersion/kind/name changed. The
 * input is not modified.
 */
export function mutateJson(rnd: Random, obj: Record<string, unknown>, rounds = 1 + rnd.int(3)): Record<string, unknown> {
  const out = structuredClone(obj);
  for (let i = 0; i < rounds; i++) {
    const all = paths(out).filter((p) => p.length > 0);
    if (all.length === 0) break;
    const path = rnd.pick(all);
    const parent = path.slice(0, -1).reduce<any>((o, k) => o[k], out) as Json;
    const key = path[path.length - 1];
    const op = rnd.pick(['delete', 'replace', 'replace', 'add', 'grow', 'top']);
    if (op === 'top') {
      const k = rnd.pick(['apiVersion', 'kind', 'metadata', 'spec', 'status', 'data']);
      out[k] = rnd.chance(0.5) ? rnd.value() : rnd.string();
      continue;
    }
    if (Array.isArray(parent)) {
      if (op === 'delete') parent.splice(key as number, 1);
      else if (op === 'grow') parent.push(structuredClone(parent[key as number]));
      else parent[key as number] = rnd.value();
    } else if (op === 'delete') {
      delete (parent as Record<string, unknown>)[key];
    } else if (op === 'add') {
      (parent as Record<string, unknown>)[rnd.pick(['bogus', 'x-unknown', String(key).toUpperCase(), ''])] = rnd.value();
    } else {
      (parent as Record<string, unknown>)[key] = rnd.value();
    }
  }
  return out;
}

/** A byte-level mutation: flips, truncation, insertion, repetition or a spliced control run. */
export function mutateBytes(rnd: Random, buf: Buffer): Buffer {
  const b = Buffer.from(buf);
  if (b.length === 0) return Buffer.from([rnd.int(256)]);
  switch (rnd.int(5)) {
    case 0:
      for (let i = 0; i < 1 + rnd.int(4); i++) b[rnd.int(b.length)] = rnd.int(256);
      return b;
    case 1:
      return b.subarray(0, rnd.int(b.length));
    case 2: {
      const at = rnd.int(b.length);
      return Buffer.concat([b.subarray(0, at), Buffer.from(Array.from({ length: 1 + rnd.int(8) }, () => rnd.int(256))), b.subarray(at)]);
    }
    case 3: {
      const at = rnd.int(b.length);
      const len = 1 + rnd.int(Math.min(32, b.length - at));
      return Buffer.concat([b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at + len)]);
    }
    default: {
      // A varint that never ends or a length that claims more than there is.
      const at = rnd.int(b.length);
      return Buffer.concat([b.subarray(0, at), Buffer.from(rnd.chance(0.5) ? [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01] : [0x0a, 0xff, 0xff, 0xff, 0x0f]), b.subarray(at)]);
    }
  }
}
