import type { ResourceDef } from '../resource.ts';
import { badRequest } from '../status.ts';
import type { KObject } from '../types/index.ts';

/**
 * Field selectors as apimachinery's `fields.ParseSelector` reads them: comma-separated terms
 * `field=value`, `field==value`, `field!=value`; `\,` `\=` `\\` escape inside values. Every field
 * must be one the kind supports (metadata.name, metadata.namespace, `def.fieldSelectors`), else
 * 400 with the real server's words: `field label not supported: <field>` for kinds with their own
 * selectors, `"<field>" is not a known field selector: …` for the rest.
 */
export interface FieldRequirement {
  field: string;
  equal: boolean;
  value: string;
}

const OPERATORS = ['!=', '==', '='] as const;

export function parseFieldSelector(selector: string | undefined): FieldRequirement[] {
  if (!selector) return [];
  const out: FieldRequirement[] = [];
  for (const term of splitTerms(selector).sort()) {
    if (term === '') continue;
    const split = splitTerm(term);
    if (!split) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    out.push({ field: split.lhs, equal: split.op !== '!=', value: unescape(split.rhs) });
  }
  return out;
}

/** Compiles a selector for `def` into a predicate; throws 400 for unsupported fields. */
export function compileFieldSelector(def: ResourceDef, selector: string | undefined): ((obj: KObject) => boolean) | undefined {
  const reqs = parseFieldSelector(selector);
  if (reqs.length === 0) return undefined;
  const getters = reqs.map((r) => {
    const get = fieldGetter(def, r.field);
    if (!get) {
      // Kinds without their own field selectors use upstream's default conversion and its wording.
      if (!def.fieldSelectors) throw badRequest(`"${r.field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
      throw badRequest(`field label not supported: ${r.field}`);
    }
    return { get, r };
  });
  return (obj) => getters.every(({ get, r }) => (get(obj) === r.value) === r.equal);
}

function fieldGetter(def: ResourceDef, field: string): ((obj: KObject) => string) | undefined {
  if (field === 'metadata.name') return (o) => o.metadata?.name ?? '';
  // Cluster-scoped kinds with their own selectors (nodes, namespaces) have no namespace field.
  if (field === 'metadata.namespace' && !(def.fieldSelectors && !def.namespaced)) return (o) => o.metadata?.namespace ?? '';
  const custom = def.fieldSelectors && Object.hasOwn(def.fieldSelectors, field) ? def.fieldSelectors[field] : undefined;
  return custom && ((o) => custom(o) ?? '');
}

/** Splits on unescaped commas, keeping escapes for `unescape`. */
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

/** The first operator occurrence splits the term; the left side has no escaping (as upstream). */
function splitTerm(term: string): { lhs: string; op: string; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of OPERATORS) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

function unescape(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      throw badRequest(`invalid field selector: unescaped character in value: ${c}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}
