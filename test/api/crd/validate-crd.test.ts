import { describe, expect, it } from 'vitest';
import { customResourceDefinitions } from '../../../pkg/api/crd/index.ts';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { cronTabCrd } from './fixtures.ts';

/** Defaults, then the kind's validation, as the registry runs them on a create. */
function problems(crd: KObject): string[] {
  const obj = structuredClone(crd);
  customResourceDefinitions.strategy!.defaults!(obj);
  return customResourceDefinitions.strategy!.validate!(obj).map((e) => `${e.field}: ${e.message}`);
}

const withSpec = (patch: (spec: any) => void, name?: string) => {
  const crd = cronTabCrd();
  patch(crd.spec);
  if (name) crd.metadata.name = name;
  return crd;
};

describe('customResourceDefinitions validation', () => {
  it('accepts the CronTab CRD', () => {
    expect(problems(cronTabCrd())).toEqual([]);
  });

  it('wants a name of plural.group and a group with a dot', () => {
    expect(problems(withSpec(() => undefined, 'crontab.stable.example.com'))).toEqual(['metadata.name: Invalid value: "crontab.stable.example.com": must be spec.names.plural+"."+spec.group']);
    expect(problems(withSpec((s) => (s.group = 'stable'), 'crontabs.stable'))).toEqual(['spec.group: Invalid value: "stable": should be a domain with at least one dot']);
    expect(problems(withSpec((s) => (s.group = 'apps.k8s.io'), 'crontabs.apps.k8s.io'))).toEqual([
      'metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111',
    ]);
  });

  it('checks names, scope and versions', () => {
    expect(problems(withSpec((s) => {
      s.scope = 'Global';
      s.names = { plural: 'crontabs', kind: 'Cron_Tab', shortNames: ['CT'] };
      s.versions.push({ ...s.versions[0] });
    }))).toEqual([
      'spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"',
      'spec.versions: Invalid value: "[\\"v1\\",\\"v1\\"]": must contain unique version names',
      'spec.versions: Invalid value: "[\\"v1\\",\\"v1\\"]": must have exactly one version marked as storage version',
      'spec.names.singular: Invalid value: "cron_tab": a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\')',
      'spec.names.kind: Invalid value: "Cron_Tab": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\')',
      'spec.names.listKind: Invalid value: "Cron_TabList": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\')',
      'spec.names.shortNames[0]: Invalid value: "CT": a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\')',
    ]);
  });

  it('requires a structural schema', () => {
    expect(problems(withSpec((s) => delete s.versions[0].schema))).toEqual(['spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required']);
    expect(problems(withSpec((s) => {
      s.versions[0].schema.openAPIV3Schema = {
        type: 'object',
        properties: {
          metadata: { type: 'object', properties: { labels: { type: 'object' } } },
          spec: { properties: { a: { type: 'strin' }, b: { type: 'array' }, c: { type: 'string', default: 5 } } },
          status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': false, additionalProperties: { type: 'string' }, properties: { x: { type: 'string' } } },
        },
      };
    }))).toEqual([
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].type: Unsupported value: "strin": supported values: "array", "boolean", "integer", "number", "object", "string"',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[b].items: Required value: must be specified',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[c].default: Invalid value: "integer": spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[c].default in body must be of type string: "integer"',
      'spec.versions[0].schema.openAPIV3Schema.properties[status].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined',
      'spec.versions[0].schema.openAPIV3Schema.properties[status].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive',
      'spec.versions[0].schema.openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified',
    ]);
  });

  it('checks subresources and printer columns', () => {
    expect(problems(withSpec((s) => {
      s.versions[0].subresources.scale = { specReplicasPath: '.status.replicas', statusReplicasPath: 'status.replicas' };
      s.versions[0].additionalPrinterColumns = [{ name: 'X', type: 'map', jsonPath: 'spec.x', format: 'uuid' }, { name: '', type: 'string', jsonPath: '' }];
    }))).toEqual([
      'spec.versions[0].subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec',
      'spec.versions[0].subresources.scale.statusReplicasPath: Invalid value: "status.replicas": must be a simple json path starting with .',
      'spec.versions[0].additionalPrinterColumns[0].type: Invalid value: "map": must be one of boolean,date,integer,number,string',
      'spec.versions[0].additionalPrinterColumns[0].format: Invalid value: "uuid": must be one of byte,date,date-time,double,float,int32,int64,password',
      'spec.versions[0].additionalPrinterColumns[0].JSONPath: Invalid value: "spec.x": must be a simple json path starting with .',
      'spec.versions[0].additionalPrinterColumns[1].name: Required value',
      'spec.versions[0].additionalPrinterColumns[1].JSONPath: Required value',
    ]);
  });

  it('keeps group and plural, and scope and kind once established', () => {
    const old = cronTabCrd();
    old.status = { conditions: [{ type: 'Established', status: 'True' }] };
    const next = withSpec((s) => {
      s.group = 'other.example.com';
      s.scope = 'Cluster';
      s.names.kind = 'Cron';
    });
    expect(customResourceDefinitions.strategy!.validateUpdate!(next, old).map((e) => `${e.field}: ${e.message}`)).toEqual([
      'spec.scope: Invalid value: "Cluster": field is immutable',
      'spec.names.kind: Invalid value: "Cron": field is immutable',
      'spec.group: Invalid value: "other.example.com": field is immutable',
    ]);
  });
});
