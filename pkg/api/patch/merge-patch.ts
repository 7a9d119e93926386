// RFC 7386 JSON Merge Patch, as evanphx/json-patch applies it for the apiserver: objects merge
// recursively, null removes a member, anything else (arrays included) replaces. A value added
// where there was nothing has its nested nulls dropped.
import { badPatch, jsonKind } from './failure.ts';
import { assign, isObject, own } from './json-value.ts';
import type { JsonObject } from './json-value.ts';

export function applyMergePatch(doc: JsonObject, patch: unknown): JsonObject {
  if (patch === null) throw badPatch('Invalid JSON Patch');
  if (!isObject(patch)) throw badPatch(`error decoding patch: json: cannot unmarshal ${jsonKind(patch)} into Go value of type map[string]interface {}`);
  return mergeInto(structuredClone(doc), structuredClone(patch));
}

function mergeInto(doc: JsonObject, patch: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete doc[key];
      continue;
    }
    const current = own(doc, key);
    if (isObject(current) && isObject(value)) mergeInto(current, value);
    else assign(doc, key, isObject(current) ? value : pruneNulls(value));
  }
  return doc;
}

function pruneNulls(value: unknown): unknown {
  if (Array.isArray(value)) value.forEach(pruneNulls);
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (v === null) delete value[k];
      else pruneNulls(v);
    }
  }
  return value;
}
