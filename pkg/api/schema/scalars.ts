// Named types that are not structs on the wire: timestamps, quantities, int-or-string and raw JSON.
import type { SchemaSet } from './dsl.ts';

export const scalarSchemas: SchemaSet = {
  'meta.v1.Time': {
    type: 'string',
    format: 'date-time',
    description: 'A timestamp in RFC 3339 form with second precision, such as 2024-05-01T12:00:00Z.',
  },
  'meta.v1.MicroTime': {
    type: 'string',
    format: 'date-time',
    description: 'A timestamp in RFC 3339 form with microsecond precision.',
  },
  'resource.Quantity': {
    scalar: 'quantity',
    description: 'An amount with an optional suffix: binary (Ki, Mi, Gi, Ti, Pi, Ei), decimal (m, k, M, G, T, P, E) or an exponent, such as 500m, 128Mi or 1e3.',
  },
  'intstr.IntOrString': {
    scalar: 'int-or-string',
    description: 'Either an integer or a string, such as a port number or a port name, or a count or a percentage.',
  },
  'runtime.RawExtension': {
    type: 'object',
    preserveUnknownFields: true,
    description: 'An embedded object of any kind, kept as given.',
  },
  'meta.v1.FieldsV1': {
    type: 'object',
    preserveUnknownFields: true,
    description: 'A set of fields in the FieldsV1 trie encoding used by server-side apply.',
  },
};
