import { describe, expect, it } from 'vitest';
import {
  configMapKeyErrors, dns1035LabelErrors, dns1123LabelErrors, dns1123SubdomainErrors, goLabelSelector, goStringMap, intOrPercent, labelValue, nameErrors,
  portNameErrors, qualifiedNameErrors, validateMeta,
} from '../../../pkg/api/validation/index.ts';

// apimachinery's validation messages, which kubectl prints verbatim.

const qualifiedRegex = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('name rules', () => {
  it('accepts valid names', () => {
    expect(dns1123SubdomainErrors('a.b-c.d')).toEqual([]);
    expect(dns1123LabelErrors('a-1')).toEqual([]);
    expect(dns1035LabelErrors('a-1')).toEqual([]);
    expect(qualifiedNameErrors('example.com/My_Name.1')).toEqual([]);
  });

  it('reports length and syntax as separate problems', () => {
    expect(dns1123LabelErrors(`${'a'.repeat(63)}-`)).toEqual([
      'must be no more than 63 characters',
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(dns1035LabelErrors('9a')).toHaveLength(1);
  });

  it('checks label keys part by part', () => {
    expect(qualifiedNameErrors('/a')).toEqual(['prefix part must be non-empty']);
    expect(qualifiedNameErrors('Example.com/a')[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain must consist of/);
    expect(qualifiedNameErrors('a/')).toEqual(['name part must be non-empty', `name part ${qualifiedRegex}`]);
    expect(qualifiedNameErrors('x'.repeat(64))).toEqual(['name part must be no more than 63 characters']);
    expect(qualifiedNameErrors('a/b/c')).toEqual([`a qualified name ${qualifiedRegex} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`]);
  });

  it('allows empty label values', () => {
    expect(labelValue('metadata.labels', '')).toEqual([]);
    expect(labelValue('metadata.labels', 5)).toEqual([{ type: 'FieldValueInvalid', field: 'metadata.labels', message: 'Invalid value: 5: must be a string' }]);
  });

  it('masks a trailing dash of a generateName', () => {
    expect(nameErrors('subdomain', 'web-', true)).toEqual([]);
    expect(nameErrors('subdomain', 'web-')).toHaveLength(1);
    expect(nameErrors('path', '..')).toEqual(["may not be '..'"]);
    expect(nameErrors('path', '..', true)).toEqual([]);
  });

  it('checks ports and config keys', () => {
    expect(portNameErrors('-http--x-')).toEqual(['must not contain consecutive hyphens', 'must not begin or end with a hyphen']);
    expect(portNameErrors('123')).toEqual(['must contain at least one letter (a-z)']);
    expect(portNameErrors('a-very-long-port-name')).toEqual(['must be no more than 15 characters']);
    expect(configMapKeyErrors('.')).toEqual(["must not be '.'"]);
    expect(configMapKeyErrors('a/b')[0]).toMatch(/^a valid config key must consist of alphanumeric characters/);
  });

  it('checks int-or-percent values', () => {
    expect(intOrPercent('f', '25%')).toEqual([]);
    expect(intOrPercent('f', -1)[0].message).toBe('Invalid value: -1: must be greater than or equal to 0');
    expect(intOrPercent('f', '120%', true)[0].message).toBe('Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%');
    expect(intOrPercent('f', 'x')[0].message).toMatch(/a valid percent string must be a numeric string followed by an ending '%'/);
  });
});

describe('validateMeta', () => {
  it('requires a name or generateName', () => {
    expect(validateMeta({ metadata: {} })).toEqual([{ type: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }]);
  });

  it('checks annotation keys case-insensitively, reporting the key as given', () => {
    expect(validateMeta({ metadata: { name: 'a', annotations: { 'Example.com/Key': 'v' } } })).toEqual([]);
    expect(validateMeta({ metadata: { name: 'a', annotations: { 'a b': 'v' } } })[0].message).toMatch(/^Invalid value: "a b": name part/);
  });
});

describe('Go value printing', () => {
  it('prints maps and selectors as %#v does', () => {
    expect(goStringMap({ b: '2', a: '1' })).toBe('map[string]string{"a":"1", "b":"2"}');
    expect(goStringMap(undefined)).toBe('map[string]string(nil)');
    expect(goLabelSelector({ matchExpressions: [{ key: 'k', operator: 'In', values: ['v'] }] }))
      .toBe('v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"k", Operator:"In", Values:[]string{"v"}}}}');
  });
});
