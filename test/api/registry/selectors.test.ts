import { describe, expect, it } from 'vitest';
import { formatRequirements, matchesLabels, parseLabelSelector, selectorObjectRequirements } from '../../../pkg/api/registry/index.ts';
import { parseFieldSelector } from '../../../pkg/api/registry/field-selectors.ts';

const parseError = (s: string): string => {
  try {
    parseLabelSelector(s);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`"${s}" parsed`);
};

describe('parseLabelSelector', () => {
  it('parses every operator and sorts requirements by key', () => {
    expect(parseLabelSelector('z=1, a==2,b!=3,c in (y, x,x),d notin (w),e,!f,g>4,h<-5')).toEqual([
      { key: 'a', op: '==', values: ['2'] },
      { key: 'b', op: '!=', values: ['3'] },
      { key: 'c', op: 'in', values: ['x', 'y'] },
      { key: 'd', op: 'notin', values: ['w'] },
      { key: 'e', op: 'exists', values: [] },
      { key: 'f', op: '!', values: [] },
      { key: 'g', op: 'gt', values: ['4'] },
      { key: 'h', op: 'lt', values: ['-5'] },
      { key: 'z', op: '=', values: ['1'] },
    ]);
    expect(parseLabelSelector('')).toEqual([]);
    expect(parseLabelSelector('app.kubernetes.io/name=web')[0].key).toBe('app.kubernetes.io/name');
    // "in" is a keyword only where an operator is expected.
    expect(parseLabelSelector('in=notin')).toEqual([{ key: 'in', op: '=', values: ['notin'] }]);
    expect(parseLabelSelector('a=')).toEqual([{ key: 'a', op: '=', values: [''] }]);
  });

  it('words syntax errors as apimachinery does', () => {
    expect(parseError('a in')).toBe("unable to parse requirement: found '', expected: '('");
    expect(parseError('a b')).toBe("unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
    expect(parseError('a=b,')).toBe("found '', expected: identifier after ','");
    expect(parseError('a in (b c)')).toBe("unable to parse requirement: found 'c', expected: ',' or ')'");
    expect(parseError(',a')).toBe("found ',', expected: !, identifier, or 'end of string'");
    expect(parseError('a>x')).toContain('the value must be an integer');
    expect(parseError('a=b c')).toBe("found 'c', expected: ',' or 'end of string'");
    expect(parseError('bad key!=x')).toContain("found 'key'");
    expect(parseError('-a=b')).toContain('name part must consist of alphanumeric characters');
    expect(parseError('a=-b')).toContain('a valid label must be an empty string or consist of alphanumeric characters');
  });
});

describe('matchesLabels', () => {
  const m = (sel: string, labels?: Record<string, string>) => matchesLabels(parseLabelSelector(sel), labels);
  it('applies upstream semantics for absent labels', () => {
    expect(m('a!=x', undefined)).toBe(true);
    expect(m('a notin (x)', {})).toBe(true);
    expect(m('a in (x)', {})).toBe(false);
    expect(m('a', { a: '' })).toBe(true);
    expect(m('!a', { a: '' })).toBe(false);
    expect(m('a>3', { a: '10' })).toBe(true);
    expect(m('a>3', { a: 'x' })).toBe(false);
    expect(m('a<3', { a: '2' })).toBe(true);
  });
});

describe('selectorObjectRequirements', () => {
  it('formats a LabelSelector object as Selector.String()', () => {
    const reqs = selectorObjectRequirements({
      matchLabels: { tier: 'fe', app: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'dev'] },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    expect(formatRequirements(reqs)).toBe('app=web,env in (dev,prod),!legacy,tier=fe');
    expect(formatRequirements(parseLabelSelector(formatRequirements(reqs)))).toBe('app=web,env in (dev,prod),!legacy,tier=fe');
  });
});

describe('parseFieldSelector', () => {
  it('splits on unescaped commas and unescapes values', () => {
    expect(parseFieldSelector('b!=x,a==y\\,z')).toEqual([
      { field: 'a', equal: true, value: 'y,z' },
      { field: 'b', equal: false, value: 'x' },
    ]);
    expect(parseFieldSelector('involvedObject.namespace=')).toEqual([{ field: 'involvedObject.namespace', equal: true, value: '' }]);
    expect(() => parseFieldSelector('a=b\\q')).toThrow('invalid field selector: invalid escape sequence: \\q');
    expect(() => parseFieldSelector('a=b=c')).toThrow('invalid field selector: unescaped character in value: =');
  });
});
