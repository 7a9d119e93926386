import { badRequest } from '../status.ts';
import { labelValueErrors, qualifiedNameErrors, quote } from './label-syntax.ts';

/**
 * Label selectors, parsed the way apimachinery's `labels.Parse` does (same lexer, same operators,
 * same error texts): `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, `k>1`, `k<1`;
 * commas AND the requirements. Syntax errors are 400 BadRequest.
 */
export type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  op: Operator;
  /** Sorted, distinct (a set, as upstream). */
  values: string[];
}

type Token = 'end' | 'id' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'in' | 'notin';

const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const SPECIAL_TOKENS = new Set(['!', '=', '==', '!=', '(', ')', ',', '>', '<']);
const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

class Lexer {
  pos = 0;
  constructor(private readonly s: string) {}

  lex(): { tok: Token; lit: string } {
    const s = this.s;
    while (this.pos < s.length && ' \t\r\n'.includes(s[this.pos])) this.pos++;
    if (this.pos >= s.length) return { tok: 'end', lit: '' };
    if (SPECIAL.has(s[this.pos])) {
      let lit = s[this.pos++];
      // Longest match among the operators made of special symbols (`!=`, `==`).
      while (this.pos < s.length && SPECIAL_TOKENS.has(lit + s[this.pos])) lit += s[this.pos++];
      return { tok: lit as Token, lit };
    }
    const start = this.pos;
    while (this.pos < s.length && !SPECIAL.has(s[this.pos]) && !' \t\r\n'.includes(s[this.pos])) this.pos++;
    const lit = s.slice(start, this.pos);
    return { tok: lit === 'in' || lit === 'notin' ? lit : 'id', lit };
  }
}

class Parser {
  private readonly items: Array<{ tok: Token; lit: string }> = [];
  private at = 0;

  constructor(input: string) {
    const l = new Lexer(input);
    for (;;) {
      const t = l.lex();
      this.items.push(t);
      if (t.tok === 'end') break;
    }
  }

  /** In "values" context the keywords in/notin are plain identifiers (a label may be called "in"). */
  private peek(values: boolean): { tok: Token; lit: string } {
    const t = this.items[this.at];
    return values && (t.tok === 'in' || t.tok === 'notin') ? { tok: 'id', lit: t.lit } : t;
  }

  private next(values: boolean): { tok: Token; lit: string } {
    const t = this.peek(values);
    if (t.tok !== 'end') this.at++;
    return t;
  }

  parse(): Requirement[] {
    const out: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek(true);
      if (tok === 'end') return out;
      if (tok !== 'id' && tok !== '!') throw new Error(`found '${lit}', expected: !, identifier, or 'end of string'`);
      out.push(this.requirement());
      const t = this.next(true);
      if (t.tok === 'end') return out;
      if (t.tok !== ',') throw new Error(`found '${t.lit}', expected: ',' or 'end of string'`);
      const after = this.peek(true);
      if (after.tok !== 'id' && after.tok !== '!') throw new Error(`found '${after.lit}', expected: identifier after ','`);
    }
  }

  private requirement(): Requirement {
    let negated = false;
    let t = this.next(true);
    if (t.tok === '!') {
      negated = true;
      t = this.next(true);
    }
    if (t.tok !== 'id') throw requirementError(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const keyErrs = qualifiedNameErrors(key);
    if (keyErrs.length) throw requirementError(`key: Invalid value: ${quote(key)}: ${keyErrs.join('; ')}`);
    const ahead = this.peek(true).tok;
    if (negated || ahead === 'end' || ahead === ',') {
      if (negated && ahead !== 'end' && ahead !== ',') throw requirementError(`found '${this.peek(true).lit}', expected: ',' or 'end of string'`);
      return { key, op: negated ? '!' : 'exists', values: [] };
    }
    const op = this.operator();
    const values = op === 'in' || op === 'notin' ? this.valueSet() : this.exactValue();
    return newRequirement(key, op, values);
  }

  private operator(): Operator {
    const t = this.next(false);
    switch (t.tok) {
      case 'in':
      case 'notin':
      case '=':
      case '==':
      case '!=':
        return t.tok;
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      default:
        throw requirementError(`found '${t.lit}', expected: ${BINARY_OPERATORS}`);
    }
  }

  private valueSet(): string[] {
    const open = this.next(true);
    if (open.tok !== '(') throw requirementError(`found '${open.lit}', expected: '('`);
    const first = this.peek(true);
    if (first.tok === ')') {
      this.next(true);
      return [''];
    }
    if (first.tok !== 'id' && first.tok !== ',') throw requirementError(`found '${first.lit}', expected: ',', ')' or identifier`);
    const set = new Set<string>();
    for (;;) {
      const t = this.next(true);
      if (t.tok === 'id') {
        set.add(t.lit);
        const n = this.peek(true);
        if (n.tok === ',') {
          this.next(true);
          if (this.peek(true).tok === ')') set.add('');
          continue;
        }
        if (n.tok === ')') break;
        throw requirementError(`found '${n.lit}', expected: ',' or ')'`);
      }
      if (t.tok === ',') {
        set.add('');
        if (this.peek(true).tok === ')') break;
        continue;
      }
      throw requirementError(`found '${t.lit}', expected: ',', or identifier`);
    }
    this.next(true); // ')'
    return [...set];
  }

  private exactValue(): string[] {
    const t = this.peek(true);
    if (t.tok === 'end' || t.tok === ',') return [''];
    this.next(true);
    if (t.tok === 'id') return [t.lit];
    throw requirementError(`found '${t.lit}', expected: identifier`);
  }
}

