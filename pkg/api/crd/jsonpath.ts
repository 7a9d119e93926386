import { isRecord } from './schema.ts';

/**
 * The JSONPath subset CRD printer columns and selectable fields use (client-go's jsonpath as
 * kubectl and the table convertor run it): `.a.b`, escaped dots (`.a\.b`), `[n]`, `[-1]`, `[*]`,
 * `['key']`, and filters `[?(@.type=="Ready")]` with == != < > <= >= or bare existence. Parsed once
 * per column; evaluation never throws and yields every match in document order.
 */
export type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: Step[]; op?: '==' | '!=' | '<' | '>' | '<=' | '>='; value?: unknown };

export class JsonPathError extends Error {}

export function parseJsonPath(text: string): Step[] {
  let s = text.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1).trim();
  const steps: Step[] = [];
  let i = 0;
  if (s === '.' || s === '') return steps;
  if (s[0] !== '.' && s[0] !== '[' && s[0] !== '@') throw new JsonPathError(`unexpected character at 0 in ${JSON.stringify(text)}`);
  if (s[0] === '@') i = 1;
  while (i < s.length) {
    if (s[i] === '.') {
      i++;
      let name = '';
      while (i < s.length && s[i] !== '.' && s[i] !== '[') {
        if (s[i] === '\\' && i + 1 < s.length) i++;
        name += s[i++];
      }
      if (!name) throw new JsonPathError(`empty field name in ${JSON.stringify(text)}`);
      steps.push({ kind: 'field', name });
    } else if (s[i] === '[') {
      const end = closing(s, i);
      steps.push(bracket(s.slice(i + 1, end).trim(), text));
      i = end + 1;
    } else {
      throw new JsonPathError(`unexpected character ${JSON.stringify(s[i])} in ${JSON.stringify(text)}`);
    }
  }
  return steps;
}

/** The index of the `]` closing the bracket at `start`, skipping quoted strings and nested brackets. */
function closing(s: string, start: number): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'") {
      const q = s.indexOf(c, i + 1);
      if (q < 0) break;
      i = q;
    } else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  throw new JsonPathError(`unclosed bracket in ${JSON.stringify(s)}`);
}

function bracket(inner: string, text: string): Step {
  if (inner === '*') return { kind: 'all' };
  if (/^-?\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
  const quoted = /^(['"])(.*)\1$/.exec(inner);
  if (quoted) return { kind: 'field', name: quoted[2] };
  const filter = /^\?\((.*)\)$/.exec(inner);
  if (!filter) throw new JsonPathError(`unsupported subscript [${inner}] in ${JSON.stringify(text)}`);
  const m = /^(@[^=!<>\s]*)\s*(==|!=|<=|>=|<|>)\s*(.+)$/.exec(filter[1].trim());
  if (!m) {
    const path = filter[1].trim();
    if (!path.startsWith('@')) throw new JsonPathError(`unsupported filter ${filter[1]} in ${JSON.stringify(text)}`);
    return { kind: 'filter', path: parseJsonPath(path) };
  }
  return { kind: 'filter', path: parseJsonPath(m[1]), op: m[2] as Exclude<Step, { kind: 'field' | 'index' | 'all' }>['op'], value: literal(m[3].trim(), text) };
}

function literal(v: string, text: string): unknown {
  const q = /^(['"])(.*)\1$/.exec(v);
  if (q) return q[2];
  if (v === 'true' || v === 'false') return v === 'true';
  if (v === 'null') return null;
  const n = Number(v);
  if (v !== '' && !Number.isNaN(n)) return n;
  throw new JsonPathError(`unsupported filter value ${v} in ${JSON.stringify(text)}`);
}

/** Every value `steps` reach from `root`. */
export function evaluate(steps: Step[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      switch (step.kind) {
        case 'field':
          if (isRecord(v) && Object.hasOwn(v, step.name)) next.push(v[step.name]);
          break;
        case 'index':
          if (Array.isArray(v)) {
            const i = step.index < 0 ? v.length + step.index : step.index;
            if (i >= 0 && i < v.length) next.push(v[i]);
          }
          break;
        case 'all':
          if (Array.isArray(v)) next.push(...v);
          else if (isRecord(v)) next.push(...Object.values(v));
          break;
        case 'filter':
          if (Array.isArray(v)) next.push(...v.filter((item) => matches(step, item)));
          break;
      }
    }
    current = next;
  }
  return current;
}

function matches(f: Extract<Step, { kind: 'filter' }>, item: unknown): boolean {
  const found = evaluate(f.path, item);
  if (!f.op) return found.length > 0 && found[0] !== null && found[0] !== false;
  if (!found.length) return false;
  const [a, b] = [found[0], f.value];
  switch (f.op) {
    case '==':
      return a === b || (typeof a === 'number' && typeof b === 'string' ? String(a) === b : false);
    case '!=':
      return a !== b;
    default: {
      if (typeof a !== 'number' || typeof b !== 'number') return false;
      return f.op === '<' ? a < b : f.op === '>' ? a > b : f.op === '<=' ? a <= b : a >= b;
    }
  }
}