function requirementError(msg: string): Error {
  return new Error(`unable to parse requirement: ${msg}`);
}

function newRequirement(key: string, op: Operator, values: string[]): Requirement {
  if ((op === 'in' || op === 'notin') && values.length === 0) throw requirementError("values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty");
  if ((op === 'gt' || op === 'lt') && (values.length !== 1 || !/^-?\d+$/.test(values[0]))) {
    throw requirementError(`values[0]: Invalid value: ${quote(values[0] ?? '')}: for 'Gt', 'Lt' operators, the value must be an integer`);
  }
  for (const v of values) {
    const errs = labelValueErrors(v);
    if (errs.length && op !== 'gt' && op !== 'lt') throw requirementError(`values[0][${key}]: Invalid value: ${quote(v)}: ${errs.join('; ')}`);
  }
  return { key, op, values: [...new Set(values)].sort() };
}

/** Parses a `labelSelector` query value; '' or undefined selects everything. Throws 400. */
export function parseLabelSelector(selector: string | undefined): Requirement[] {
  if (!selector) return [];
  try {
    return new Parser(selector).parse().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  } catch (err) {
    throw badRequest((err as Error).message);
  }
}

export function matchesLabels(reqs: readonly Requirement[], labels: Record<string, string> | undefined): boolean {
  for (const r of reqs) if (!matches(r, labels)) return false;
  return true;
}

function matches(r: Requirement, labels: Record<string, string> | undefined): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key);
  const v = has ? labels[r.key] : undefined;
  switch (r.op) {
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(v!);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(v!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !/^-?\d+$/.test(v!)) return false;
      const n = Number(v);
      const limit = Number(r.values[0]);
      return r.op === 'gt' ? n > limit : n < limit;
    }
  }
}

/** A metav1.LabelSelector object (Deployment.spec.selector). */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** LabelSelectorAsSelector: requirements sorted by key; unknown operators throw 400. */
export function selectorObjectRequirements(sel: LabelSelectorObject | undefined | null): Requirement[] {
  const out: Requirement[] = [];
  for (const [key, value] of Object.entries(sel?.matchLabels ?? {})) out.push({ key, op: '=', values: [value] });
  for (const e of sel?.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as const)[e.operator as 'In'];
    if (!op) throw badRequest(`${quote(e.operator)} is not a valid label selector operator`);
    out.push({ key: e.key, op, values: [...new Set(e.values ?? [])].sort() });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Selector.String(): `app=web,tier in (a,b),!legacy`. */
export function formatRequirements(reqs: readonly Requirement[]): string {
  return reqs
    .map((r) => {
      switch (r.op) {
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        case 'in':
        case 'notin':
          return `${r.key} ${r.op} (${r.values.join(',')})`;
        case 'gt':
          return `${r.key}>${r.values[0]}`;
        case 'lt':
          return `${r.key}<${r.values[0]}`;
        default:
          return `${r.key}${r.op}${r.values[0]}`;
      }
    })
    .join(',');
}
